package io.github.loomtasks.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.testing.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the tutorial's programs many times with a real SIGINT at a random instant: before the
 * handler is installed, as the first task starts, while they run, as one finishes, after all have
 * finished, and twice in a row. Every run must end without the grace-period watchdog, print each
 * task once, print cancel results that agree with the listed states, and print no stack trace.
 *
 * <p>The random delay is the test's input, not a way to order events: every check holds whatever
 * the instant. {@code -Dloomtasks.ctrlc.rounds=N} runs more rounds; {@code -Dloomtasks.ctrlc.seed}
 * replays a run (the seed is in every failure message).
 */
@Tag("stress")
class CtrlCAtRandomInstantsTest {
    private static final int ROUNDS = Integer.getInteger("loomtasks.ctrlc.rounds", 6);
    private static final long SEED = Long.getLong("loomtasks.ctrlc.seed", System.nanoTime());
    private static final String DURATIONS = "0.2,0.4,0.8";

    private enum Instant { AT_START, FIRST_WAITING, WHILE_RUNNING, AS_ONE_ENDS, AFTER_ALL, TWICE }

    @ParameterizedTest
    @ValueSource(strings = {"flat", "nested"})
    void everyRunEndsCleanlyWhateverTheInstant(String program) throws Exception {
        SplittableRandom random = new SplittableRandom(SEED + program.hashCode());
        for (int round = 0; round < ROUNDS; round++) {
            Instant instant = Instant.values()[round % Instant.values().length];
            long extraMillis = random.nextLong(0, 300);
            String context = program + " round " + round + " instant " + instant + " +" + extraMillis
                    + "ms (seed " + SEED + ")";
            try (ChildJvm child = ChildJvm.startDemo(program, "--durations", DURATIONS, "--verbose")) {
                boolean sent = interruptAt(child, instant, extraMillis);
                int status = child.awaitExit();
                check(program, child, status, sent, instant == Instant.TWICE, context);
            }
        }
    }

    /** Sends SIGINT at the instant; false if the program had already ended. */
    private static boolean interruptAt(ChildJvm child, Instant instant, long extraMillis) throws InterruptedException {
        switch (instant) {
            case AT_START -> { }
            case FIRST_WAITING -> awaitOrEnd(child, () -> waitingLines(child) >= 1);
            case WHILE_RUNNING -> {
                awaitOrEnd(child, () -> waitingLines(child) == 3);
                Thread.sleep(Duration.ofMillis(extraMillis));
            }
            case AS_ONE_ENDS -> awaitOrEnd(child, () -> child.stderr().stream().anyMatch(l -> l.startsWith("ended:")));
            case AFTER_ALL -> {
                child.awaitExit();
                return false;
            }
            case TWICE -> awaitOrEnd(child, () -> waitingLines(child) == 3);
        }
        if (!child.isAlive()) {
            return false;
        }
        child.kill("INT");
        if (instant == Instant.TWICE && child.isAlive()) {
            child.kill("INT");
        }
        return true;
    }

    /** Waits for the program to reach a point, or to end first (which a random instant allows). */
    private static void awaitOrEnd(ChildJvm child, java.util.concurrent.Callable<Boolean> reached) {
        await().atMost(ChildJvm.PATIENCE).until(() -> reached.call() || !child.isAlive());
    }

    private static long waitingLines(ChildJvm child) {
        return child.stdout().stream().filter(l -> l.startsWith("waiting:")).count();
    }

    private static void check(String program, ChildJvm child, int status, boolean sent, boolean twice, String context) {
        List<String> out = child.stdout();
        String transcript = context + "\n" + child.transcript();
        List<String> all = new ArrayList<>(out);
        all.addAll(child.stderr());
        assertThat(all).as("no stack trace: " + transcript)
                .noneMatch(l -> l.matches("\\s+at \\S+\\(.*\\)") || l.contains("Exception in thread"));
        assertThat(child.stderr()).as("the grace period never ran out: " + transcript)
                .noneMatch(l -> l.contains("did not finish within the grace period"));
        boolean secondSignal = child.stderr().stream().anyMatch(l -> l.contains("second signal"));
        if (out.stream().noneMatch(l -> l.startsWith("TIME:"))) {
            // a second signal exits at once; or SIGINT came before the program installed its
            // handler, and the JVM's default handling ended it before anything was listed
            assertThat(status).as(transcript).isEqualTo(130);
            if (!secondSignal && !twice) {
                assertThat(out).as(transcript).noneMatch(l -> l.startsWith("<Task") || l.equals("true"));
            }
            return;
        }
        assertThat(status).as(transcript).isIn(0, 130);
        assertThat(out.get(out.size() - 1)).as(transcript).startsWith("TIME:");
        if (status == 130) {
            // a second signal exits at once; one that comes after the program finished and the
            // runner gave the JVM its own handler back ends the JVM the default way, also with 130
            assertThat(secondSignal || twice).as("130 only from a second signal: " + transcript).isTrue();
        }
        if (program.equals("flat")) {
            checkFlatListing(out, transcript);
        } else {
            checkNested(out, sent, transcript);
        }
    }

    /** Each task listed once; one cancel result per task; a task listed terminal answers false. */
    private static void checkFlatListing(List<String> out, String transcript) {
        List<String> listed = out.stream().filter(l -> l.startsWith("<Task")).toList();
        List<String> results = out.stream().filter(l -> l.equals("true") || l.equals("false")).toList();
        if (listed.isEmpty()) {
            assertThat(results).as("no listing, no results: " + transcript).isEmpty();
            return;
        }
        assertThat(listed).as(transcript).hasSize(4);
        Set<String> names = new HashSet<>();
        for (String line : listed) {
            assertThat(names.add(line.replaceAll("^<Task \\w+ #\\d+ '([^']*)'.*", "$1"))).as(transcript).isTrue();
        }
        assertThat(names).as(transcript).contains("do_work(0.2)", "do_work(0.4)", "do_work(0.8)", "wait");
        assertThat(results).as(transcript).hasSize(listed.size());
        for (int i = 0; i < listed.size(); i++) {
            if (listed.get(i).startsWith("<Task DONE") || listed.get(i).startsWith("<Task CANCELLED")) {
                assertThat(results.get(i)).as("a terminal task cannot be cancelled: " + transcript).isEqualTo("false");
            }
        }
    }

    /** Either the group cancel's answer, or the three results of a run that finished first. */
    private static void checkNested(List<String> out, boolean sent, String transcript) {
        long results = out.stream().filter(l -> l.startsWith("Task res:")).count();
        long cancels = out.stream().filter(l -> l.equals("true") || l.equals("false")).count();
        if (!sent) {
            assertThat(results).as(transcript).isEqualTo(3);
        }
        assertThat(results == 3 || cancels == 1).as("finished or cancelled as a group: " + transcript).isTrue();
        assertThat(cancels).as(transcript).isLessThanOrEqualTo(1);
    }
}
