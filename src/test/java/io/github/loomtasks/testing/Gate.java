package io.github.loomtasks.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;

/**
 * A thread factory whose threads wait at a gate before running the task: the task stays PENDING
 * until {@link #open()}, so tests can cancel it before its body could start.
 */
public final class Gate implements ThreadFactory {
    private final CountDownLatch gate = new CountDownLatch(1);

    @Override
    public Thread newThread(Runnable task) {
        return Thread.ofVirtual().unstarted(() -> {
            Bodies.awaitUninterruptibly(gate);
            task.run();
        });
    }

    /** Lets every thread of this factory run its task. */
    public void open() {
        gate.countDown();
    }
}
