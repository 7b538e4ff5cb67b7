package io.github.loomtasks.functional;

import static io.github.loomtasks.testing.Bodies.signalThenSleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Policy;
import io.github.loomtasks.ScopeConfig;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import io.github.loomtasks.testing.Bodies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Dumps, snapshots and {@code toString()} read the stacks of running tasks, and a stack read
 * cannot be interrupted: they must come back even when a stack does not. Every call here runs on a
 * platform thread of its own, bounded by {@link #PATIENCE}, so that a hang fails the test instead
 * of the suite. Lives outside the library's package so that its frames count as user code.
 */
class DumpNeverHangsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static <T> T withinPatience(Supplier<T> call) throws Exception {
        return CompletableFuture.supplyAsync(call, r -> Thread.ofPlatform().daemon().start(r))
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static String lineOf(String dump, String name) {
        return dump.lines().filter(l -> l.contains("'" + name + "'")).findFirst().orElseThrow();
    }

    /**
     * A task whose thread's stack does not come until the test lets it: a thread factory may hand
     * out such threads, and it is what {@code getStackTrace()} does for a virtual thread that waits
     * for a carrier on the JDK builds that cannot read one. Without the stack reader, the dump
     * waits in that thread's {@code getStackTrace()} until the end of the test.
     */
    @Test
    void aStackThatDoesNotComeIsListedWithoutItsLocation() throws Exception {
        CountDownLatch readable = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        ScopeConfig stubborn = ScopeConfig.defaults().withName("stubborn").withThreadFactory(task -> {
            Thread t = new Thread(task) {
                @Override
                public StackTraceElement[] getStackTrace() {
                    reads.incrementAndGet();
                    Bodies.awaitUninterruptibly(readable);
                    return super.getStackTrace();
                }
            };
            t.setDaemon(true);
            return t;
        });
        CountDownLatch started = new CountDownLatch(2);
        try (var scope = TaskScope.open(Policy.awaitAll(), stubborn); var other = TaskScope.open()) {
            Task<?> unreadable = scope.fork("unreadable", () -> signalThenSleepForever(started));
            other.fork("readable", () -> signalThenSleepForever(started));
            started.await();

            String dump = withinPatience(Tasks::dump);
            assertThat(lineOf(dump, "unreadable")).contains("'unreadable' at (location unavailable: its stack could"
                    + " not be read within 500 ms; the thread may be waiting for a carrier)");
            assertThat(lineOf(dump, "readable")).contains("at Bodies.sleepForever(Bodies.java:");
            // the reader that waits for it is not joined by another: each comes back at once
            assertThat(withinPatience(Tasks::dumpJson)).contains("\"runningAt\":\"(location unavailable");
            assertThat(withinPatience(unreadable::toString)).contains("(location unavailable");
            assertThat(reads).hasValue(1);

            readable.countDown();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(withinPatience(unreadable::toString))
                    .contains("'unreadable' at Bodies.sleepForever(Bodies.java:"));
        }
    }

    private static volatile boolean stop;

    /**
     * asyncio's nightmare in Java: busy loops hold every carrier of the virtual-thread scheduler,
     * and one more task has been woken up and waits for a carrier that never comes. A dump from a
     * platform thread must come back and list them all: the spinners where they spin, the starved
     * task where it parked, or, on the JDK builds whose {@code getStackTrace()} waits for a carrier,
     * without its location.
     */
    @Test
    void aDumpComesBackWhileBusyLoopsHoldEveryCarrier() throws Exception {
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        stop = false;
        try (var scope = TaskScope.open()) {
            AtomicReference<Thread> starvedThread = new AtomicReference<>();
            scope.fork("starved", () -> parkUntilStopped(starvedThread));
            // parked, so off its carrier, before the spinners take every carrier
            await().atMost(PATIENCE).until(() -> starvedThread.get() != null
                    && starvedThread.get().getState() == Thread.State.WAITING);
            CountDownLatch spinning = new CountDownLatch(carriers);
            List<Task<?>> spinners = new ArrayList<>();
            try {
                for (int i = 0; i < carriers; i++) {
                    spinners.add(scope.fork("spinner-" + i, () -> spin(spinning)));
                }
                spinning.await(); // every carrier is held by a spinner
                LockSupport.unpark(starvedThread.get()); // runnable now, with no carrier to run on

                String dump = withinPatience(Tasks::dump);
                for (Task<?> s : spinners) {
                    assertThat(lineOf(dump, s.name())).contains("RUNNING", "at DumpNeverHangsTest.spin(");
                }
                assertThat(lineOf(dump, "starved")).containsPattern(
                        "RUNNING #\\d+ 'starved' at (DumpNeverHangsTest\\.parkUntilStopped\\(|\\(location unavailable)");
            } finally {
                stop = true;
                LockSupport.unpark(starvedThread.get());
            }
        }
    }

    private static @Nullable Void parkUntilStopped(AtomicReference<Thread> thread) {
        thread.set(Thread.currentThread());
        while (!stop) {
            LockSupport.park();
        }
        return null;
    }

    private static @Nullable Void spin(CountDownLatch spinning) {
        spinning.countDown();
        while (!stop) {
            Thread.onSpinWait(); // a busy loop that ignores its cancel: it holds its carrier
        }
        return null;
    }
}
