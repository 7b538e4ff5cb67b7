package io.github.loomtasks;

import java.util.Iterator;

/** Builds the one failure type of the API from tasks that failed. */
final class Failures {
    private Failures() {}

    /** {@return whether the task is DONE because its body threw} Cancellation is not failure. */
    static boolean failed(Task<?> task) {
        if (task.state() != Task.State.DONE) {
            return false;
        }
        try {
            task.exceptionNow();
            return true;
        } catch (IllegalStateException succeeded) {
            return false;
        }
    }

    /** The first failure is the cause; later ones are suppressed. */
    static TaskFailedException of(String what, Iterable<Task<?>> failedInOrder) {
        Iterator<Task<?>> it = failedInOrder.iterator();
        Task<?> first = it.next();
        Throwable cause = first.exceptionNow();
        TaskFailedException e = new TaskFailedException(what + ": task '" + first.name() + "' threw "
                + ForkedTask.describeException(cause), cause);
        while (it.hasNext()) {
            e.addSuppressed(it.next().exceptionNow());
        }
        return e;
    }
}
