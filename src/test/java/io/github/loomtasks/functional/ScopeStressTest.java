package io.github.loomtasks.functional;

import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import io.github.loomtasks.testing.Gate;
import io.github.loomtasks.Policy;
import io.github.loomtasks.ScopeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many tasks and many rounds of racing start, cancel and close. Tagged so CI can run it apart. */
@Tag("stress")
class ScopeStressTest {
    private static final int TASKS = Integer.getInteger("loomtasks.stress.tasks", 100_000);
    private static final int ROUNDS = Integer.getInteger("loomtasks.stress.rounds", 2_000);

    @Test
    void manyTasksForkedIntoAScopeAreAllCancelledByClose() throws Exception {
        List<Task<?>> tasks = new ArrayList<>(TASKS);
        var started = new AtomicInteger();
        try (var scope = TaskScope.open()) {
            for (int i = 0; i < TASKS; i++) {
                tasks.add(scope.fork(() -> {
                    started.incrementAndGet();
                    return sleepForever();
                }));
            }
            // let a good share park, so that close cancels running tasks and not only pending ones
            await().atMost(Duration.ofMinutes(2)).until(() -> started.get() >= TASKS / 2);
        }
        for (Task<?> t : tasks) {
            assertThat(t.state()).isEqualTo(Task.State.CANCELLED);
        }
        assertThat(Tasks.all()).isEmpty();
        assertThat(tasks).allSatisfy(t -> assertThat(t.isDone()).isTrue());
    }

    /**
     * Start against cancel: a body that records that it ran and never throws. It ran exactly when
     * the task ended DONE; it did not run exactly when the task ended CANCELLED; cancel() returned
     * false only for a task that was DONE.
     */
    @Test
    void cancelRacingStartNeverRunsACancelledBodyAndLosesNoResult() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            var ran = new AtomicBoolean();
            boolean accepted;
            Task<Integer> task;
            try (var scope = TaskScope.open()) {
                task = scope.fork(() -> {
                    ran.set(true);
                    return 42;
                });
                if (ThreadLocalRandom.current().nextBoolean()) {
                    Thread.onSpinWait();
                }
                accepted = task.cancel();
                scope.join();
            }
            if (ran.get()) {
                assertThat(task.state()).isEqualTo(Task.State.DONE);
                assertThat(task.resultNow()).isEqualTo(42);
            } else {
                assertThat(task.state()).isEqualTo(Task.State.CANCELLED);
                assertThat(accepted).isTrue();
            }
            if (!accepted) {
                assertThat(task.state()).isEqualTo(Task.State.DONE);
                assertThat(task.cancelRequests()).isZero();
            }
        }
    }

    /**
     * Join against the ends of the last tasks, one of which forks a child as it ends: join wakes up
     * (a lost wake-up would park it for good; the timeout interrupts it and fails the test) and
     * returns only once the child has ended too. jcstress checks the same two races on the counts
     * alone ({@code OwnerWaitVsLastEnd}, {@code OwnerWaitVsForkFromTask}).
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void joinRacingTheLastEndsWakesUpOnlyOnceEveryTaskEnded() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            var child = new AtomicReference<Task<Integer>>();
            try (var scope = TaskScope.open()) {
                scope.fork(() -> {
                    child.set(scope.fork(() -> 2));
                    return 1;
                });
                scope.fork(() -> 3);
                scope.join();
                assertThat(child.get().state()).isEqualTo(Task.State.DONE);
                assertThat(scope.tasks()).hasSize(3).allSatisfy(t -> assertThat(t.isDone()).isTrue());
            }
        }
    }

    /** Close against forks from the scope's own tasks: every task ends, none escapes the scope. */
    @Test
    void closeRacingForksFromTasksLeavesNothingBehind() throws Exception {
        for (int round = 0; round < ROUNDS / 10; round++) {
            TaskScope<?> closed;
            var forking = new CountDownLatch(1);
            try (var scope = TaskScope.open()) {
                closed = scope;
                scope.fork("spawner", () -> {
                    for (int i = 0; i < 10; i++) {
                        scope.fork(() -> sleepForever());
                    }
                    forking.countDown();
                    for (int i = 0; i < 1_000; i++) {
                        scope.fork(() -> sleepForever());
                    }
                    return sleepForever();
                });
                forking.await();
            }
            assertThat(closed.tasks()).hasSizeGreaterThan(1).allSatisfy(t -> assertThat(t.isDone()).isTrue());
            assertThat(Tasks.all()).isEmpty();
        }
    }

    /** Cancel before start, always: with a gate holding the threads, no body ever runs. */
    @Test
    void pendingTasksCancelledByCloseNeverRun() {
        var gate = new Gate();
        var ran = new AtomicInteger();
        List<Task<?>> tasks = new ArrayList<>();
        try (var scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withThreadFactory(gate))) {
            for (int i = 0; i < 1_000; i++) {
                tasks.add(scope.fork(() -> ran.incrementAndGet()));
            }
            scope.cancel();
            gate.open();
        }
        assertThat(ran).hasValue(0);
        assertThat(tasks).allSatisfy(t -> assertThat(t.state()).isEqualTo(Task.State.CANCELLED));
    }
}
