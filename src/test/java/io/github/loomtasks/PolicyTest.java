package io.github.loomtasks;

import static io.github.loomtasks.testing.Bodies.signalThenSleepForever;
import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Task.State;
import io.github.loomtasks.testing.Bodies;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Failure policies, chosen by composition. */
class PolicyTest {

    @Test
    void awaitAllWaitsForEveryTaskAndNeverFailsTheJoin() throws Exception {
        try (var scope = TaskScope.open(Policy.awaitAll())) {
            var release = new CountDownLatch(1);
            Task<String> failing = scope.fork(() -> {
                throw new IllegalStateException("boom");
            });
            Task<String> slow = scope.fork(() -> {
                release.await();
                return "slow";
            });
            await().until(failing::isDone);
            assertThat(slow.state()).isEqualTo(State.RUNNING);
            assertThat(scope.isCancelled()).isFalse();
            release.countDown();
            assertThat(scope.join()).isNull();
            assertThat(slow.resultNow()).isEqualTo("slow");
            assertThat(failing.exceptionNow()).hasMessage("boom");
        }
    }

    @Test
    void cancelOnFailureCancelsTheRestAndThrowsTheFirstFailure() throws Exception {
        try (var scope = TaskScope.open(Policy.cancelOnFailure())) {
            var started = new CountDownLatch(1);
            Task<String> sleeper = scope.fork("sleeper", () -> signalThenSleepForever(started));
            started.await();
            Task<String> first = scope.fork("first", () -> {
                throw new IllegalStateException("first");
            });
            assertThatThrownBy(scope::join).isInstanceOf(TaskFailedException.class)
                    .hasMessageContaining("task 'first' threw IllegalStateException('first')")
                    .cause().hasMessage("first");
            assertThat(sleeper.state()).isEqualTo(State.CANCELLED);
            assertThat(sleeper.cancelReason()).hasValueSatisfying(r -> {
                assertThat(r.kind()).isEqualTo(CancelReason.Kind.SIBLING_FAILED);
                assertThat(r.detail()).isEqualTo("sibling 'first' failed: IllegalStateException('first')");
            });
            assertThat(first.state()).isEqualTo(State.DONE);
        }
    }

    @Test
    void laterFailuresAreSuppressed() throws Exception {
        var bothReady = new CountDownLatch(2);
        try (var scope = TaskScope.open(Policy.cancelOnFailure())) {
            for (String name : new String[] {"a", "b"}) {
                scope.fork(name, () -> {
                    bothReady.countDown();
                    Bodies.awaitUninterruptibly(bothReady); // the first failure's cancel cannot stop the second
                    throw new IllegalStateException(name);
                });
            }
            assertThatThrownBy(scope::join).isInstanceOfSatisfying(TaskFailedException.class, e -> {
                String first = e.getCause().getMessage();
                assertThat(e.getSuppressed()).singleElement().satisfies(later -> {
                    assertThat(later).isInstanceOf(IllegalStateException.class);
                    assertThat(later.getMessage()).isNotEqualTo(first).isIn("a", "b");
                });
            });
        }
    }

    @Test
    void cancellationIsNotAFailure() throws Exception {
        try (var scope = TaskScope.open(Policy.cancelOnFailure())) {
            var started = new CountDownLatch(1);
            var release = new CountDownLatch(1);
            Task<String> a = scope.fork(() -> signalThenSleepForever(started));
            Task<String> b = scope.fork(() -> {
                release.await();
                return "b";
            });
            started.await();
            a.cancel();
            await().until(a::isDone);
            assertThat(scope.isCancelled()).isFalse();
            release.countDown();
            assertThat(scope.join()).isNull();
            assertThat(b.resultNow()).isEqualTo("b");
        }
    }

    @Test
    void firstSuccessReturnsTheFirstResultAndCancelsTheRest() throws Exception {
        try (var scope = TaskScope.open(Policy.<String>firstSuccess())) {
            var started = new CountDownLatch(1);
            Task<String> slow = scope.fork("slow", () -> signalThenSleepForever(started));
            started.await();
            scope.fork("failing", () -> {
                throw new IllegalStateException("no");
            });
            scope.fork("fast", () -> "fast");
            assertThat(scope.join()).isEqualTo("fast");
            assertThat(slow.state()).isEqualTo(State.CANCELLED);
            assertThat(slow.cancelReason()).map(CancelReason::detail).contains("sibling 'fast' succeeded");
        }
    }

    @Test
    void firstSuccessWithoutASuccessReportsTheFailureOrTheCancellation() throws Exception {
        try (var scope = TaskScope.open(Policy.<String>firstSuccess())) {
            scope.fork(() -> {
                throw new IllegalStateException("no luck");
            });
            assertThatThrownBy(scope::join).isInstanceOf(TaskFailedException.class).hasMessageContaining("no luck");
        }
        try (var scope = TaskScope.open(Policy.<String>firstSuccess())) {
            scope.fork(() -> sleepForever());
            scope.cancel();
            assertThatThrownBy(scope::join).isInstanceOf(CancellationException.class)
                    .hasMessageContaining("every task was cancelled");
        }
        try (var scope = TaskScope.open(Policy.<String>firstSuccess())) {
            assertThatThrownBy(scope::join).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("no task was forked");
        }
    }

    @Test
    void aPolicyThatThrowsCancelsTheScopeAndJoinReportsIt() throws Exception {
        Policy<Void> broken = new Policy<>() {
            @Override
            public boolean onComplete(Task<?> task) {
                throw new UnsupportedOperationException("bug in policy");
            }

            @Override
            public Void result() {
                return null;
            }
        };
        try (var scope = TaskScope.open(broken)) {
            var started = new CountDownLatch(1);
            Task<String> sleeper = scope.fork(() -> signalThenSleepForever(started));
            started.await();
            scope.fork(() -> "trigger");
            assertThatThrownBy(scope::join).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("policy").hasCauseInstanceOf(UnsupportedOperationException.class);
            assertThat(sleeper.state()).isEqualTo(State.CANCELLED);
        }
    }
}
