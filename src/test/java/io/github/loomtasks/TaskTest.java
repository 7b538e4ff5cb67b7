package io.github.loomtasks;

import static io.github.loomtasks.testing.Bodies.signalThenSleepForever;
import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Task.State;
import io.github.loomtasks.testing.Bodies;
import io.github.loomtasks.testing.Gate;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The contract's sections "Task states" and "cancel()", one test per rule. */
class TaskTest {

    @ParameterizedTest
    @MethodSource("io.github.loomtasks.testing.ThreadKinds#configs")
    void bodyThatReturnsEndsDoneWithItsResult(ScopeConfig config) throws Exception {
        try (var scope = TaskScope.open(Policy.awaitAll(), config)) {
            var release = new CountDownLatch(1);
            Task<String> task = scope.fork("work", () -> {
                release.await();
                return "DONE AFTER 1S";
            });
            await().until(() -> task.state() == State.RUNNING);
            release.countDown();
            assertThat(task.join()).isEqualTo("DONE AFTER 1S");
            assertThat(task.state()).isEqualTo(State.DONE);
            assertThat(task.resultNow()).isEqualTo("DONE AFTER 1S");
            assertThat(task.cancelRequests()).isZero();
            assertThat(task.cancelReason()).isEmpty();
            assertThatThrownBy(task::exceptionNow).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("DONE with a result");
        }
    }

    @Test
    void nullResultIsAResult() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Object> task = scope.fork(() -> null);
            assertThat(task.join()).isNull();
            assertThat(task.resultNow()).isNull();
            assertThat(task.toString()).contains("DONE", "result=null");
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.loomtasks.testing.ThreadKinds#configs")
    void bodyThatThrowsEndsDoneWithItsException(ScopeConfig config) throws Exception {
        try (var scope = TaskScope.open(Policy.awaitAll(), config)) {
            var boom = new IllegalStateException("boom");
            Task<String> task = scope.fork("fails", () -> {
                throw boom;
            });
            assertThatThrownBy(task::join).isInstanceOf(TaskFailedException.class).hasCause(boom)
                    .hasMessageContaining("task 'fails' failed");
            assertThat(task.state()).isEqualTo(State.DONE);
            assertThat(task.exceptionNow()).isSameAs(boom);
            assertThatThrownBy(task::resultNow).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("DONE with an exception");
            assertThat(task.toString()).contains("exception=IllegalStateException('boom')");
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.loomtasks.testing.ThreadKinds#configs")
    void cancelOfARunningTaskInterruptsItAndItEndsCancelled(ScopeConfig config) throws Exception {
        try (var scope = TaskScope.open(Policy.awaitAll(), config)) {
            var started = new CountDownLatch(1);
            Task<String> task = scope.fork("sleeper", () -> signalThenSleepForever(started));
            started.await();
            assertThat(task.state()).isEqualTo(State.RUNNING);
            assertThat(task.cancel()).isTrue();
            assertThatThrownBy(task::join).isInstanceOf(CancellationException.class)
                    .hasMessageContaining("task 'sleeper' was cancelled: cancel() called")
                    .as("a cancelled task keeps its reason, not its body's InterruptedException").hasNoCause();
            assertThat(task.state()).isEqualTo(State.CANCELLED);
            assertThat(task.cancelReason()).contains(CancelReason.requested());
            assertThat(task.cancelIgnored()).isFalse();
            assertThatThrownBy(task::resultNow).isInstanceOf(IllegalStateException.class).hasMessageContaining("CANCELLED");
            assertThatThrownBy(task::exceptionNow).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void cancelReturnsFalseOnceTerminalAndTrueAgainForARepeatedRequest() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<String> done = scope.fork(() -> "x");
            done.join();
            assertThat(done.cancel()).isFalse();
            assertThat(done.cancelRequests()).isZero();

            var caught = new CountDownLatch(1);
            var stop = new CountDownLatch(1);
            Task<String> stubborn = scope.fork("stubborn", () -> {
                try {
                    sleepForever();
                } catch (InterruptedException e) {
                    caught.countDown();
                }
                Bodies.awaitUninterruptibly(stop); // a second request interrupts again: keep ignoring it
                return "ignored";
            });
            await().until(() -> stubborn.state() == State.RUNNING);
            assertThat(stubborn.cancel()).isTrue();
            caught.await();
            assertThat(stubborn.cancel(CancelReason.requested("again"))).isTrue();
            assertThat(stubborn.cancelRequests()).isEqualTo(2);
            assertThat(stubborn.cancelReason()).contains(CancelReason.requested());
            assertThat(stubborn.state()).isEqualTo(State.RUNNING);
            assertThat(stubborn.toString()).contains("cancelling=2", "reason=<cancel() called>");
            stop.countDown();
            assertThat(stubborn.join()).isEqualTo("ignored");
            assertThat(stubborn.cancelIgnored()).isTrue();
        }
    }

    @Test
    void bodyThatCatchesTheRequestAndReturnsEndsDoneAndKeepsTheIgnoredRequest() throws Exception {
        try (var scope = TaskScope.open()) {
            var started = new CountDownLatch(1);
            Task<String> task = scope.fork("stubborn", () -> {
                try {
                    return signalThenSleepForever(started);
                } catch (InterruptedException e) {
                    return "finished anyway";
                }
            });
            started.await();
            assertThat(task.cancel(CancelReason.requested("stop please"))).isTrue();
            assertThat(task.join()).isEqualTo("finished anyway");
            assertThat(task.state()).isEqualTo(State.DONE);
            assertThat(task.cancelIgnored()).isTrue();
            assertThat(task.toString()).contains("result='finished anyway'", "ignored_cancel=<stop please>");
        }
    }

    @Test
    void pendingTaskThatIsCancelledNeverRunsItsBody() throws Exception {
        var gate = new Gate();
        var ran = new AtomicBoolean();
        try (var scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withThreadFactory(gate))) {
            Task<String> task = scope.fork("never", () -> {
                ran.set(true);
                return "ran";
            });
            assertThat(task.state()).isEqualTo(State.PENDING);
            assertThat(task.cancel()).isTrue();
            assertThat(task.state()).isEqualTo(State.CANCELLED);
            assertThat(task.cancel()).isFalse();
            gate.open();
            assertThatThrownBy(task::join).isInstanceOf(CancellationException.class).hasNoCause();
        }
        assertThat(ran).isFalse();
    }

    @Test
    void foreignInterruptCountsAsACancelRequest() throws Exception {
        try (var scope = TaskScope.open()) {
            var thread = new java.util.concurrent.atomic.AtomicReference<Thread>();
            var started = new CountDownLatch(1);
            Task<String> task = scope.fork("interrupted", () -> {
                thread.set(Thread.currentThread());
                return signalThenSleepForever(started);
            });
            started.await();
            thread.get().interrupt();
            assertThatThrownBy(task::join).isInstanceOf(CancellationException.class);
            assertThat(task.state()).isEqualTo(State.CANCELLED);
            assertThat(task.cancelRequests()).isEqualTo(1);
            assertThat(task.cancelReason()).map(CancelReason::kind).contains(CancelReason.Kind.INTERRUPTED);
        }
    }

    @Test
    void bodyThrowingCancellationExceptionOnItsOwnIsCancelled() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<String> task = scope.fork(() -> {
                throw new CancellationException("giving up");
            });
            assertThatThrownBy(task::join).isInstanceOf(CancellationException.class);
            assertThat(task.state()).isEqualTo(State.CANCELLED);
            assertThat(task.cancelReason()).map(CancelReason::kind).contains(CancelReason.Kind.SELF);
        }
    }

    @Test
    void exceptionCausedByTheInterruptAfterARequestEndsCancelled() throws Exception {
        try (var scope = TaskScope.open()) {
            var started = new CountDownLatch(1);
            Task<String> task = scope.fork(() -> {
                try {
                    return signalThenSleepForever(started);
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("read interrupted");
                }
            });
            started.await();
            task.cancel();
            assertThatThrownBy(task::join).isInstanceOf(CancellationException.class).hasNoCause();
            assertThat(task.state()).isEqualTo(State.CANCELLED);
        }
    }

    @Test
    void wrappedInterruptAfterARequestEndsCancelledButASocketTimeoutIsAFailure() throws Exception {
        try (var scope = TaskScope.open()) {
            var started = new CountDownLatch(2);
            Task<String> wrapped = scope.fork(() -> {
                try {
                    return signalThenSleepForever(started);
                } catch (InterruptedException e) {
                    throw new IllegalStateException("wrapped", e);
                }
            });
            Task<String> timedOut = scope.fork(() -> {
                try {
                    return signalThenSleepForever(started);
                } catch (InterruptedException e) {
                    throw new SocketTimeoutException("read timed out");
                }
            });
            started.await();
            wrapped.cancel();
            timedOut.cancel();
            scope.join();
            assertThat(wrapped.state()).isEqualTo(State.CANCELLED);
            assertThat(timedOut.state()).isEqualTo(State.DONE);
            assertThat(timedOut.exceptionNow()).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void failureWithoutARequestIsNotACancel() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<String> task = scope.fork(() -> {
                throw new InterruptedIOException("no request was made");
            });
            scope.join();
            assertThat(task.state()).isEqualTo(State.DONE);
            assertThat(task.cancelRequests()).isZero();
        }
    }

    @Test
    void aSwallowedRequestStopsTheBodyAtItsNextLoomtasksCall() throws Exception {
        try (var scope = TaskScope.open()) {
            var swallowed = new CountDownLatch(1);
            var proceed = new CountDownLatch(1);
            Task<String> task = scope.fork("swallower", () -> {
                try {
                    sleepForever();
                } catch (InterruptedException e) {
                    swallowed.countDown();
                }
                proceed.await(); // the request was delivered once: this wait is not interrupted
                Tasks.checkpoint();
                return "never";
            });
            await().until(() -> task.state() == State.RUNNING);
            task.cancel();
            swallowed.await();
            proceed.countDown();
            assertThatThrownBy(task::join).isInstanceOf(CancellationException.class);
            assertThat(task.state()).isEqualTo(State.CANCELLED);
        }
    }

    @Test
    void joinFromATaskWhoseCancelIsPendingThrowsAtOnce() throws Exception {
        var thrown = new AtomicReference<@Nullable InterruptedException>();
        try (var scope = TaskScope.open()) {
            var swallowed = new CountDownLatch(1);
            var proceed = new CountDownLatch(1);
            Task<String> other = scope.fork("other", () -> sleepForever());
            Task<String> task = scope.fork("joiner", () -> {
                try {
                    sleepForever();
                } catch (InterruptedException e) {
                    swallowed.countDown();
                }
                proceed.await();
                try {
                    return other.join();
                } catch (InterruptedException e) {
                    thrown.set(e);
                    throw e;
                }
            });
            await().until(() -> task.state() == State.RUNNING);
            task.cancel();
            swallowed.await();
            proceed.countDown();
            assertThatThrownBy(task::join).isInstanceOf(CancellationException.class);
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class).hasMessageContaining("cancelled: cancel() called");
            assertThat(other.state()).isEqualTo(State.RUNNING);
        }
    }

    @Test
    void joinWithTimeoutThrowsTimeoutAndCancelsNothing() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<String> task = scope.fork(() -> sleepForever());
            assertThatThrownBy(() -> task.join(Duration.ofMillis(20))).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("did not finish within");
            assertThat(task.state()).isEqualTo(State.RUNNING);
            assertThat(task.cancelRequests()).isZero();
        }
    }

    @Test
    void joinWithTimeoutReturnsTheResultOfAFinishedTask() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Integer> task = scope.fork(() -> 42);
            assertThat(task.join(Duration.ofDays(1))).isEqualTo(42);
            assertThat(task.join(Duration.ZERO)).isEqualTo(42);
        }
    }

    @Test
    void aTaskCannotJoinItself() throws Exception {
        try (var scope = TaskScope.open()) {
            var self = new java.util.concurrent.atomic.AtomicReference<Task<?>>();
            var ready = new CountDownLatch(1);
            Task<Object> task = scope.fork(() -> {
                ready.await();
                return self.get().join();
            });
            self.set(task);
            ready.countDown();
            assertThatThrownBy(task::join).isInstanceOf(TaskFailedException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot join itself");
        }
    }

    @Test
    void interruptOfAJoiningThreadThrowsInterruptedException() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<String> sleeper = scope.fork(() -> sleepForever());
            Thread.currentThread().interrupt();
            assertThatThrownBy(sleeper::join).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse();
        }
    }

    @Test
    void idsAreUniqueAndDefaultNamesFollowAsyncio() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Integer> a = scope.fork(() -> 1);
            Task<Integer> b = scope.fork("named", () -> 2);
            assertThat(a.id()).isNotEqualTo(b.id());
            assertThat(a.name()).isEqualTo("Task-" + a.id());
            assertThat(b.name()).isEqualTo("named");
        }
    }

    @ParameterizedTest
    @MethodSource("io.github.loomtasks.testing.ThreadKinds#builders")
    void anUncaughtExceptionOnATasksThreadStillReachesTheHandlerItsFactorySet(Thread.Builder builder) throws Exception {
        var seen = new AtomicReference<@Nullable Throwable>();
        ThreadFactory factory = builder.uncaughtExceptionHandler((t, e) -> seen.set(e)).factory();
        try (var scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withThreadFactory(factory))) {
            var boom = new IllegalStateException("escaped");
            Task<Boolean> task = scope.fork(() -> {
                // the task stands in as its thread's handler (that is how loomtasks finds it)
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), boom);
                return Tasks.current().isPresent();
            });
            assertThat(task.join()).as("the body's loomtasks calls see their task").isTrue();
            assertThat(seen.get()).isSameAs(boom);
        }
    }
}
