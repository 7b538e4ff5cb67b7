package io.github.loomtasks.internal;

import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.CancellationException;

/** Tells which exceptions a body ends with because its thread was interrupted. */
public final class Interrupts {
    /** Deep enough for wrappers around wrappers; bounded so that a cause cycle cannot hang us. */
    private static final int MAX_CAUSE_DEPTH = 16;

    private Interrupts() {}

    /**
     * {@return whether the body's exception is the outcome of an interrupt or cancellation}
     * Used once a cancel was requested: {@link InterruptedException},
     * {@link CancellationException}, {@link ClosedByInterruptException},
     * {@link InterruptedIOException} (but not its {@link SocketTimeoutException}), and the
     * {@link SocketException} "Closed by interrupt" that virtual threads get, also as causes of a
     * wrapper.
     */
    public static boolean causedByCancel(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (isInterruptOrCancel(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@return whether the body's exception, thrown without a cancel request, still means the
     * thread was interrupted} A foreign {@link Thread#interrupt()} counts as a cancel request.
     */
    public static boolean isInterrupt(Throwable failure) {
        return failure instanceof InterruptedException || failure instanceof ClosedByInterruptException;
    }

    /** {@return whether the body threw {@link CancellationException} itself} */
    public static boolean isSelfCancel(Throwable failure) {
        return failure instanceof CancellationException;
    }

    private static boolean isInterruptOrCancel(Throwable t) {
        return t instanceof InterruptedException
                || t instanceof CancellationException
                || t instanceof ClosedByInterruptException
                || (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException))
                || (t instanceof SocketException && "Closed by interrupt".equals(t.getMessage()));
    }
}
