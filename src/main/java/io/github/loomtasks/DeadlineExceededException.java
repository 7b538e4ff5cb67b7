package io.github.loomtasks;

/**
 * Thrown where a deadline passed: by {@link Tasks#withTimeout} when its block was cancelled by its
 * own deadline, and by {@link TaskScope#join()} when the scope's deadline
 * ({@link ScopeConfig#withTimeout}) cancelled it.
 *
 * <p>Unchecked, like JDK 25's {@code StructuredTaskScope.TimeoutException}, so that scope join
 * keeps its signature. It is deliberately not {@link java.util.concurrent.TimeoutException}: that
 * one says "I stopped waiting and cancelled nothing" ({@link Task#join(java.time.Duration)},
 * {@link Tasks#wait}); this one says "the deadline cancelled the work". It is not a
 * {@link java.util.concurrent.CancellationException} either: a task whose body lets it escape
 * ends {@code DONE} with it, as a task that lets asyncio's {@code TimeoutError} escape does.
 */
public final class DeadlineExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which deadline passed
     */
    public DeadlineExceededException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message which deadline passed
     * @param cause how the block's code ended when the deadline cancelled it, usually an
     *     {@link InterruptedException}
     */
    public DeadlineExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
