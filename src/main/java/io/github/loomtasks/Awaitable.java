package io.github.loomtasks;

import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * The completion hook of loomtasks' own tasks (forked tasks and gathers), on which every waiting
 * call is built: a listener per task, no polling and no shared future.
 */
interface Awaitable {

    /**
     * Runs {@code listener} once the task is terminal, on the thread that made it terminal, or at
     * once on the caller's thread if it already is; rarely, on the thread of another waiter that
     * registered as the task ended (a task's end writes nothing when nobody waits yet, so a waiter
     * that finds it ended closes the waiter stack itself). The listener must be quick, must not
     * block, and must not care which thread runs it.
     *
     * @return a handle for {@link #forget}, or null if the listener already ran
     */
    @Nullable Object whenDone(Runnable listener);

    /** Drops a listener that is no longer wanted (a wait that timed out or was interrupted). */
    void forget(Object handle);

    /** {@return the exception that join reports for this task, which must be CANCELLED} */
    CancellationException cancellationException();

    /**
     * {@return {@code task} as an awaitable}
     *
     * @throws IllegalArgumentException if the task was not made by loomtasks
     */
    static Awaitable of(Task<?> task) {
        if (task instanceof Awaitable a) {
            return a;
        }
        throw new IllegalArgumentException(task + " is not a loomtasks task: wait only for tasks from "
                + "TaskScope.fork or Tasks.gather");
    }
}
