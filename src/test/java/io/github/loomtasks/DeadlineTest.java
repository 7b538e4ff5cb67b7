package io.github.loomtasks;

import static io.github.loomtasks.GatherTest.awaitDone;
import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Task.State;
import io.github.loomtasks.testing.Bodies;
import io.github.loomtasks.testing.BusyCarriers;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Deadlines on blocks ({@link Tasks#withTimeout}) and on scopes ({@link ScopeConfig#withTimeout}). */
class DeadlineTest {
    private static final Duration SHORT = Duration.ofMillis(100);
    private static final Duration LONG = Duration.ofDays(1);

    @AfterEach
    void theTestThreadIsLeftClean() {
        assertThat(Thread.interrupted()).as("interrupt left behind").isFalse();
        assertThat(Frame.current()).isNull();
    }

    @Test
    void aBlockWhoseDeadlinePassesThrowsDeadlineExceeded() {
        assertThatThrownBy(() -> Tasks.withTimeout(SHORT, () -> sleepForever()))
                .isInstanceOf(DeadlineExceededException.class)
                .hasCauseInstanceOf(InterruptedException.class)
                .hasMessageContaining("deadline");
    }

    @Test
    void aZeroTimeoutHasPassedBeforeTheBlockBegins() {
        assertThatThrownBy(() -> Tasks.withTimeout(Duration.ZERO, () -> sleepForever()))
                .isInstanceOf(DeadlineExceededException.class);
    }

    @Test
    void aBlockThatEndsInTimeReturnsItsResult() throws Exception {
        assertThat(Tasks.withTimeout(LONG, () -> "in time")).isEqualTo("in time");
    }

    @Test
    void aBlockThatCatchesTheDeadlineAndReturnsReturnsNormally() throws Exception {
        String result = Tasks.withTimeout(SHORT, () -> {
            try {
                return sleepForever();
            } catch (InterruptedException deadline) {
                return "partial";
            }
        });
        assertThat(result).isEqualTo("partial");
    }

    @Test
    void aBlockThatSwallowsTheDeadlineIsStoppedAtItsNextLoomtasksCall() {
        assertThatThrownBy(() -> Tasks.withTimeout(SHORT, () -> {
            try {
                sleepForever();
            } catch (InterruptedException swallowed) {
                // ignore it
            }
            Tasks.checkpoint();
            return "not reached";
        })).isInstanceOf(DeadlineExceededException.class).hasCauseInstanceOf(java.util.concurrent.CancellationException.class);
    }

    @Test
    void theScopesOpenedInsideAreCancelledWithTheDeadlineAsReason() {
        var child = new AtomicReference<Task<Object>>();
        assertThatThrownBy(() -> Tasks.withTimeout(SHORT, () -> {
            try (var scope = TaskScope.open()) {
                child.set(scope.fork("child", () -> sleepForever()));
                scope.join();
            }
            return null;
        })).isInstanceOf(DeadlineExceededException.class);
        assertThat(child.get().state()).isEqualTo(State.CANCELLED);
        assertThat(child.get().cancelReason().orElseThrow().kind()).isEqualTo(CancelReason.Kind.DEADLINE);
        assertThat(Tasks.all()).isEmpty();
    }

    /** The block's thread ignores the interrupt, so only the cancel passing through the block can end the child. */
    @Test
    void scopesOpenedInsideABlockAreListedAndReachedByTheTasksCancel() throws Exception {
        var started = new CountDownLatch(1);
        var childCancelled = new CountDownLatch(1);
        var child = new AtomicReference<Task<Object>>();
        try (var scope = TaskScope.open()) {
            Task<Object> outer = scope.fork("outer", () -> Tasks.withTimeout(LONG, () -> {
                try (var inner = TaskScope.open()) {
                    child.set(inner.fork("child", () -> {
                        try {
                            return Bodies.signalThenSleepForever(started);
                        } finally {
                            childCancelled.countDown();
                        }
                    }));
                    Bodies.awaitUninterruptibly(childCancelled);
                    return null;
                }
            }));
            started.await();
            assertThat(Tasks.all()).extracting(Task::name).containsExactly("outer", "child");
            outer.cancel();
            awaitDone(outer);
            assertThat(child.get().state()).isEqualTo(State.CANCELLED);
            assertThat(child.get().cancelReason().orElseThrow().kind()).isEqualTo(CancelReason.Kind.PARENT_CANCELLED);
        }
    }

    @Test
    void aDeadlineExceededThatEscapesABodyIsAFailureNotACancellation() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Object> task = scope.fork(() -> Tasks.withTimeout(SHORT, () -> sleepForever()));
            awaitDone(task);
            assertThat(task.state()).isEqualTo(State.DONE);
            assertThat(task.exceptionNow()).isInstanceOf(DeadlineExceededException.class);
        }
    }

    @Test
    void anInnerDeadlinePassingLeavesTheOuterBlockRunning() throws Exception {
        String result = Tasks.withTimeout(LONG, () -> {
            assertThatThrownBy(() -> Tasks.withTimeout(SHORT, () -> sleepForever()))
                    .isInstanceOf(DeadlineExceededException.class);
            Tasks.checkpoint(); // the outer block is not cancelled
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            return "outer ran on";
        });
        assertThat(result).isEqualTo("outer ran on");
    }

    @Test
    void anOuterDeadlinePassingIsNotReportedByTheInnerBlock() {
        var innerSaw = new AtomicReference<Throwable>();
        assertThatThrownBy(() -> Tasks.withTimeout(SHORT, () -> {
            try {
                return Tasks.withTimeout(LONG, () -> sleepForever());
            } catch (Exception e) {
                innerSaw.set(e);
                throw e;
            }
        })).isInstanceOf(DeadlineExceededException.class).hasMessageContaining(SHORT.toString());
        assertThat(innerSaw.get()).isInstanceOf(InterruptedException.class);
    }

    /** Both deadlines pass; each block reports only its own. */
    @Test
    void nestedDeadlinesThatBothPassAreEachReportedByTheirOwnBlock() {
        var innerSaw = new AtomicReference<Throwable>();
        assertThatThrownBy(() -> Tasks.withTimeout(Duration.ofMillis(150), () -> {
            try {
                Tasks.withTimeout(Duration.ofMillis(50), () -> sleepForever());
            } catch (DeadlineExceededException e) {
                innerSaw.set(e);
            }
            return sleepForever();
        })).isInstanceOf(DeadlineExceededException.class).hasMessageContaining("PT0.15S");
        assertThat(innerSaw.get()).hasMessageContaining("PT0.05S");
    }

    /**
     * The task is cancelled while its block, whose deadline has passed, swallows the interrupt and
     * returns: the block returns its value (the outer request wins over the timeout), and the
     * request is delivered again after it, so the task still ends CANCELLED.
     */
    @Test
    void anOuterCancelArrivingAfterTheDeadlinePassedIsNotLost() throws Exception {
        var frame = new AtomicReference<Frame>();
        var release = new CountDownLatch(1);
        var blockReturned = new AtomicReference<Object>();
        try (var scope = TaskScope.open()) {
            Task<Object> task = scope.fork("task", () -> {
                blockReturned.set(Tasks.withTimeout(SHORT, () -> {
                    frame.set(Frame.current());
                    Bodies.awaitUninterruptibly(release);
                    Thread.interrupted(); // swallow whatever arrived
                    return "swallowed";
                }));
                return sleepForever();
            });
            await().until(() -> frame.get() != null && frame.get().pendingForThread() != null); // deadline passed
            assertThat(task.cancel()).isTrue();
            release.countDown();
            awaitDone(task);
            assertThat(blockReturned.get()).isEqualTo("swallowed");
            assertThat(task.state()).isEqualTo(State.CANCELLED);
            assertThat(task.cancelReason().orElseThrow().kind()).isEqualTo(CancelReason.Kind.REQUESTED);
        }
    }

    /** The same, with a block that ends by the interrupt: the outer request wins, no timeout is reported. */
    @Test
    void anOuterCancelPendingWhenTheDeadlinePassesWinsOverTheTimeout() throws Exception {
        var entered = new CountDownLatch(1);
        var frame = new AtomicReference<Frame>();
        var release = new CountDownLatch(1);
        var blockThrew = new AtomicReference<Throwable>();
        try (var scope = TaskScope.open()) {
            Task<Object> task = scope.fork("task", () -> {
                try {
                    return Tasks.withTimeout(SHORT, () -> {
                        frame.set(Frame.current());
                        entered.countDown();
                        Bodies.awaitUninterruptibly(release); // keeps the interrupt status
                        return sleepForever();
                    });
                } catch (Exception e) {
                    blockThrew.set(e);
                    throw e;
                }
            });
            entered.await();
            assertThat(task.cancel()).isTrue();
            await().until(() -> frame.get().pendingForThread() != null); // and then the deadline passes
            release.countDown();
            awaitDone(task);
            assertThat(blockThrew.get()).isInstanceOf(InterruptedException.class);
            assertThat(task.state()).isEqualTo(State.CANCELLED);
        }
    }

    /** A deadline passing while a cancel arrives: whatever the interleaving, the cancel is never lost. */
    @Test
    @Tag("stress")
    void aDeadlinePassingWhileACancelArrivesNeverLosesTheCancel() throws Exception {
        for (int round = 0; round < 300; round++) {
            var entered = new CountDownLatch(1);
            Duration deadline = Duration.ofNanos(ThreadLocalRandom.current().nextLong(0, 300_000));
            try (var scope = TaskScope.open()) {
                Task<Object> task = scope.fork("task", () -> {
                    try {
                        Tasks.withTimeout(deadline, () -> {
                            entered.countDown();
                            return sleepForever();
                        });
                    } catch (DeadlineExceededException timedOut) {
                        // the deadline passed first; the cancel must still stop what follows
                    }
                    return sleepForever();
                });
                entered.await();
                if (ThreadLocalRandom.current().nextBoolean()) {
                    Thread.onSpinWait();
                }
                assertThat(task.cancel()).isTrue();
                awaitDone(task);
                assertThat(task.state()).isEqualTo(State.CANCELLED);
            }
        }
    }

    /** A block ending just as its deadline passes never leaves an interrupt behind. */
    @Test
    @Tag("stress")
    void aDeadlineRacingTheEndOfItsBlockLeavesNoInterrupt() throws Exception {
        for (int round = 0; round < 2_000; round++) {
            Duration deadline = Duration.ofNanos(ThreadLocalRandom.current().nextLong(0, 50_000));
            try {
                Tasks.withTimeout(deadline, () -> {
                    long end = System.nanoTime() + ThreadLocalRandom.current().nextLong(0, 50_000);
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    return null;
                });
            } catch (DeadlineExceededException e) {
                throw new AssertionError("a block that does not block cannot be stopped by its deadline", e);
            }
            assertThat(Thread.currentThread().isInterrupted()).as("round %d", round).isFalse();
        }
        Thread.sleep(SHORT); // a timer that outlived its block would interrupt this sleep
    }

    @Test
    void aScopeWhoseDeadlinePassesIsCancelledAndJoinThrows() throws Exception {
        Task<Object> task;
        try (var scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withTimeout(SHORT))) {
            task = scope.fork("slow", () -> sleepForever());
            assertThatThrownBy(scope::join).isInstanceOf(DeadlineExceededException.class).hasMessageContaining("deadline");
        }
        assertThat(task.state()).isEqualTo(State.CANCELLED);
        assertThat(task.cancelReason().orElseThrow().kind()).isEqualTo(CancelReason.Kind.DEADLINE);
    }

    @Test
    @SuppressWarnings("try") // the busy carriers matter while open, unreferenced
    void aScopeDeadlineIsATimeJoinThrowsOnceItPassedEvenIfItsTimerCouldNotRunYet() throws Exception {
        // the timer fires on a virtual thread; with every carrier busy it cannot run, while the
        // owner (this platform thread) and the task (a platform thread) can
        ScopeConfig config = ScopeConfig.defaults().withTimeout(SHORT).withThreadFactory(Thread.ofPlatform().daemon().factory());
        var release = new CountDownLatch(1);
        try (var busy = BusyCarriers.occupyAll();
                var scope = TaskScope.open(Policy.awaitAll(), config)) {
            long opened = System.nanoTime();
            Task<String> stubborn = scope.fork("stubborn", () -> {
                Bodies.awaitUninterruptibly(release);
                return "late";
            });
            await().until(() -> System.nanoTime() - opened > SHORT.toNanos());
            Assumptions.assumeFalse(scope.isCancelled(), "a spare carrier ran the deadline's timer after all");
            release.countDown();
            assertThatThrownBy(scope::join).isInstanceOf(DeadlineExceededException.class);
            assertThat(stubborn.resultNow()).isEqualTo("late");
            assertThat(scope.cancelReason().orElseThrow().kind()).isEqualTo(CancelReason.Kind.DEADLINE);
        }
    }

    @Test
    void aScopeThatFinishesInTimeJoinsNormally() throws Exception {
        try (var scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withTimeout(LONG))) {
            Task<Integer> task = scope.fork(() -> 1);
            scope.join();
            assertThat(task.resultNow()).isEqualTo(1);
            assertThat(scope.isCancelled()).isFalse();
        }
    }

    @Test
    void anInnerScopesDeadlineDoesNotCancelTheOuterScope() throws Exception {
        try (var outer = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withTimeout(LONG))) {
            Task<Object> outerTask = outer.fork("outer-task", () -> sleepForever());
            try (var inner = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withTimeout(SHORT))) {
                inner.fork("inner-task", () -> sleepForever());
                assertThatThrownBy(inner::join).isInstanceOf(DeadlineExceededException.class);
            }
            assertThat(outer.isCancelled()).isFalse();
            assertThat(outerTask.state()).isEqualTo(State.RUNNING);
            outer.cancel();
        }
    }

    /**
     * The outer deadline cancels the inner scope through the task: the inner join either returns
     * (its tasks ended) or is interrupted, but never reports a deadline that is not its own.
     */
    @Test
    void anOuterScopesDeadlineIsNotReportedByAnInnerScope() throws Exception {
        var innerJoin = new AtomicReference<Object>();
        var innerTask = new AtomicReference<Task<Object>>();
        try (var outer = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withTimeout(SHORT))) {
            outer.fork("task", () -> {
                try (var inner = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withTimeout(LONG))) {
                    innerTask.set(inner.fork(() -> sleepForever()));
                    inner.join();
                    innerJoin.set("returned");
                    return null;
                } catch (Exception e) {
                    innerJoin.set(e);
                    throw e;
                }
            });
            assertThatThrownBy(outer::join).isInstanceOf(DeadlineExceededException.class);
        }
        if (innerTask.get() != null) { // the task ran before the deadline (it does, but for a stalled machine)
            assertThat(innerJoin.get()).isNotNull().isNotInstanceOf(DeadlineExceededException.class);
            assertThat(innerTask.get().cancelReason().orElseThrow().kind()).isEqualTo(CancelReason.Kind.PARENT_CANCELLED);
        }
    }

    @Test
    void misuseIsRejected() {
        assertThatThrownBy(() -> Tasks.withTimeout(null, () -> 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> Tasks.withTimeout(SHORT, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("block");
        assertThatThrownBy(() -> ScopeConfig.defaults().withTimeout(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("timeout");
    }
}
