package io.github.loomtasks;

/**
 * When {@link Tasks#wait} returns: asyncio's {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION}
 * and {@code ALL_COMPLETED}.
 */
public enum ReturnWhen {
    /** As soon as any task is terminal ({@code DONE} or {@code CANCELLED}). */
    FIRST_COMPLETED,
    /**
     * As soon as any task is {@code DONE} with an exception, or when every task is terminal.
     * A cancelled task is not an exception.
     */
    FIRST_EXCEPTION,
    /** When every task is terminal. */
    ALL_COMPLETED
}
