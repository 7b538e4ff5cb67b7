package io.github.loomtasks;

import static io.github.loomtasks.testing.Bodies.signalThenSleepForever;
import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Task.State;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract's section "Scopes": owner rules, close, nesting, policies. */
class TaskScopeTest {

    @ParameterizedTest
    @MethodSource("io.github.loomtasks.testing.ThreadKinds#configs")
    void closeCancelsWhatIsLeftAndWaitsForEveryThread(ScopeConfig config) throws Exception {
        var started = new CountDownLatch(3);
        List<Task<?>> tasks = new ArrayList<>();
        Task<String> done;
        try (var scope = TaskScope.open(Policy.awaitAll(), config)) {
            done = scope.fork("quick", () -> "quick");
            done.join();
            for (int i = 0; i < 3; i++) {
                tasks.add(scope.fork("sleeper-" + i, () -> signalThenSleepForever(started)));
            }
            started.await();
        }
        assertThat(done.state()).isEqualTo(State.DONE);
        for (Task<?> t : tasks) {
            assertThat(t.state()).isEqualTo(State.CANCELLED);
            assertThat(t.cancelReason()).map(CancelReason::kind).contains(CancelReason.Kind.SCOPE_CLOSED);
        }
        assertThat(tasks).allSatisfy(t -> assertThat(((ForkedTask<?>) t).thread())
                .as("a task lets go of its thread as it ends").isNull());
    }

    @Test
    void closeIsIdempotentAndForkAfterCloseThrows() {
        var scope = TaskScope.open();
        scope.close();
        scope.close();
        assertThatThrownBy(() -> scope.fork(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(scope::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    @Test
    void closeWaitsUninterruptiblyAndRestoresTheInterruptStatus() throws Exception {
        var stop = new CountDownLatch(1);
        var caught = new CountDownLatch(1);
        Task<String> stubborn;
        var scope = TaskScope.open();
        stubborn = scope.fork("stubborn", () -> {
            try {
                sleepForever();
            } catch (InterruptedException e) {
                caught.countDown();
            }
            stop.await();
            return "late";
        });
        await().until(() -> stubborn.state() == State.RUNNING);
        var interruptedAfter = new AtomicBoolean();
        // the owner is this thread; interrupt it while it waits in close
        Thread owner = Thread.currentThread();
        Thread helper = Thread.ofVirtual().start(() -> {
            try {
                caught.await();
                await().until(() -> owner.getState() == Thread.State.WAITING);
                owner.interrupt();
                await().until(() -> owner.getState() == Thread.State.WAITING);
                stop.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        scope.close();
        interruptedAfter.set(Thread.interrupted());
        helper.join();
        assertThat(stubborn.state()).isEqualTo(State.DONE);
        assertThat(interruptedAfter).isTrue();
    }

    @Test
    void forkIntoACancelledScopeReturnsACancelledTaskThatNeverRuns() throws Exception {
        var ran = new AtomicBoolean();
        try (var scope = TaskScope.open()) {
            assertThat(scope.cancel()).isTrue();
            assertThat(scope.cancel()).isFalse();
            assertThat(scope.isCancelled()).isTrue();
            Task<String> late = scope.fork("late", () -> {
                ran.set(true);
                return "ran";
            });
            assertThat(late.state()).isEqualTo(State.CANCELLED);
            assertThat(late.cancelReason()).contains(CancelReason.requested());
            scope.join();
        }
        assertThat(ran).isFalse();
    }

    @Test
    void onlyTheOwnerJoinsAndCloses() throws Exception {
        try (var scope = TaskScope.open()) {
            var errors = new AtomicReference<List<Throwable>>(new ArrayList<>());
            Thread.ofVirtual().start(() -> {
                for (Runnable call : List.<Runnable>of(() -> {
                    try {
                        scope.join();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }, scope::close, () -> scope.fork(() -> 1))) {
                    try {
                        call.run();
                    } catch (Throwable e) {
                        errors.get().add(e);
                    }
                }
            }).join();
            assertThat(errors.get()).hasSize(3).allSatisfy(e -> assertThat(e)
                    .isInstanceOf(WrongThreadException.class).hasMessageContaining("only the owner of"));
        }
    }

    @Test
    void theScopesOwnTasksMayForkIntoIt() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Task<Integer>> parent = scope.fork("parent", () -> scope.fork("child", () -> 7));
            Task<Integer> child = parent.join();
            scope.join();
            assertThat(child.resultNow()).isEqualTo(7);
            assertThat(scope.tasks()).containsExactly(parent, child);
        }
    }

    @Test
    void joinTwiceAndForkAfterJoinAreMisuse() throws Exception {
        try (var scope = TaskScope.open()) {
            scope.fork(() -> 1);
            scope.join();
            assertThatThrownBy(scope::join).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already joined");
            assertThatThrownBy(() -> scope.fork(() -> 2)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("fork every task before join()");
        }
    }

    @Test
    void aJoinInterruptedByTheOwnersInterruptMayBeRetried() throws Exception {
        try (var scope = TaskScope.open()) {
            var release = new CountDownLatch(1);
            scope.fork(() -> {
                release.await();
                return 1;
            });
            Thread.currentThread().interrupt();
            assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);
            release.countDown();
            scope.join();
        }
    }

    @Test
    void aScopeOpenedInsideATaskIsCancelledWithTheTaskEvenIfTheBodySwallowsTheInterrupt() throws Exception {
        var childStarted = new CountDownLatch(1);
        var childRef = new AtomicReference<Task<String>>();
        var swallowed = new CountDownLatch(1);
        try (var scope = TaskScope.open()) {
            Task<String> main = scope.fork("main", () -> {
                try (var inner = TaskScope.open()) {
                    childRef.set(inner.fork("child", () -> signalThenSleepForever(childStarted)));
                    try {
                        sleepForever();
                    } catch (InterruptedException e) {
                        swallowed.countDown();
                    }
                    inner.join();
                    return "inner joined";
                }
            });
            childStarted.await();
            assertThat(main.cancel(CancelReason.requested("group cancel"))).isTrue();
            swallowed.await();
            Task<String> child = childRef.get();
            await().until(() -> child.state() == State.CANCELLED);
            assertThat(child.cancelReason()).hasValueSatisfying(r -> {
                assertThat(r.kind()).isEqualTo(CancelReason.Kind.PARENT_CANCELLED);
                assertThat(r.detail()).isEqualTo("task 'main' was cancelled: group cancel");
            });
            // the swallowing body reaches inner.join(), which throws because main's cancel is pending
            assertThatThrownBy(main::join).isInstanceOf(CancellationException.class);
        }
    }

    @Test
    void aScopeOpenedInsideACancelledTaskIsBornCancelled() throws Exception {
        var ran = new AtomicBoolean();
        try (var scope = TaskScope.open()) {
            var started = new CountDownLatch(1);
            Task<Boolean> main = scope.fork("main", () -> {
                try {
                    signalThenSleepForever(started);
                } catch (InterruptedException e) {
                    // carry on: the cancel stays in force
                }
                try (var inner = TaskScope.open()) {
                    return inner.isCancelled();
                }
            });
            started.await();
            main.cancel();
            assertThat(main.join()).isTrue();
        }
        assertThat(ran).isFalse();
    }

    @Test
    void nestedScopesOfOneThreadCancelTogetherAndCloseInOrder() throws Exception {
        try (var outer = TaskScope.open()) {
            var started = new CountDownLatch(1);
            try (var inner = TaskScope.open()) {
                Task<String> t = inner.fork(() -> signalThenSleepForever(started));
                started.await();
                outer.cancel();
                assertThat(inner.isCancelled()).isTrue();
                inner.join();
                assertThat(t.state()).isEqualTo(State.CANCELLED);
            }
        }
    }

    @Test
    void closingAnOuterScopeFirstClosesTheInnerOneThenReportsTheMisuse() {
        var outer = TaskScope.open();
        var inner = TaskScope.open();
        Task<String> t = inner.fork(() -> sleepForever());
        assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was still open").hasMessageContaining("reverse order");
        assertThat(t.state()).isEqualTo(State.CANCELLED);
        assertThat(Tasks.all()).doesNotContain(t);
        inner.close();
        outer.close();
    }

    @Test
    void scopesThatABodyLeftOpenAreClosedWhenItEnds() throws Exception {
        var leaked = new AtomicReference<Task<String>>();
        var started = new CountDownLatch(1);
        try (var scope = TaskScope.open()) {
            Task<String> sloppy = scope.fork("sloppy", () -> {
                TaskScope<?> forgotten = TaskScope.open();
                leaked.set(forgotten.fork(() -> signalThenSleepForever(started)));
                started.await();
                return "returned without closing";
            });
            assertThat(sloppy.join()).isEqualTo("returned without closing");
        }
        assertThat(leaked.get().state()).isEqualTo(State.CANCELLED);
    }

    @Test
    void aFactoryThatRefusesMakesForkThrowRejectedExecution() {
        try (var scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withThreadFactory(r -> null))) {
            assertThatThrownBy(() -> scope.fork("refused", () -> 1)).isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("returned null for task 'refused'");
            assertThat(scope.tasks()).isEmpty();
        }
    }

    @Test
    void toStringShowsIdNameAndState() {
        try (var scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withName("requests"))) {
            assertThat(scope.toString()).matches("<TaskScope OPEN #\\d+ 'requests'>");
            assertThat(scope.cancelReason()).isEmpty();
            scope.cancel(CancelReason.requested("shutting down"));
            assertThat(scope.toString()).contains("CANCELLED", "reason=<shutting down>");
            assertThat(scope.cancelReason()).contains(CancelReason.requested("shutting down"));
            assertThat(scope.name()).isEqualTo("requests");
            assertThat(scope.owner()).isSameAs(Thread.currentThread());
        }
    }
}
