package io.github.loomtasks;

import io.github.loomtasks.internal.InterruptGate;
import io.github.loomtasks.internal.Interrupts;
import io.github.loomtasks.internal.Spins;
import io.github.loomtasks.internal.Timers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * A block of code with a deadline ({@link Tasks#withTimeout}), as a Trio cancel scope: a frame on
 * its thread's stack. When the deadline passes, the frame interrupts its thread (through the
 * thread's {@link InterruptGate}, so shields opened inside hold it back) and cancels the scopes
 * opened inside it. On exit the block takes back only its own interrupt, and turns the ending it
 * caused into {@link DeadlineExceededException}.
 *
 * <p>Nested deadlines cannot take each other's cancellation: each frame converts only when its
 * own deadline passed and no frame outside it has a pending request; an outer request is the
 * outer frame's to report (asyncio's {@code timeout()} and Trio decide the same way).
 */
final class DeadlineFrame extends Frame {
    /*
     * ACTIVE -> EXPIRING -> EXPIRED   the timer: cancels the scopes inside and interrupts between
     *                                 the two, so the exit, which waits out EXPIRING, never
     *                                 leaves an interrupt behind it
     * ACTIVE -> EXITED                the block's thread, at exit; the timer then does nothing
     */
    private static final int ACTIVE = 0;
    private static final int EXPIRING = 1;
    private static final int EXPIRED = 2;
    private static final int EXITED = 3;

    private volatile int state;
    private final InterruptGate gate;
    /** Shield depth at entry: requests from this frame are held back only by shields inside it. */
    private final int level;
    private final CancelReason reason;
    /** The requests aimed at the code outside, at entry: a new one during the block is not lost. */
    private final long outerStampAtEntry;
    private @Nullable Future<?> timer;

    private DeadlineFrame(@Nullable Frame parent, InterruptGate gate, CancelReason reason) {
        super(parent);
        this.gate = gate;
        this.level = gate.depth();
        this.reason = reason;
        this.outerStampAtEntry = requestStampFrom(parent);
    }

    /** Pushes a deadline frame on the current thread and starts its timer. */
    static DeadlineFrame enter(Duration timeout) {
        Frame parent = current();
        DeadlineFrame frame = new DeadlineFrame(parent, gateOfCurrentThread(),
                new CancelReason(CancelReason.Kind.DEADLINE, "deadline of " + timeout + " passed"));
        if (parent != null) {
            parent.addChild(frame);
        }
        setCurrent(frame);
        long nanos = TaskScope.toNanos(timeout);
        if (nanos <= 0) {
            frame.expire();
        } else {
            frame.timer = Timers.schedule(nanos, frame::expire);
        }
        return frame;
    }

    /** The timer fired. */
    private void expire() {
        if (!STATE.compareAndSet(this, ACTIVE, EXPIRING)) {
            return;
        }
        try {
            gate.request(level);
            forwardCancel(reason);
        } finally {
            state = EXPIRED;
        }
    }

    /**
     * Leaves the block. Called once, on the block's thread, with how the block's code ended.
     *
     * @return what to throw instead of {@code failure}, or null to keep the block's own ending
     */
    @Nullable DeadlineExceededException exit(@Nullable Throwable failure) {
        boolean expired = !STATE.compareAndSet(this, ACTIVE, EXITED);
        Future<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        for (int spins = 0; state == EXPIRING; spins++) {
            // the timer is cancelling the scopes inside and interrupting: it must finish first,
            // or its interrupt would land on what the thread does after the block
            Spins.backOff(spins);
        }
        leave();
        if (!expired) {
            return null;
        }
        Thread.interrupted(); // our own interrupt, if the code did not take it
        Throwable cancelEnding = failure != null && Interrupts.causedByCancel(failure) ? failure : null;
        boolean endedByCancel = cancelEnding != null;
        if (pendingFrom(parent) != null) {
            // An outer request is pending: it wins, and is reported by its own frame. If it came
            // during the block, its interrupt may have been the one just cleared: deliver it again
            // unless the block's ending already carries it outward.
            if (requestStampFrom(parent) != outerStampAtEntry && !endedByCancel) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
        return cancelEnding != null ? new DeadlineExceededException(reason.detail(), cancelEnding) : null;
    }

    @Override
    @Nullable CancelReason cancelledBy() {
        if (state == EXPIRING || state == EXPIRED) {
            return reason;
        }
        Frame p = parent;
        return p == null ? null : p.cancelledBy();
    }

    @Override
    @Nullable CancelReason pendingForThread() {
        int s = state;
        return s == EXPIRING || s == EXPIRED ? reason : null;
    }

    @Override
    boolean isThreadRoot() {
        return false;
    }

    @Override
    void cancelFromParent(CancelReason why) {
        forwardCancel(why);
    }

    @Override
    @Nullable CancelReason reasonForChildren() {
        int s = state;
        if (s == EXPIRING || s == EXPIRED) {
            return reason;
        }
        Frame p = parent;
        return p == null ? null : p.reasonForChildren();
    }

    @Override
    long requestStamp() {
        int s = state;
        return s == EXPIRING || s == EXPIRED ? 1 : 0;
    }

    @Override
    String label() {
        return "block with a " + reason.detail().replace(" passed", "");
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DeadlineFrame.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
