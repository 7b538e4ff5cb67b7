package io.github.loomtasks.functional;

import static io.github.loomtasks.testing.Bodies.signalThenSleepForever;
import static io.github.loomtasks.testing.Bodies.sleepForever;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.loomtasks.CancelReason;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Regression: cancelling a task interrupted its thread before cancelling the scopes its body had
 * opened. A body that ends at once on the interrupt closes those scopes itself, so their tasks could
 * be cancelled with the reason "scope closed" instead of "task was cancelled: why", a race that
 * TaskScopeTest.aScopeOpenedInsideATaskIsCancelledWithTheTaskEvenIfTheBodySwallowsTheInterrupt lost
 * on JDK 21. The task's children must be cancelled, with the task's reason, before its thread is
 * interrupted (refuse new starts, then interrupt).
 */
class ChildKeepsParentCancelReasonTest {
    private static final int ROUNDS = Integer.getInteger("loomtasks.test.reasonRounds", 300);

    @Test
    void aTaskCancelReachesTheScopesItOpenedBeforeItsBodyCanCloseThem() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            int round = i;
            var childStarted = new CountDownLatch(1);
            var child = new AtomicReference<Task<Object>>();
            try (var scope = TaskScope.open()) {
                Task<Object> parent = scope.fork("parent", () -> {
                    try (var inner = TaskScope.open()) {
                        child.set(inner.fork("child", () -> signalThenSleepForever(childStarted)));
                        return sleepForever();   // the interrupt ends it, and closes inner at once
                    }
                });
                childStarted.await();
                assertThat(parent.cancel(CancelReason.requested("round " + round))).isTrue();
            }
            assertThat(child.get().state()).isEqualTo(Task.State.CANCELLED);
            assertThat(child.get().cancelReason()).hasValueSatisfying(r -> {
                assertThat(r.kind()).as("round %d", round).isEqualTo(CancelReason.Kind.PARENT_CANCELLED);
                assertThat(r.detail()).isEqualTo("task 'parent' was cancelled: round " + round);
            });
        }
    }
}
