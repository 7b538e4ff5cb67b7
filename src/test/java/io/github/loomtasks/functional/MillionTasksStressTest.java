package io.github.loomtasks.functional;

import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Policy;
import io.github.loomtasks.ScopeConfig;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import io.github.loomtasks.testing.Gate;
import io.github.loomtasks.testing.RecordingThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many tasks forked into one scope and cancelled by its close, half of them RUNNING (parked) and
 * half PENDING, with every task accounted for: each is CANCELLED with exactly the close's request,
 * none is left in the registry, every thread the scope made has started and run to its end, and none
 * is alive. The full run (a million tasks, about a minute on 2 cores) is tagged
 * {@code stress-full}; CI runs the same check on fewer tasks.
 *
 * <pre>
 * ./mvnw verify -Dloomtasks.test.groups=stress-full -Dloomtasks.test.excludedGroups= -Dtest=MillionTasksStressTest
 * </pre>
 */
class MillionTasksStressTest {
    private static final int FULL = Integer.getInteger("loomtasks.stress.million", 1_000_000);
    private static final int BOUNDED = Integer.getInteger("loomtasks.stress.accounted", 20_000);

    @Test
    @Tag("stress-full")
    void aMillionTasksAreCancelledByCloseAndAllAccountedFor() {
        forkThenCloseAccountingForEveryTask(FULL);
    }

    @Test
    @Tag("stress")
    void manyTasksAreCancelledByCloseAndAllAccountedFor() {
        forkThenCloseAccountingForEveryTask(BOUNDED);
    }

    /**
     * Forks the first half of the tasks and waits until their bodies run (they park until
     * cancelled), then forks the second half with threads held at a gate, so that close finds both
     * RUNNING and PENDING tasks. The first body that close's cancel interrupts opens the gate; a
     * gated task that close cancelled first never runs its body, one that it reached later runs and
     * is interrupted like the others.
     */
    private static void forkThenCloseAccountingForEveryTask(int count) {
        var gate = new Gate();
        var gateNewThreads = new AtomicBoolean();
        var threads = new RecordingThreadFactory(
                r -> gateNewThreads.get() ? gate.newThread(r) : Thread.ofVirtual().unstarted(r));
        var config = ScopeConfig.defaults().withName("stress-" + count).withThreadFactory(threads);
        var bodiesStarted = new LongAdder();
        Callable<Object> body = () -> {
            bodiesStarted.increment();
            try {
                return sleepForever();
            } finally {
                gate.open();
            }
        };
        int running = count / 2;
        List<Task<?>> tasks = new ArrayList<>(count);
        long t0 = System.nanoTime();
        long parked;
        long forked;
        int registered;
        try (var scope = TaskScope.open(Policy.awaitAll(), config)) {
            for (int i = 0; i < running; i++) {
                tasks.add(scope.fork(body));
            }
            await().atMost(Duration.ofMinutes(10)).until(() -> bodiesStarted.sum() >= running);
            parked = System.nanoTime();
            gateNewThreads.set(true);
            for (int i = running; i < count; i++) {
                tasks.add(scope.fork(body));
            }
            forked = System.nanoTime();
            registered = Tasks.all().size();
        }
        long closed = System.nanoTime();

        assertThat(registered).as("tasks listed while the scope was open").isGreaterThanOrEqualTo(count);
        Set<Task<?>> stillListed = Collections.newSetFromMap(new IdentityHashMap<>());
        stillListed.addAll(Tasks.all());
        long cancelled = 0;
        for (Task<?> t : tasks) {
            if (t.state() != Task.State.CANCELLED || t.cancelRequests() != 1 || stillListed.contains(t)) {
                throw new AssertionError("not accounted for after close: " + t + ", requests=" + t.cancelRequests()
                        + ", listed=" + stillListed.contains(t));
            }
            cancelled++;
        }
        assertThat(cancelled).isEqualTo(count);
        assertThat(threads.awaitAllEnded()).as("every thread ends after close").isTrue();
        assertThat(threads.made()).as("threads made").isEqualTo(count);
        assertThat(threads.began()).as("threads started").isEqualTo(count);
        assertThat(threads.ended()).as("threads that ran to their end").isEqualTo(count);
        assertThat(threads.alive()).as("threads alive after close").isZero();
        long bodies = bodiesStarted.sum();
        assertThat(bodies).as("bodies started").isBetween((long) running, (long) count);

        System.out.printf("MillionTasksStressTest: %,d tasks, virtual threads, Java %s: %,d forked and parked in %,d ms,"
                        + " %,d more forked behind a gate in %,d ms, close (cancel + wait for every thread) %,d ms,"
                        + " total %,d ms; %,d cancelled while RUNNING, %,d while PENDING (body never ran);"
                        + " all CANCELLED with 1 request, none listed, %,d threads made, started, ended, none alive%n",
                count, Runtime.version(), running, ms(parked - t0), count - running, ms(forked - parked),
                ms(closed - forked), ms(closed - t0), bodies, count - bodies, threads.made());
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
