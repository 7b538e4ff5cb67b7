package io.github.loomtasks.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.loomtasks.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's programs as a user runs them: a child JVM, real signals from {@code kill}, its
 * output read line by line. Events are ordered by what the child printed, never by sleeping.
 */
class TutorialEndToEndTest {

    @Test
    void flatCtrlCListsFourTasksAndCancelsThreeOfThem() throws Exception {
        try (ChildJvm child = ChildJvm.startDemo("flat", "--durations", "1,30,60", "--verbose")) {
            child.awaitWaitingLines(3);
            // the wait has seen do_work(1) end: it is DONE, the others still sleep
            child.awaitStderrLine("do_work(1) ended", l -> l.startsWith("ended:") && l.contains("'do_work(1)'"));
            child.kill("INT");

            assertThat(child.awaitExit()).as(child.transcript()).isZero();
            List<String> out = child.stdout();
            assertThat(out.stream().filter(l -> l.startsWith("waiting:")))
                    .containsExactlyInAnyOrder("waiting:  1", "waiting:  30", "waiting:  60");
            List<String> listing = listing(out);
            assertThat(listing).as(child.transcript()).hasSize(4);
            assertThat(listing.get(0)).contains("DONE", "'do_work(1)'", "result='DONE AFTER 1S'");
            assertThat(listing.get(1)).contains("RUNNING", "'do_work(30)'", "Tutorial.doWork", "wait_for=Thread.sleep");
            assertThat(listing.get(2)).contains("RUNNING", "'do_work(60)'");
            assertThat(listing.get(3)).contains("RUNNING", "'wait'", "Tutorial.waitAll", "wait_for=Tasks.wait");
            assertThat(cancelResults(out)).containsExactly("false", "true", "true", "true");
            assertThat(time(out)).isBetween(1.0, 10.0);
        }
    }

    @Test
    void flatInterruptAfterDeliversWhatCtrlCDelivers() throws Exception {
        try (ChildJvm child = ChildJvm.startDemo("flat", "--durations", "0,30,60", "--interrupt-after", "1s")) {
            assertThat(child.awaitExit()).as(child.transcript()).isZero();
            List<String> out = child.stdout();
            List<String> listing = listing(out);
            assertThat(listing).as(child.transcript()).hasSize(4);
            assertThat(listing.get(0)).contains("DONE", "'do_work(0)'");
            assertThat(cancelResults(out)).containsExactly("false", "true", "true", "true");
            assertThat(time(out)).isBetween(1.0, 10.0);
        }
    }

    @Test
    void flatSigtermIsHandledLikeCtrlC() throws Exception {
        try (ChildJvm child = ChildJvm.startDemo("flat", "--durations", "30,60,120")) {
            child.awaitWaitingLines(3);
            child.kill("TERM");

            assertThat(child.awaitExit()).as(child.transcript()).isZero();
            assertThat(listing(child.stdout())).hasSize(4).allMatch(l -> l.contains("RUNNING"));
            assertThat(cancelResults(child.stdout())).containsExactly("true", "true", "true", "true");
            assertThat(time(child.stdout())).isBetween(0.0, 10.0);
        }
    }

    @Test
    void nestedCtrlCCancelsTheWholeGroup() throws Exception {
        try (ChildJvm child = ChildJvm.startDemo("nested", "--durations", "30,60,120")) {
            child.awaitWaitingLines(3);
            child.kill("INT");

            assertThat(child.awaitExit()).as(child.transcript()).isZero();
            List<String> out = child.stdout();
            assertThat(out).as(child.transcript()).hasSize(5);
            assertThat(out.get(3)).isEqualTo("true");
            assertThat(out).noneMatch(l -> l.startsWith("Task res:"));
            assertThat(time(out)).isBetween(0.0, 10.0);
        }
    }

    @Test
    void nestedInterruptAfter() throws Exception {
        try (ChildJvm child = ChildJvm.startDemo("nested", "--durations", "30,60,120", "--interrupt-after", "500ms")) {
            assertThat(child.awaitExit()).as(child.transcript()).isZero();
            assertThat(child.stdout()).as(child.transcript()).hasSize(5).contains("true");
            assertThat(time(child.stdout())).isBetween(0.5, 10.0);
        }
    }

    @Test
    void nestedRunsToCompletionAndPrintsEachResult() throws Exception {
        try (ChildJvm child = ChildJvm.startDemo("nested", "--durations", "0.1,0.2,0.4")) {
            assertThat(child.awaitExit()).as(child.transcript()).isZero();
            List<String> out = child.stdout();
            assertThat(out.subList(0, 3)).containsExactlyInAnyOrder("waiting:  0.1", "waiting:  0.2", "waiting:  0.4");
            assertThat(out.subList(3, 6)).containsExactly(
                    "Task res: DONE AFTER 0.1S", "Task res: DONE AFTER 0.2S", "Task res: DONE AFTER 0.4S");
            assertThat(time(out)).isBetween(0.4, 10.0);
            assertThat(child.stderr()).isEmpty();
        }
    }

    @Test
    void stuckTaskIsReportedByNameAfterTheGracePeriodAndTheProgramStillExits() throws Exception {
        try (ChildJvm child = ChildJvm.startDemo("flat", "--durations", "30,60,120", "--stuck-task", "--grace", "1s")) {
            child.awaitWaitingLines(3);
            awaitStuckTaskSpinning(child); // a task cancelled before its body began would never run
            child.kill("INT");

            assertThat(child.awaitExit()).as(child.transcript()).isEqualTo(130);
            String err = String.join("\n", child.stderr());
            assertThat(err).contains("did not finish within the grace period of 1s", "'stuck'",
                    "likely reason: busy loop", "at io.github.loomtasks.demo.Tutorial.spin(",
                    "main work on thread 'main' has not returned", "exiting with status 130");
            assertThat(child.stdout()).noneMatch(l -> l.startsWith("TIME:"));
        }
    }

    @Test
    void secondCtrlCExitsAtOnce() throws Exception {
        try (ChildJvm child = ChildJvm.startDemo("flat", "--durations", "30,60,120", "--stuck-task", "--grace", "PT1H")) {
            child.awaitWaitingLines(3);
            awaitStuckTaskSpinning(child);
            child.kill("INT");
            // the program handled the first: it printed every cancel result and now waits for 'stuck'
            child.awaitStdout("five cancel results", out -> cancelResults(out).size() == 5);
            child.kill("INT");

            assertThat(child.awaitExit()).as(child.transcript()).isEqualTo(130);
            assertThat(child.stderr()).anyMatch(l -> l.contains("second signal, SIGINT (Ctrl-C): exiting at once"));
        }
    }

    @Test
    void sigintInheritedAsIgnoredIsReportedAndSigtermStillWorks() throws Exception {
        try (ChildJvm child = ChildJvm.startDemoWithSigintIgnored("flat", "--durations", "30,60,120")) {
            child.awaitStderrLine("the warning", l -> l.contains("SIGINT is ignored in this process"));
            child.awaitWaitingLines(3);
            child.kill("TERM");

            assertThat(child.awaitExit()).as(child.transcript()).isZero();
            assertThat(String.join("\n", child.stderr())).contains("env --default-signal=INT", "SIGTERM");
            assertThat(cancelResults(child.stdout())).hasSize(4);
        }
    }

    @Test
    void malformedCommandLineExits2WithAMessage() throws Exception {
        try (ChildJvm child = ChildJvm.startDemo("flat", "--durations", "1,-2")) {
            assertThat(child.awaitExit()).isEqualTo(2);
            assertThat(child.stderr()).containsExactly(
                    "loomtasks: --durations: '-2' is negative: give seconds of 0 or more",
                    "Run 'loomtasks --help' for usage.");
            assertThat(child.stdout()).isEmpty();
        }
    }

    /**
     * On a real JDK 21, where blocking inside {@code synchronized} pins the carrier, neither program
     * pins: {@code -Djdk.tracePinnedThreads=full} prints nothing. Runs when the system property
     * {@code loomtasks.jdk21.home} names a JDK 21 ({@code -Dloomtasks.jdk21.home="$(../shared/tools/jdk21)"}).
     */
    @Test
    void neitherProgramPinsOnJdk21() throws Exception {
        String home = System.getProperty("loomtasks.jdk21.home", "");
        assumeTrue(!home.isEmpty(), "set -Dloomtasks.jdk21.home to a JDK 21 to run this test");
        Path java = Path.of(home, "bin", "java");
        assertThat(Files.isExecutable(java)).as(java + " is executable").isTrue();
        List<String> trace = List.of("-Djdk.tracePinnedThreads=full");
        try (ChildJvm flat = ChildJvm.startDemo(java.toString(), trace, "flat", "--durations", "0,30,60", "--interrupt-after", "1s");
                ChildJvm nested = ChildJvm.startDemo(java.toString(), trace, "nested", "--durations", "0.1,0.2,0.4")) {
            assertThat(flat.awaitExit()).as(flat.transcript()).isZero();
            assertThat(nested.awaitExit()).as(nested.transcript()).isZero();
            assertThat(flat.stderr()).as(flat.transcript()).isEmpty();
            assertThat(nested.stderr()).as(nested.transcript()).isEmpty();
            assertThat(cancelResults(flat.stdout())).containsExactly("false", "true", "true", "true");
            assertThat(flat.stdout()).noneMatch(l -> l.contains("pinned") || l.contains("<== monitors"));
            assertThat(nested.stdout()).noneMatch(l -> l.contains("pinned") || l.contains("<== monitors"));
        }
    }

    private static List<String> listing(List<String> out) {
        return out.stream().filter(l -> l.startsWith("<Task ")).toList();
    }

    private static List<String> cancelResults(List<String> out) {
        return out.stream().filter(l -> l.equals("true") || l.equals("false")).toList();
    }

    private static double time(List<String> out) {
        List<String> times = out.stream().filter(l -> l.startsWith("TIME:  ")).toList();
        assertThat(times).as("one TIME line in " + out).hasSize(1);
        return Double.parseDouble(times.get(0).substring("TIME:  ".length()));
    }

    private static void awaitStuckTaskSpinning(ChildJvm child) {
        child.awaitStdout("the stuck task spinning", out -> out.contains("stuck: spinning, deaf to cancellation"));
    }
}
