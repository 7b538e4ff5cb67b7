package io.github.loomtasks;

import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Task.State;
import io.github.loomtasks.testing.Bodies;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link Tasks#gather}: asyncio's gather(), one test per rule. */
class GatherTest {

    /** Awaits a terminal state, polling fast: for stress rounds. */
    static void awaitDone(Task<?> task) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                .until(task::isDone);
    }

    @Test
    void theResultIsTheListOfResultsInTheOrderGiven() throws Exception {
        try (var scope = TaskScope.open()) {
            var first = new CountDownLatch(1);
            Task<String> a = scope.fork("a", () -> {
                first.await();
                return "A";
            });
            Task<String> b = scope.fork("b", () -> "B");
            Task<String> none = scope.fork("none", () -> null);
            Task<List<String>> gather = Tasks.gather(List.of(a, b, none, b));
            b.join();
            assertThat(gather.state()).isEqualTo(State.RUNNING);
            first.countDown();
            assertThat(gather.join()).containsExactly("A", "B", null, "B");
            assertThat(gather.state()).isEqualTo(State.DONE);
            assertThat(gather.toString()).contains("Gather", "DONE");
        }
    }

    @Test
    void anEmptyGatherIsDoneAtOnce() throws Exception {
        assertThat(Tasks.<String>gather(List.of()).join()).isEmpty();
    }

    @Test
    void aFailureDoesNotCancelTheOthersAndIsTheGathersFailure() throws Exception {
        try (var scope = TaskScope.open()) {
            var release = new CountDownLatch(1);
            Task<String> failing = scope.fork("failing", () -> {
                throw new IOException("boom");
            });
            Task<String> other = scope.fork("other", () -> {
                release.await();
                return "other";
            });
            Task<List<String>> gather = Tasks.gather(List.of(failing, other));
            await().until(failing::isDone);
            assertThat(other.cancelRequests()).isZero();
            assertThat(gather.isDone()).isFalse(); // it ends once every task is terminal
            release.countDown();
            assertThatThrownBy(gather::join).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(IOException.class).hasMessageContaining("failing");
            assertThat(gather.state()).isEqualTo(State.DONE);
            assertThat(gather.exceptionNow()).isInstanceOf(IOException.class);
            assertThat(other.resultNow()).isEqualTo("other");
        }
    }

    @Test
    void cancelOthersCancelsTheRestWhenOneFails() throws Exception {
        try (var scope = TaskScope.open()) {
            var release = new CountDownLatch(1);
            Task<String> slow = scope.fork("slow", () -> sleepForever());
            Task<String> failing = scope.fork("failing", () -> {
                release.await();
                throw new IOException("boom");
            });
            Task<List<String>> gather = Tasks.gather(List.of(slow, failing), OnFailure.CANCEL_OTHERS);
            release.countDown();
            assertThatThrownBy(gather::join).isInstanceOf(TaskFailedException.class).hasCauseInstanceOf(IOException.class);
            assertThat(slow.state()).isEqualTo(State.CANCELLED);
            assertThat(slow.cancelReason().orElseThrow().kind()).isEqualTo(CancelReason.Kind.SIBLING_FAILED);
        }
    }

    @Test
    void returnExceptionsPutsFailuresAndCancellationsInTheList() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<String> ok = scope.fork("ok", () -> "fine");
            Task<String> failing = scope.fork("failing", () -> {
                throw new IOException("boom");
            });
            Task<String> cancelled = scope.fork("cancelled", () -> sleepForever());
            Task<List<Object>> gather = Tasks.gatherReturningExceptions(List.of(ok, failing, cancelled));
            await().until(() -> ok.isDone() && failing.isDone());
            cancelled.cancel();
            List<Object> results = gather.join();
            assertThat(results).hasSize(3);
            assertThat(results.get(0)).isEqualTo("fine");
            assertThat(results.get(1)).isInstanceOf(IOException.class);
            assertThat(results.get(2)).isInstanceOf(CancellationException.class);
            assertThat(gather.state()).isEqualTo(State.DONE);
        }
    }

    @Test
    void aCancelledTaskCancelsTheGatherInTheDefaultMode() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<String> ok = scope.fork("ok", () -> "fine");
            Task<String> cancelled = scope.fork("cancelled", () -> sleepForever());
            Task<List<String>> gather = Tasks.gather(List.of(ok, cancelled));
            cancelled.cancel();
            assertThatThrownBy(gather::join).isInstanceOf(CancellationException.class).hasMessageContaining("cancelled");
            assertThat(gather.state()).isEqualTo(State.CANCELLED);
            assertThat(gather.cancelRequests()).isZero(); // nobody cancelled the gather itself
        }
    }

    @Test
    void cancelCancelsTheUnfinishedTasksAndReturnsTrue() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<String> done = scope.fork("done", () -> "done");
            done.join();
            Task<String> slow = scope.fork("slow", () -> sleepForever());
            Task<List<String>> gather = Tasks.gather(List.of(done, slow));
            assertThat(gather.cancel(CancelReason.requested("stop"))).isTrue();
            assertThatThrownBy(gather::join).isInstanceOf(CancellationException.class).hasMessageContaining("stop");
            assertThat(gather.state()).isEqualTo(State.CANCELLED);
            assertThat(gather.cancelRequests()).isEqualTo(1);
            assertThat(slow.state()).isEqualTo(State.CANCELLED);
            assertThat(slow.cancelReason().orElseThrow().detail()).isEqualTo("stop");
            assertThat(done.state()).isEqualTo(State.DONE);
            assertThat(gather.cancel()).isFalse(); // already done
        }
    }

    @Test
    void cancelReturnsFalseWhenNoTaskAccepts() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<String> a = scope.fork(() -> "a");
            a.join();
            Task<List<String>> gather = Tasks.gather(List.of(a));
            assertThat(gather.cancel()).isFalse();
            assertThat(gather.join()).containsExactly("a");
        }
    }

    @Test
    void theGatherIsNotInTheRegistryButItsTasksAre() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<String> slow = scope.fork("slow", () -> sleepForever());
            Task<List<String>> gather = Tasks.gather(List.of(slow));
            assertThat(Tasks.all()).containsExactly(slow).doesNotContain(gather);
            gather.cancel();
        }
    }

    @Test
    void joinWithATimeoutCancelsNothing() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<String> slow = scope.fork("slow", () -> sleepForever());
            Task<List<String>> gather = Tasks.gather(List.of(slow));
            assertThatThrownBy(() -> gather.join(Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
            assertThat(slow.cancelRequests()).isZero();
            assertThat(gather.state()).isEqualTo(State.RUNNING);
        }
    }

    @Test
    void aGatherCanBeWaitedForAndGathered() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Integer> one = scope.fork(() -> 1);
            Task<List<Integer>> inner = Tasks.gather(List.of(one));
            Task<List<List<Integer>>> outer = Tasks.gather(List.of(inner));
            assertThat(Tasks.wait(List.of(inner, outer), ReturnWhen.ALL_COMPLETED).done()).containsExactly(inner, outer);
            assertThat(outer.join()).containsExactly(List.of(1));
        }
    }

    @Test
    void misuseIsRejected() {
        assertThatThrownBy(() -> Tasks.gather(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("tasks");
        assertThatThrownBy(() -> Tasks.gather(List.of(), null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("onFailure");
        assertThatThrownBy(() -> Tasks.gather(Arrays.asList((Task<String>) null))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Tasks.gatherReturningExceptions(List.of(new WaitTest.ForeignTask())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A task finishing while the gather is cancelled: cancel() returned true exactly when the
     * gather ends CANCELLED, false exactly when it ends DONE with the result; it ends once.
     */
    @Test
    @Tag("stress")
    void aTaskFinishingWhileTheGatherIsCancelledGivesOneConsistentOutcome() throws Exception {
        for (int round = 0; round < 500; round++) {
            boolean honoursCancel = round % 2 == 0;
            var release = new CountDownLatch(1);
            var go = new CountDownLatch(1);
            try (var scope = TaskScope.open()) {
                Task<Integer> child = scope.fork("child", () -> {
                    if (honoursCancel) {
                        release.await();
                    } else {
                        Bodies.awaitUninterruptibly(release);
                    }
                    return 7;
                });
                Task<List<Integer>> gather = Tasks.gather(List.of(child));
                var cancelResult = new AtomicBoolean();
                Task<Void> canceller = scope.fork("canceller", () -> {
                    go.await();
                    if (ThreadLocalRandom.current().nextBoolean()) {
                        Thread.onSpinWait();
                    }
                    cancelResult.set(gather.cancel());
                    return null;
                });
                go.countDown();
                release.countDown();
                canceller.join();
                awaitDone(gather);
                if (cancelResult.get()) {

                    assertThat(gather.state()).isEqualTo(State.CANCELLED);
                    assertThatThrownBy(gather::join).isInstanceOf(CancellationException.class);
                } else {
                    assertThat(gather.state()).isEqualTo(State.DONE);
                    assertThat(gather.join()).containsExactly(7);
                    assertThat(child.state()).isEqualTo(State.DONE);
                }
                assertThat(gather.cancel()).isFalse();
            }
        }
    }

    /** Many children finishing on their own threads while the gather is cancelled. */
    @Test
    @Tag("stress")
    void manyChildrenRacingACancelEndTheGatherOnce() throws Exception {
        for (int round = 0; round < 100; round++) {
            var release = new CountDownLatch(1);
            List<Task<Integer>> children = new ArrayList<>();
            try (var scope = TaskScope.open()) {
                for (int i = 0; i < 20; i++) {
                    int n = i;
                    children.add(scope.fork(() -> {
                        release.await();
                        return n;
                    }));
                }
                Task<List<Integer>> gather = Tasks.gather(children);
                release.countDown();
                boolean accepted = gather.cancel();
                awaitDone(gather);
                assertThat(gather.state()).isEqualTo(accepted ? State.CANCELLED : State.DONE);
            }
        }
    }
}
