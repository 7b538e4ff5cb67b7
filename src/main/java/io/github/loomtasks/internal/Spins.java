package io.github.loomtasks.internal;

/**
 * The one back-off of loomtasks' short waits: for a mark held only around an interrupt, or a
 * timer finishing its cancel. Spins first, then yields, so that a holder descheduled on a busy
 * machine (or a virtual thread sharing its carrier) gets to run.
 */
public final class Spins {
    private Spins() {}

    /**
     * Waits a moment before the caller's next try.
     *
     * @param spins how many tries failed so far
     */
    @SuppressWarnings("ThreadPriorityCheck") // after many tries, let the thread we wait for run
    public static void backOff(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
