package io.github.loomtasks;

/**
 * Thrown when a task's body, or a scope's first failing task, threw. The cause is the body's
 * exception; when a scope saw several failures the later ones are suppressed exceptions of this
 * one. Cancellation is never a failure: a cancelled task reports a
 * {@link java.util.concurrent.CancellationException} instead.
 */
public final class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the task or scope
     * @param cause the body's exception
     */
    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
