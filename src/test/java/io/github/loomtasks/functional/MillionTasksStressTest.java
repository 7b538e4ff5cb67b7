package io.github.loomtasks.functional;

import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Policy;
import io.github.loomtasks.ScopeConfig;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import io.github.loomtasks.testing.RecordingThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many tasks forked into one scope and cancelled by its close, with every task accounted for: each
 * is CANCELLED with exactly the close's request, none is left in the registry, and every thread the
 * scope made has run to its end. The full run (a million tasks, about a minute on 2 cores) is tagged
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

    private static void forkThenCloseAccountingForEveryTask(int count) {
        var threads = new RecordingThreadFactory(Thread.ofVirtual().factory());
        var config = ScopeConfig.defaults().withName("stress-" + count).withThreadFactory(threads);
        var bodiesStarted = new LongAdder();
        List<Task<?>> tasks = new ArrayList<>(count);
        long t0 = System.nanoTime();
        long forked;
        long running;
        int registered;
        int startedAtClose;
        try (var scope = TaskScope.open(Policy.awaitAll(), config)) {
            for (int i = 0; i < count; i++) {
                tasks.add(scope.fork(() -> {
                    bodiesStarted.increment();
                    return sleepForever();
                }));
            }
            forked = System.nanoTime();
            // let at least half of them park, so that close cancels running tasks as well as pending ones
            await().atMost(Duration.ofMinutes(10)).until(() -> bodiesStarted.sum() >= count / 2);
            running = System.nanoTime();
            registered = Tasks.all().size();
            startedAtClose = (int) bodiesStarted.sum();
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
        assertThat(threads.made()).as("threads made").isEqualTo(count);
        assertThat(threads.began()).as("threads started").isEqualTo(count);
        assertThat(threads.ended()).as("threads that ran to their end").isEqualTo(count);
        assertThat(threads.alive()).as("threads alive after close").isZero();
        assertThat(bodiesStarted.sum()).as("bodies started").isLessThanOrEqualTo(count);

        System.out.printf("MillionTasksStressTest: %,d tasks on %s (Java %s): fork %,d ms, until %,d bodies ran %,d ms,"
                        + " close (cancel + wait) %,d ms, total %,d ms; %,d bodies had started, %,d were cancelled before"
                        + " their body began; all CANCELLED with 1 request, none listed, all threads ended%n",
                count, "virtual threads", Runtime.version(), ms(forked - t0), startedAtClose, ms(running - forked),
                ms(closed - running), ms(closed - t0), bodiesStarted.sum(), count - bodiesStarted.sum());
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
