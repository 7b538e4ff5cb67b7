package io.github.loomtasks;

import java.util.Objects;

/**
 * Why a task or scope was cancelled. Every cancel request carries one; the task keeps the first
 * and dumps show it.
 *
 * @param kind what kind of event asked for the cancel
 * @param detail a short human-readable sentence, shown in dumps
 */
public record CancelReason(Kind kind, String detail) {

    /** The kinds of event that cancel tasks. */
    public enum Kind {
        /** A caller invoked {@link Task#cancel()} or {@link TaskScope#cancel()}. */
        REQUESTED,
        /** The enclosing scope closed while the task was not terminal. */
        SCOPE_CLOSED,
        /** The task that opened the enclosing scope was cancelled. */
        PARENT_CANCELLED,
        /** A sibling failed under a policy that cancels the rest on the first failure. */
        SIBLING_FAILED,
        /** The scope's policy stopped the scope, for example at the first success. */
        POLICY,
        /** A deadline passed. */
        DEADLINE,
        /** The process received a signal such as SIGINT (Ctrl-C) or SIGTERM. */
        SIGNAL,
        /** Something called {@link Thread#interrupt()} on the task's thread. */
        INTERRUPTED,
        /** The body threw {@link java.util.concurrent.CancellationException} on its own. */
        SELF
    }

    /**
     * Creates a reason.
     *
     * @throws NullPointerException if {@code kind} or {@code detail} is null
     */
    public CancelReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@return the reason of a plain {@code cancel()} call} */
    public static CancelReason requested() {
        return REQUESTED_PLAIN;
    }

    /**
     * {@return a {@link Kind#REQUESTED} reason with the caller's message} asyncio's
     * {@code task.cancel(msg)}.
     *
     * @param message what the caller wants dumps to show
     */
    public static CancelReason requested(String message) {
        return new CancelReason(Kind.REQUESTED, Objects.requireNonNull(message, "message"));
    }

    private static final CancelReason REQUESTED_PLAIN = new CancelReason(Kind.REQUESTED, "cancel() called");

    /** {@return the detail sentence} */
    @Override
    public String toString() {
        return detail;
    }
}
