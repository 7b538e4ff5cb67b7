package io.github.loomtasks.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How loomtasks interrupts a thread on behalf of a cancel request once shields may be open on it,
 * so that they can hold requests back. Each thread that opens shields or deadlines has one gate,
 * made by the first; a task's thread without one (no shield can be open on it) is interrupted
 * under a mark that its task keeps ({@code ForkedTask}), which the making of the gate waits for.
 *
 * <p>A request comes from a <em>level</em>: the number of shields that were open on the thread
 * when the requesting frame (a task, a deadline block) was entered. A request from a level below
 * the current shield depth is outside an open shield: it is recorded, not delivered, and the
 * shield delivers it to its own thread, once, when the shield that held it back closes.
 *
 * <p>Deciding and interrupting happen under a mark held for the few microseconds that
 * {@link Thread#interrupt()} takes, so a shield cannot open between the decision and the
 * interrupt (an interrupt must never land inside a shield opened just after a canceller looked).
 * Only this gate's thread, opening or closing a shield, and other requesters wait for the mark;
 * nobody holding it waits for anything else. Guava's {@code InterruptibleTask} uses the same
 * hand-off at completion.
 */
public final class InterruptGate {
    /** Shields nest at most this deep on one thread: one bit of {@link #word} per level. */
    public static final int MAX_DEPTH = 47;

    private static final ThreadLocal<InterruptGate> OF_THREAD = ThreadLocal.withInitial(
            () -> new InterruptGate(Thread.currentThread()));

    /*
     * bit 0: the mark; bits 1..15: shield depth; bits 16..63: bit 16+L is set while a request
     * from level L waits for the shield at depth L+1 to close.
     */
    private static final long MARK = 1L;
    private static final long DEPTH_ONE = 1L << 1;
    private static final long DEPTH_MASK = 0x7FFFL << 1;
    private static final int HELD_SHIFT = 16;

    private final Thread thread;
    private volatile long word;

    /**
     * Creates the gate of a thread.
     *
     * @param thread the thread whose interrupts go through this gate
     */
    public InterruptGate(Thread thread) {
        this.thread = thread;
    }

    /** {@return the gate of the current thread, for threads that are not tasks} */
    public static InterruptGate ofCurrentThread() {
        return OF_THREAD.get();
    }

    /** {@return how many shields are open on the gate's thread} Read by the thread itself. */
    public int depth() {
        return depthOf(word);
    }

    /**
     * Interrupts the thread for a request from {@code level}, or holds the request back until
     * the shields opened above that level close.
     *
     * @param level the shield depth at which the requesting frame was entered
     */
    public void request(int level) {
        long w = acquire();
        try {
            if (level >= depthOf(w)) {
                thread.interrupt();
            } else {
                w |= held(level);
            }
        } finally {
            word = w;
        }
    }

    /**
     * Opens a shield on the current thread, which must be the gate's thread. An interrupt that is
     * already pending belongs to the code outside: it is taken now and given back when the shield
     * closes.
     *
     * @return the new depth
     * @throws IllegalStateException if {@link #MAX_DEPTH} shields are already open
     */
    public int open() {
        long w = acquire();
        int depth = depthOf(w);
        if (depth >= MAX_DEPTH) {
            word = w;
            throw new IllegalStateException("shields nest at most " + MAX_DEPTH + " deep on one thread");
        }
        if (Thread.interrupted()) {
            w |= held(depth);
        }
        word = w + DEPTH_ONE;
        return depth + 1;
    }

    /** Closes the innermost shield and delivers, once, a request it held back. */
    public void close() {
        long w = acquire();
        int depth = depthOf(w) - 1;
        long next = w - DEPTH_ONE;
        try {
            if ((next & held(depth)) != 0) {
                next &= ~held(depth);
                thread.interrupt();
            }
        } finally {
            word = next;
        }
    }

    private long acquire() {
        for (int spins = 0;; spins++) {
            long w = word;
            if ((w & MARK) == 0 && WORD.compareAndSet(this, w, w | MARK)) {
                return w;
            }
            Spins.backOff(spins);
        }
    }

    private static int depthOf(long w) {
        return (int) ((w & DEPTH_MASK) >>> 1);
    }

    private static long held(int level) {
        return 1L << (HELD_SHIFT + level);
    }

    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(InterruptGate.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
