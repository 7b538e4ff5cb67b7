package io.github.loomtasks;

import io.github.loomtasks.internal.InterruptGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * A node of the cancellation tree: a task, a scope, or a block of code with a deadline or a
 * shield. Each thread knows its innermost frame ({@link #current()}); a scope or block opened on
 * a thread becomes a child of that frame, so cancelling a frame reaches every scope opened inside
 * it, unless a shield stands in between.
 *
 * <p>A frame's children are opened and closed only by the frame's own thread (a task's thread,
 * a scope's owner, a block's thread), so the list has a single writer; any thread may read it.
 */
abstract class Frame {
    /**
     * The innermost frame of each thread that is not a task's own thread (a scope owner that is a
     * platform thread, say). A task's thread keeps it in its task instead: a ThreadLocal costs
     * every thread that sets one a map of 136 bytes.
     */
    private static final ThreadLocal<@Nullable Frame> OUTSIDE_TASKS = new ThreadLocal<>();

    /** The frame this one was created in; for a task, its scope. */
    final @Nullable Frame parent;

    /** Newest child first, linked through {@link #nextSibling}. */
    private volatile @Nullable Frame firstChild;

    /** Next sibling in the parent's list of children. */
    volatile @Nullable Frame nextSibling;

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

    /**
     * {@return whether cancellation of the frames outside this one stops at it} True for a task
     * (the outermost frame of its thread) and for a shield.
     */
    abstract boolean isThreadRoot();

    /** The parent frame was cancelled: a scope cancels itself, a block passes it on, a shield stops it. */
    abstract void cancelFromParent(CancelReason why);

    /**
     * {@return a count that grows with every cancel request aimed at this frame's thread} A task's
     * accepted requests; 1 for a deadline that passed; 0 otherwise.
     */
    long requestStamp() {
        return 0;
    }

    /** {@return the innermost frame of the current thread: its task, or the scope or block it opened last} */
    static @Nullable Frame current() {
        ForkedTask<?> task = ForkedTask.ofCurrentThread();
        return task != null ? task.innermost() : OUTSIDE_TASKS.get();
    }

    /** Makes {@code frame} the current thread's innermost frame; null when it leaves its last one. */
    static void setCurrent(@Nullable Frame frame) {
        ForkedTask<?> task = ForkedTask.ofCurrentThread();
        if (task != null) {
            task.innermost(frame);
        } else if (frame == null) {
            OUTSIDE_TASKS.remove();
        } else {
            OUTSIDE_TASKS.set(frame);
        }
    }

    /**
     * Leaves this block frame on its own thread: unlinks it from its parent and makes the parent
     * the thread's innermost frame again.
     */
    final void leave() {
        Frame p = parent;
        if (p != null) {
            p.removeChild(this);
        }
        setCurrent(p);
    }

    /** A short name for messages, such as {@code task 'main'}. */
    abstract String label();

    final void addChild(Frame child) {
        child.nextSibling = firstChild;
        firstChild = child;
    }

    final void removeChild(Frame child) {
        Frame first = firstChild;
        if (first == child) {
            firstChild = child.nextSibling;
            return;
        }
        for (Frame f = first; f != null; f = f.nextSibling) {
            if (f.nextSibling == child) {
                f.nextSibling = child.nextSibling;
                return;
            }
        }
    }

    /** {@return the newest scope opened in this frame, looking into blocks, or null} */
    final @Nullable TaskScope<?> firstChildScope() {
        for (Frame f = firstChild; f != null; f = f.nextSibling) {
            if (f instanceof TaskScope<?> s) {
                return s;
            }
            TaskScope<?> inner = f.firstChildScope();
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    /** Adds the scopes opened in this frame, looking into blocks, oldest first. */
    final void collectChildScopes(List<TaskScope<?>> into) {
        int start = into.size();
        for (Frame f = firstChild; f != null; f = f.nextSibling) {
            if (f instanceof TaskScope<?> s) {
                into.add(start, s);
            } else {
                List<TaskScope<?>> inner = new ArrayList<>();
                f.collectChildScopes(inner);
                into.addAll(start, inner);
            }
        }
    }

    /**
     * {@return the reason that the scopes opened in this frame are (or are about to be) cancelled
     * with, or null} A scope that its owner closes after being woken by this frame's interrupt
     * takes it, so its tasks show the same reason whichever of the two comes first.
     */
    @Nullable CancelReason reasonForChildren() {
        CancelReason why = cancelledBy();
        return why == null ? null : parentCancelled(why);
    }

    private CancelReason parentCancelled(CancelReason why) {
        return new CancelReason(CancelReason.Kind.PARENT_CANCELLED, label() + " was cancelled: " + why);
    }

    /** Cancels every scope opened in this frame, because this frame was cancelled. */
    final void cancelChildren(CancelReason why) {
        if (firstChild == null) {
            return;
        }
        forwardCancel(parentCancelled(why));
    }

    /** Hands {@code reason} unchanged to every child. */
    final void forwardCancel(CancelReason reason) {
        for (Frame f = firstChild; f != null; f = f.nextSibling) {
            f.cancelFromParent(reason);
        }
    }

    /** {@return the task whose thread is the current thread, or null} */
    static @Nullable ForkedTask<?> currentTask() {
        for (Frame f = current(); f != null; f = f.parent) {
            if (f instanceof ForkedTask<?> task) {
                return task;
            }
        }
        return null;
    }

    /** {@return the gate through which cancel requests interrupt the current thread} */
    static InterruptGate gateOfCurrentThread() {
        ForkedTask<?> task = currentTask();
        return task != null ? Objects.requireNonNull(task.gate(), "the task's own thread has it") : InterruptGate.ofCurrentThread();
    }

    /** {@return the pending cancel reason of the current thread's code, or null} */
    static @Nullable CancelReason pendingOnCurrentThread() {
        return pendingFrom(current());
    }

    /** {@return the pending reason that stops code running in {@code frame}, or null} */
    static @Nullable CancelReason pendingFrom(@Nullable Frame frame) {
        for (Frame f = frame; f != null; f = f.parent) {
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

    /** {@return the sum of the request stamps from {@code frame} out to its task or shield} */
    static long requestStampFrom(@Nullable Frame frame) {
        long stamp = 0;
        for (Frame f = frame; f != null; f = f.parent) {
            stamp += f.requestStamp();
            if (f.isThreadRoot()) {
                break;
            }
        }
        return stamp;
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
