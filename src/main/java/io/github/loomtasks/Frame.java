package io.github.loomtasks;

import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * A node of the cancellation tree: a task, or a scope. Each thread knows its innermost frame
 * ({@link #CURRENT}); a scope opened on a thread becomes a child of that frame, so cancelling a
 * frame reaches every scope opened inside it.
 *
 * <p>A frame's child scopes are opened and closed only by the frame's own thread (a task's
 * thread, or a scope's owner), so the list has a single writer; any thread may read it.
 */
abstract class Frame {
    /** The innermost frame of the current thread: its task, or the scope it opened last. */
    static final ThreadLocal<@Nullable Frame> CURRENT = new ThreadLocal<>();

    /** The frame this one was created in; for a task, its scope. */
    final @Nullable Frame parent;

    /** Newest child scope first, linked through {@link TaskScope#nextSibling}. */
    private volatile @Nullable TaskScope<?> firstChild;

    Frame(@Nullable Frame parent) {
        this.parent = parent;
    }

    /** {@return why new child scopes must be born cancelled, or null while this frame runs on} */
    abstract @Nullable CancelReason cancelledBy();

    /**
     * {@return the reason that stops the code of this frame's own thread at its next loomtasks
     * call, or null} A scope never stops its owner: only tasks (and blocks) do.
     */
    abstract @Nullable CancelReason pendingForThread();

    /** {@return whether this frame is the outermost frame of its thread (a task)} */
    abstract boolean isThreadRoot();

    /** A short name for messages, such as {@code task 'main'}. */
    abstract String label();

    final void addChild(TaskScope<?> scope) {
        scope.nextSibling = firstChild;
        firstChild = scope;
    }

    final void removeChild(TaskScope<?> scope) {
        TaskScope<?> first = firstChild;
        if (first == scope) {
            firstChild = scope.nextSibling;
            return;
        }
        for (TaskScope<?> s = first; s != null; s = s.nextSibling) {
            if (s.nextSibling == scope) {
                s.nextSibling = scope.nextSibling;
                return;
            }
        }
    }

    final @Nullable TaskScope<?> firstChild() {
        return firstChild;
    }

    /** Cancels every scope opened in this frame, because this frame was cancelled. */
    final void cancelChildren(CancelReason why) {
        TaskScope<?> first = firstChild;
        if (first == null) {
            return;
        }
        CancelReason reason = new CancelReason(CancelReason.Kind.PARENT_CANCELLED, label() + " was cancelled: " + why);
        for (TaskScope<?> s = first; s != null; s = s.nextSibling) {
            s.cancel(reason);
        }
    }

    /** {@return the task whose thread is the current thread, or null} */
    static @Nullable ForkedTask<?> currentTask() {
        for (Frame f = CURRENT.get(); f != null; f = f.parent) {
            if (f instanceof ForkedTask<?> task) {
                return task;
            }
        }
        return null;
    }

    /** {@return the pending cancel reason of the current thread's code, or null} */
    static @Nullable CancelReason pendingOnCurrentThread() {
        for (Frame f = CURRENT.get(); f != null; f = f.parent) {
            CancelReason reason = f.pendingForThread();
            if (reason != null) {
                return reason;
            }
            if (f.isThreadRoot()) {
                return null;
            }
        }
        return null;
    }

    /**
     * Throws if the current thread is a task whose cancellation is pending: the request was
     * delivered once as an interrupt, and a body that swallowed it stops here.
     */
    static void throwIfCancelled() throws InterruptedException {
        CancelReason reason = pendingOnCurrentThread();
        if (reason != null) {
            throw new InterruptedException("cancelled: " + reason);
        }
    }

    /** As {@link #throwIfCancelled()}, for calls that do not declare InterruptedException. */
    static void throwIfCancelledUnchecked() {
        CancelReason reason = pendingOnCurrentThread();
        if (reason != null) {
            throw new CancellationException("cancelled: " + reason);
        }
    }
}
