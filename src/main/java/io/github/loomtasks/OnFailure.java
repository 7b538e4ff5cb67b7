package io.github.loomtasks;

/** What {@link Tasks#gather(java.util.Collection, OnFailure)} does with the other tasks when one fails. */
public enum OnFailure {
    /** They run on; the gather ends when all are terminal (asyncio's {@code gather} default). */
    CONTINUE,
    /**
     * They are cancelled, with a {@link CancelReason.Kind#SIBLING_FAILED} reason (what a
     * {@code TaskGroup} does).
     */
    CANCEL_OTHERS
}
