package io.github.loomtasks;

import static io.github.loomtasks.GatherTest.awaitDone;
import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Task.State;
import io.github.loomtasks.testing.Bodies;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link Tasks#shield}: asyncio's shield(), Trio's shielded cancel scope. */
class ShieldTest {

    @AfterEach
    void theTestThreadIsLeftClean() {
        assertThat(Thread.interrupted()).as("interrupt left behind").isFalse();
        assertThat(Frame.current()).isNull();
    }

    /** The shielded code waits interruptibly: a cancel that reached it would end it. */
    @Test
    void aCancelDuringTheShieldIsDeliveredWhenItEnds() throws Exception {
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var shielded = new AtomicReference<String>();
        try (var scope = TaskScope.open()) {
            Task<Object> task = scope.fork("task", () -> {
                shielded.set(Tasks.shield(() -> {
                    entered.countDown();
                    release.await();
                    return "cleanup done";
                }));
                return sleepForever();
            });
            entered.await();
            assertThat(task.cancel()).isTrue();
            assertThat(task.cancelRequests()).isEqualTo(1);
            assertThat(task.state()).isEqualTo(State.RUNNING);
            release.countDown();
            awaitDone(task);
            assertThat(shielded.get()).isEqualTo("cleanup done");
            assertThat(task.state()).isEqualTo(State.CANCELLED);
        }
    }

    @Test
    void loomtasksCallsInsideTheShieldDoNotSeeTheOuterRequest() throws Exception {
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var inner = new AtomicReference<Task<String>>();
        try (var scope = TaskScope.open()) {
            Task<String> task = scope.fork("task", () -> {
                String r = Tasks.shield(() -> {
                    try (var s = TaskScope.open()) {
                        inner.set(s.fork("inner", () -> {
                            release.await();
                            return "inner result";
                        }));
                        entered.countDown();
                        Bodies.awaitUninterruptibly(release);
                        Tasks.checkpoint();
                        return inner.get().join();
                    }
                });
                Tasks.checkpoint(); // the request is pending again after the shield
                return r;
            });
            entered.await();
            task.cancel();
            release.countDown();
            awaitDone(task);
            assertThat(inner.get().state()).isEqualTo(State.DONE);
            assertThat(inner.get().cancelRequests()).isZero(); // the shield stopped the task's cancel
            assertThat(task.state()).isEqualTo(State.CANCELLED);
        }
    }

    /** A request delivered before the shield and not consumed is held back, then given back. */
    @Test
    void aRequestPendingWhenTheShieldOpensIsHeldBackUntilItCloses() throws Exception {
        var cancelled = new CountDownLatch(1);
        var insideInterrupted = new AtomicBoolean(true);
        try (var scope = TaskScope.open()) {
            Task<Object> task = scope.fork("task", () -> {
                Bodies.awaitUninterruptibly(cancelled); // leaves the interrupt status set
                Tasks.shield(() -> {
                    insideInterrupted.set(Thread.currentThread().isInterrupted());
                    Thread.sleep(Duration.ofMillis(1)); // would throw if the interrupt leaked in
                    return null;
                });
                return sleepForever();
            });
            await().until(() -> task.state() == State.RUNNING);
            task.cancel();
            cancelled.countDown();
            awaitDone(task);
            assertThat(insideInterrupted.get()).isFalse();
            assertThat(task.state()).isEqualTo(State.CANCELLED);
        }
    }

    @Test
    void aShieldedBlockCanHaveItsOwnDeadline() throws Exception {
        var entered = new CountDownLatch(1);
        var shieldEnded = new AtomicReference<Throwable>();
        try (var scope = TaskScope.open()) {
            Task<Object> task = scope.fork("task", () -> {
                try {
                    Tasks.shield(() -> Tasks.withTimeout(Duration.ofMillis(100), () -> Bodies.signalThenSleepForever(entered)));
                } catch (DeadlineExceededException e) {
                    shieldEnded.set(e);
                }
                return sleepForever();
            });
            entered.await();
            task.cancel(); // held back; the shield's own deadline still ends it
            awaitDone(task);
            assertThat(shieldEnded.get()).isInstanceOf(DeadlineExceededException.class);
            assertThat(task.state()).isEqualTo(State.CANCELLED);
        }
    }

    @Test
    void anEnclosingDeadlineWaitsForTheShieldThenCancels() {
        var frame = new AtomicReference<Frame>();
        var release = new CountDownLatch(1);
        var shielded = new AtomicReference<String>();
        Thread helper = Thread.ofVirtual().start(() -> {
            await().until(() -> frame.get() != null && frame.get().pendingForThread() != null);
            release.countDown();
        });
        assertThatThrownBy(() -> Tasks.withTimeout(Duration.ofMillis(100), () -> {
            frame.set(Frame.current());
            shielded.set(Tasks.shield(() -> {
                release.await(); // the deadline passes here and does not interrupt
                return "finished";
            }));
            return sleepForever();
        })).isInstanceOf(DeadlineExceededException.class);
        assertThat(shielded.get()).isEqualTo("finished");
        assertThat(helper.isAlive() && release.getCount() > 0).isFalse();
    }

    @Test
    void aScopeClosingWaitsForTheShieldedCodeOfItsTask() throws Exception {
        var entered = new CountDownLatch(1);
        var finished = new AtomicBoolean();
        Task<Object> task;
        Thread closer;
        var release = new CountDownLatch(1);
        try (var scope = TaskScope.open()) {
            task = scope.fork("task", () -> Tasks.shield(() -> {
                entered.countDown();
                release.await();
                finished.set(true);
                return "done";
            }));
            entered.await();
            closer = Thread.ofVirtual().start(() -> {
                await().until(() -> task.cancelRequests() > 0);
                release.countDown();
            });
        }
        closer.join();
        assertThat(finished.get()).isTrue();
        assertThat(task.state()).isEqualTo(State.DONE); // the body ran to its end: it ignored the cancel
        assertThat(task.cancelIgnored()).isTrue();
    }

    @Test
    void misuseIsRejected() {
        assertThatThrownBy(() -> Tasks.shield(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("block");
    }

    /**
     * A cancel racing the opening and closing of a shield: no interrupt ever lands inside it, and
     * the request is delivered after it exactly once.
     */
    @Test
    @Tag("stress")
    void aCancelRacingTheShieldIsDeliveredOnceAndNeverInside() throws Exception {
        var leakedIn = new AtomicInteger();
        var deliveredTwice = new AtomicInteger();
        for (int round = 0; round < 500; round++) {
            var cancelReturned = new AtomicBoolean();
            var started = new CountDownLatch(1);
            try (var scope = TaskScope.open()) {
                Task<Object> task = scope.fork("task", () -> {
                    started.countDown();
                    spin(ThreadLocalRandom.current().nextInt(0, 20_000));
                    Tasks.shield(() -> {
                        spin(ThreadLocalRandom.current().nextInt(0, 20_000));
                        if (Thread.currentThread().isInterrupted()) {
                            leakedIn.incrementAndGet();
                        }
                        return null;
                    });
                    try {
                        return sleepForever();
                    } catch (InterruptedException delivered) {
                        while (!cancelReturned.get()) {
                            Thread.onSpinWait();
                        }
                        if (Thread.currentThread().isInterrupted()) {
                            deliveredTwice.incrementAndGet();
                        }
                        throw delivered;
                    }
                });
                started.await();
                spin(ThreadLocalRandom.current().nextInt(0, 20_000));
                assertThat(task.cancel()).isTrue();
                cancelReturned.set(true);
                awaitDone(task);
                assertThat(task.state()).isEqualTo(State.CANCELLED);
            }
        }
        assertThat(leakedIn.get()).isZero();
        assertThat(deliveredTwice.get()).isZero();
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
