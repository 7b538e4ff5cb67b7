package io.github.loomtasks.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps every carrier of the default virtual-thread scheduler busy with a spinning virtual thread,
 * so that no other virtual thread can run until {@link #close()}. Call it from a platform thread.
 */
@SuppressWarnings("try") // close() waits for the spinners to stop, which an interrupt may cut short
public final class BusyCarriers implements AutoCloseable {
    private final List<Thread> spinners = new ArrayList<>();
    private volatile boolean spin = true;

    private BusyCarriers() {}

    /** {@return the carriers, all busy once this returns} */
    public static BusyCarriers occupyAll() throws InterruptedException {
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        BusyCarriers busy = new BusyCarriers();
        CountDownLatch spinning = new CountDownLatch(carriers);
        for (int i = 0; i < carriers; i++) {
            busy.spinners.add(Thread.ofVirtual().name("busy-carrier-" + i).start(() -> {
                spinning.countDown();
                while (busy.spin) {
                    Thread.onSpinWait();
                }
            }));
        }
        spinning.await();
        return busy;
    }

    /** Stops the spinners and waits for them to end. */
    @Override
    public void close() throws InterruptedException {
        spin = false;
        for (Thread t : spinners) {
            t.join();
        }
    }
}
