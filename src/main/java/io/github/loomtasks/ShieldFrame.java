package io.github.loomtasks;

import io.github.loomtasks.internal.InterruptGate;
import org.jspecify.annotations.Nullable;

/**
 * A shielded block of code ({@link Tasks#shield}), as Trio's shielded cancel scope: cancellation
 * of the frames outside it stops here. Their interrupts are held back by the thread's
 * {@link InterruptGate}, their pending requests are not seen by loomtasks calls inside, and the
 * scopes opened inside are not cancelled by them. Deadlines opened inside the shield work as usual.
 */
final class ShieldFrame extends Frame {
    private final InterruptGate gate;

    private ShieldFrame(@Nullable Frame parent, InterruptGate gate) {
        super(parent);
        this.gate = gate;
    }

    /** Pushes a shield on the current thread. */
    static ShieldFrame enter() {
        Frame parent = current();
        InterruptGate gate = gateOfCurrentThread();
        ShieldFrame frame = new ShieldFrame(parent, gate);
        gate.open();
        if (parent != null) {
            parent.addChild(frame);
        }
        setCurrent(frame);
        return frame;
    }

    /** Pops the shield and delivers, once, a request it held back. */
    void exit() {
        leave();
        gate.close();
    }

    @Override
    @Nullable CancelReason cancelledBy() {
        return null;
    }

    @Override
    @Nullable CancelReason pendingForThread() {
        return null;
    }

    @Override
    @Nullable CancelReason reasonForChildren() {
        return null;
    }

    @Override
    boolean isThreadRoot() {
        return true;
    }

    @Override
    void cancelFromParent(CancelReason why) {
        // shielded: the request reaches the code inside only when the shield closes
    }

    @Override
    String label() {
        return "shielded block";
    }
}
