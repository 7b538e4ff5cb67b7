package io.github.loomtasks.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Task bodies for tests: they block "forever", so only a real cancel or interrupt ends them. */
public final class Bodies {
    private Bodies() {}

    /** Blocks until interrupted. Of any result type, so that it serves as any task's body. */
    @SuppressWarnings("TypeParameterUnusedInFormals")
    public static <T> T sleepForever() throws InterruptedException {
        Thread.sleep(Duration.ofDays(1));
        throw new AssertionError("slept for a day");
    }

    /** Counts {@code started} down, then blocks until interrupted. Of any result type, like {@link #sleepForever}. */
    @SuppressWarnings("TypeParameterUnusedInFormals")
    public static <T> T signalThenSleepForever(CountDownLatch started) throws InterruptedException {
        started.countDown();
        return sleepForever();
    }

    /** Waits for the latch without giving up on interrupts, then restores the interrupt status. */
    public static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
