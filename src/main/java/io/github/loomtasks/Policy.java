package io.github.loomtasks;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link TaskScope} does when its tasks complete: whether a completion cancels the rest,
 * and what {@link TaskScope#join()} returns or throws. Chosen when the scope is opened, by
 * composition (like the JDK 25 {@code StructuredTaskScope.Joiner}); a policy object serves one
 * scope.
 *
 * <p>Cancellation never counts as failure. When several tasks fail, the first failure is the
 * cause of the {@link TaskFailedException} and later ones are suppressed.
 *
 * @param <R> what join returns
 */
public interface Policy<R extends @Nullable Object> {

    /**
     * Called once for every task of the scope, on the task's thread, after it reached
     * {@code DONE} or {@code CANCELLED}. Must be quick and must not block.
     *
     * @param task the task that completed
     * @return {@code true} to cancel the scope (every task that is not terminal)
     */
    boolean onComplete(Task<?> task);

    /**
     * Called by {@link TaskScope#join()} on the owner thread, once every task is terminal.
     *
     * @return what join returns
     * @throws TaskFailedException if the policy treats the outcome as a failure
     */
    R result();

    /**
     * {@return a policy that waits for every task and never fails the join} Inspect each task's
     * outcome yourself. asyncio's {@code wait(ALL_COMPLETED)} and {@code gather}.
     */
    static Policy<@Nullable Void> awaitAll() {
        return new AwaitAllPolicy(false);
    }

    /**
     * {@return a policy that cancels the other tasks at the first failure, and makes join throw
     * {@link TaskFailedException} with it} asyncio's {@code TaskGroup}, Trio's nursery.
     */
    static Policy<@Nullable Void> cancelOnFailure() {
        return new AwaitAllPolicy(true);
    }

    /**
     * {@return a policy that cancels the other tasks at the first success, and makes join return
     * its result} If no task succeeds, join throws {@link TaskFailedException} with the first
     * failure, or {@link java.util.concurrent.CancellationException} if every task was cancelled,
     * or {@link java.util.NoSuchElementException} if no task was forked.
     */
    static <T extends @Nullable Object> Policy<T> firstSuccess() {
        return new FirstSuccessPolicy<>();
    }
}
