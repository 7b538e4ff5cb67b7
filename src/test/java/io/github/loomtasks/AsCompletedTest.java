package io.github.loomtasks;

import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Task.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Tasks#asCompleted}: asyncio's as_completed(), one test per rule. */
class AsCompletedTest {

    @Test
    void handsOutTasksInTheOrderTheyFinish() throws Exception {
        try (var scope = TaskScope.open()) {
            List<CountDownLatch> releases = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                tasks.add(scope.fork("t" + i, () -> {
                    releases.get(n).await();
                    return n;
                }));
            }
            Completions<Task<Integer>> completions = Tasks.asCompleted(tasks);
            List<Integer> order = new ArrayList<>();
            for (int n : new int[] {2, 0, 1}) {
                assertThat(completions.hasNext()).isTrue();
                releases.get(n).countDown();
                order.add(completions.next().resultNow());
            }
            assertThat(order).containsExactly(2, 0, 1);
            assertThat(completions.hasNext()).isFalse();
            assertThatThrownBy(completions::next).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("hasNext");
        }
    }

    @Test
    void cancelledTasksAreHandedOutToo() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Object> t = scope.fork(() -> sleepForever());
            Completions<Task<Object>> completions = Tasks.asCompleted(List.of(t));
            t.cancel();
            assertThat(completions.next()).isSameAs(t);
            assertThat(t.state()).isEqualTo(State.CANCELLED);
        }
    }

    @Test
    void theTimeoutBoundsTheIterationAndCancelsNothing() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Integer> quick = scope.fork("quick", () -> 1);
            Task<Object> slow = scope.fork("slow", () -> sleepForever());
            Completions<Task<?>> completions = Tasks.asCompleted(List.of(quick, slow), Duration.ofMillis(100));
            assertThat(completions.next()).isSameAs(quick);
            assertThatThrownBy(completions::next).isInstanceOf(TimeoutException.class);
            assertThat(completions.hasNext()).isTrue();
            assertThat(completions.remaining()).isEqualTo(1);
            assertThat(slow.isDone()).isFalse();
            assertThat(slow.cancelRequests()).isZero();
        }
    }

    @Test
    void nextIsInterruptible() throws Exception {
        try (var scope = TaskScope.open()) {
            Task<Object> slow = scope.fork("slow", () -> sleepForever());
            var completions = Tasks.asCompleted(List.of(slow));
            Task<Object> consumer = scope.fork("consumer", completions::next);
            await().until(() -> ((ForkedTask<?>) consumer).thread().getState() == Thread.State.WAITING);
            consumer.cancel();
            await().until(consumer::isDone);
            assertThat(consumer.state()).isEqualTo(State.CANCELLED);
            assertThat(completions.remaining()).isEqualTo(1);
            slow.cancel();
            assertThat(completions.next()).isSameAs(slow);
        }
    }

    /**
     * A task's cancel reaches the scopes its body opened before its thread's interrupt. A body in
     * {@code next()} can therefore see the awaited task end of that cancel while the interrupt is
     * still on its way: it must then throw for its own cancel, not hand out the task. The
     * consumer's thread holds its interrupt back until {@code next()} has decided, so the test
     * sees that window every time.
     */
    @Test
    void theCallersPendingCancelWinsOverATaskThatItsCancelEnded() throws Exception {
        ScopeConfig lateInterrupts = ScopeConfig.defaults().withThreadFactory(LateInterruptThread::new);
        try (var scope = TaskScope.open(Policy.awaitAll(), lateInterrupts)) {
            AtomicReference<Object> nextGave = new AtomicReference<>();
            AtomicReference<Completions<Task<Object>>> completions = new AtomicReference<>();
            Task<Object> consumer = scope.fork("consumer", () -> {
                try (var inner = TaskScope.open()) {
                    Task<Object> child = inner.fork("child", () -> sleepForever());
                    completions.set(Tasks.asCompleted(List.of(child)));
                    try {
                        nextGave.set(completions.get().next());
                    } catch (InterruptedException e) {
                        nextGave.set(e);
                        throw e;
                    }
                    return "handed out " + child.name();
                } finally {
                    ((LateInterruptThread) Thread.currentThread()).deliverHeldInterrupt();
                }
            });
            Thread thread = ((ForkedTask<?>) consumer).thread();
            await().until(() -> thread.getState() == Thread.State.WAITING && Arrays.stream(thread.getStackTrace())
                    .anyMatch(f -> f.getClassName().equals(Completions.class.getName()) && f.getMethodName().equals("next")));

            assertThat(consumer.cancel()).isTrue(); // cancels the child first; the interrupt is held

            assertThatThrownBy(consumer::join).isInstanceOf(CancellationException.class);
            assertThat(nextGave.get()).isInstanceOf(InterruptedException.class);
            assertThat(consumer.state()).isEqualTo(State.CANCELLED);
            assertThat(completions.get().remaining()).as("the child was not handed out").isEqualTo(1);
            assertThat(completions.get().next().name()).isEqualTo("child");
        }
    }

    /** A platform thread that holds back interrupts from other threads until its body lets them through. */
    private static final class LateInterruptThread extends Thread {
        private volatile boolean held;

        LateInterruptThread(Runnable task) {
            super(task);
            setDaemon(true);
        }

        @Override
        public void interrupt() {
            if (Thread.currentThread() == this) {
                super.interrupt();
            } else {
                held = true;
            }
        }

        void deliverHeldInterrupt() {
            if (held) {
                super.interrupt();
            }
        }
    }

    @Test
    void misuseIsRejected() {
        assertThatThrownBy(() -> Tasks.asCompleted(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("tasks");
        assertThatThrownBy(() -> Tasks.asCompleted(List.of(), null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> Tasks.asCompleted(List.of(new WaitTest.ForeignTask())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
