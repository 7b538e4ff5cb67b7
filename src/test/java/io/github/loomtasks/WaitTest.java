package io.github.loomtasks;

import static io.github.loomtasks.testing.Bodies.signalThenSleepForever;
import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Task.State;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Tasks#wait}: asyncio's wait(), one test per rule. */
class WaitTest {

    /** Blocks until {@code thread} is parked inside a wait: the wait has registered its listeners. */
    static void awaitParkedIn(Thread thread, Class<?> blocker) {
        await().until(() -> blocker.isInstance(LockSupport.getBlocker(thread)));
    }

    @ParameterizedTest
    @MethodSource("io.github.loomtasks.testing.ThreadKinds#configs")
    void allCompletedReturnsWhenEveryTaskIsTerminal(ScopeConfig config) throws Exception {
        try (var scope = TaskScope.open(Policy.awaitAll(), config)) {
            var release = new CountDownLatch(1);
            Task<String> a = scope.fork("a", () -> {
                release.await();
                return "A";
            });
            Task<String> b = scope.fork("b", () -> {
                release.await();
                throw new IOException("b failed");
            });
            Task<String> c = scope.fork("c", () -> sleepForever());
            Task<WaitResult<Task<String>>> waiter = scope.fork("wait",
                    () -> Tasks.wait(List.of(a, b, c), ReturnWhen.ALL_COMPLETED));
            awaitParkedIn(((ForkedTask<?>) waiter).thread(), Waiting.class);
            c.cancel();
            release.countDown();
            WaitResult<Task<String>> result = waiter.join();
            assertThat(result.done()).containsExactly(a, b, c);
            assertThat(result.pending()).isEmpty();
        }
    }

    @Test
    void firstCompletedReturnsTheDoneAndPendingTasksInTheOrderGiven() throws Exception {
        try (var scope = TaskScope.open()) {
            var release = new CountDownLatch(1);
            Task<Object> slow1 = scope.fork("slow1", () -> sleepForever());
            Task<String> quick = scope.fork("quick", () -> {
                release.await();
                return "quick";
            });
            Task<Object> slow2 = scope.fork("slow2", () -> sleepForever());
            Task<WaitResult<Task<?>>> waiter = scope.fork("wait",
                    () -> Tasks.wait(List.<Task<?>>of(slow1, quick, slow2), ReturnWhen.FIRST_COMPLETED));
            awaitParkedIn(((ForkedTask<?>) waiter).thread(), Waiting.class);
            release.countDown();
            WaitResult<Task<?>> result = waiter.join();
            assertThat(result.done()).containsExactly(quick);
            assertThat(result.pending()).containsExactly(slow1, slow2);
            assertThat(slow1.state()).isEqualTo(State.RUNNING);
            assertThat(slow1.cancelRequests()).isZero();
        }
    }

    @Test
    void firstExceptionReturnsAtTheFirstFailure() throws Exception {
        try (var scope = TaskScope.open()) {
            var release = new CountDownLatch(1);
            Task<Object> slow = scope.fork("slow", () -> sleepForever());
            Task<Object> failing = scope.fork("failing", () -> {
                release.await();
                throw new IOException("boom");
            });
            Task<WaitResult<Task<Object>>> waiter = scope.fork("wait",
                    () -> Tasks.wait(List.of(slow, failing), ReturnWhen.FIRST_EXCEPTION));
            awaitParkedIn(((ForkedTask<?>) waiter).thread(), Waiting.class);
            release.countDown();
            WaitResult<Task<Object>> result = waiter.join();
            assertThat(result.done()).containsExactly(failing);
            assertThat(result.pending()).containsExactly(slow);
        }
    }

    /** The failing task fails only once the waiter is parked, after it has seen the cancelled one. */
    @Test
    void firstExceptionDoesNotCountACancellationAsAnException() throws Exception {
        Thread me = Thread.currentThread();
        try (var scope = TaskScope.open()) {
            Task<Object> cancelled = scope.fork("cancelled", () -> sleepForever());
            await().until(() -> cancelled.state() == State.RUNNING);
            cancelled.cancel();
            await().until(() -> cancelled.state() == State.CANCELLED);
            Task<Object> failing = scope.fork("failing", () -> {
                awaitParkedIn(me, Waiting.class);
                throw new IOException("boom");
            });
            WaitResult<Task<Object>> result = Tasks.wait(List.of(cancelled, failing), ReturnWhen.FIRST_EXCEPTION);
            assertThat(result.done()).containsExactly(cancelled, failing);
            assertThat(failing.exceptionNow()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aTimeoutReturnsThePendingTasksAndCancelsNothing() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Object> slow = scope.fork("slow", () -> sleepForever());
            WaitResult<Task<Object>> result = Tasks.wait(List.of(slow), Duration.ofMillis(50), ReturnWhen.ALL_COMPLETED);
            assertThat(result.done()).isEmpty();
            assertThat(result.pending()).containsExactly(slow);
            assertThat(slow.isDone()).isFalse();
            assertThat(slow.cancelRequests()).isZero();
        }
    }

    @Test
    void tasksAlreadyTerminalSatisfyTheWaitAtOnceEvenWithAZeroTimeout() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Integer> done = scope.fork(() -> 1);
            done.join();
            WaitResult<Task<Integer>> result = Tasks.wait(List.of(done, done), Duration.ZERO, ReturnWhen.ALL_COMPLETED);
            assertThat(result.done()).containsExactly(done);
        }
    }

    /** The tutorial's case 1: the flat wait is a fourth task, listed by the registry. */
    @Test
    void theWaitRunsAsATaskAndIsListedWithTheWorkers() throws Exception {
        try (var scope = TaskScope.open()) {
            var started = new CountDownLatch(3);
            List<Task<Object>> workers = List.of(
                    scope.fork("w1", () -> signalThenSleepForever(started)),
                    scope.fork("w2", () -> signalThenSleepForever(started)),
                    scope.fork("w3", () -> signalThenSleepForever(started)));
            started.await();
            Task<WaitResult<Task<Object>>> flat = scope.fork("wait", () -> Tasks.wait(workers, ReturnWhen.ALL_COMPLETED));
            awaitParkedIn(((ForkedTask<?>) flat).thread(), Waiting.class);
            assertThat(Tasks.all()).extracting(Task::name).containsExactly("w1", "w2", "w3", "wait");
            // Ctrl-C interrupts the flat wait first; then every task is cancelled
            assertThat(flat.cancel()).isTrue();
            await().until(flat::isDone);
            assertThat(flat.state()).isEqualTo(State.CANCELLED);
            List<Boolean> cancels = Tasks.all().stream().map(Task::cancel).toList();
            assertThat(cancels).containsExactly(true, true, true, false);
        }
    }

    @Test
    void aTaskWithAPendingCancelIsStoppedAtOnce() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Object> other = scope.fork("other", () -> sleepForever());
            var cancelSwallowed = new CountDownLatch(1);
            var proceed = new CountDownLatch(1);
            Task<String> waiter = scope.fork("waiter", () -> {
                try {
                    signalThenSleepForever(new CountDownLatch(1));
                } catch (InterruptedException swallowed) {
                    cancelSwallowed.countDown();
                }
                proceed.await(); // not interrupted again: the request was delivered once
                try {
                    Tasks.wait(List.of(other), ReturnWhen.ALL_COMPLETED);
                    return "waited";
                } catch (InterruptedException stopped) {
                    return "stopped";
                }
            });
            await().until(() -> waiter.state() == State.RUNNING && LockSupport.getBlocker(((ForkedTask<?>) waiter).thread()) == null
                    && ((ForkedTask<?>) waiter).thread().getState() == Thread.State.TIMED_WAITING);
            waiter.cancel();
            cancelSwallowed.await();
            proceed.countDown();
            assertThat(waiter.join()).isEqualTo("stopped");
            assertThat(other.isDone()).isFalse();
        }
    }

    @Test
    void anInterruptedWaitThrowsAndLeavesTheTasksRunning() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Object> slow = scope.fork("slow", () -> sleepForever());
            Task<Object> waiter = scope.fork("waiter", () -> Tasks.wait(List.of(slow), ReturnWhen.ALL_COMPLETED));
            awaitParkedIn(((ForkedTask<?>) waiter).thread(), Waiting.class);
            waiter.cancel();
            await().until(waiter::isDone);
            assertThat(waiter.state()).isEqualTo(State.CANCELLED);
            assertThat(slow.state()).isEqualTo(State.RUNNING);
        }
    }

    @Test
    void misuseIsRejectedWithTheJdksExceptions() throws Exception {
        assertThatThrownBy(() -> Tasks.wait(List.of(), ReturnWhen.ALL_COMPLETED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Tasks.wait(null, ReturnWhen.ALL_COMPLETED))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("tasks");
        try (var scope = TaskScope.open()) {
            Task<Integer> t = scope.fork(() -> 1);
            assertThatThrownBy(() -> Tasks.wait(List.of(t), null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("when");
            assertThatThrownBy(() -> Tasks.wait(List.of(t), null, ReturnWhen.ALL_COMPLETED))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
            assertThatThrownBy(() -> Tasks.wait(Arrays.asList(t, null), ReturnWhen.ALL_COMPLETED))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("null");
            assertThatThrownBy(() -> Tasks.wait(List.of(new ForeignTask()), ReturnWhen.ALL_COMPLETED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TaskScope.fork");
            Task<Object> self = scope.fork("self", () -> Tasks.wait(List.of(Tasks.current().orElseThrow()), ReturnWhen.ALL_COMPLETED));
            await().until(self::isDone);
            assertThat(self.exceptionNow()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("itself");
        }
    }

    /** A Task not made by loomtasks. */
    static final class ForeignTask implements Task<Object> {
        @Override public long id() { return -1; }
        @Override public String name() { return "foreign"; }
        @Override public State state() { return State.RUNNING; }
        @Override public boolean cancel() { return false; }
        @Override public boolean cancel(CancelReason reason) { return false; }
        @Override public int cancelRequests() { return 0; }
        @Override public Optional<CancelReason> cancelReason() { return Optional.empty(); }
        @Override public Object join() { throw new UnsupportedOperationException(); }
        @Override public Object join(Duration timeout) { throw new UnsupportedOperationException(); }
        @Override public Object resultNow() { throw new IllegalStateException(); }
        @Override public Throwable exceptionNow() { throw new IllegalStateException(); }
        @Override public String toString() { return "<foreign>"; }
    }
}
