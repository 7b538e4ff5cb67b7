package io.github.loomtasks.testing;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Wraps a thread factory and keeps every thread it made, and counts the threads whose task began and
 * ran to its end, so that a test can check that no task's thread is left running.
 */
public final class RecordingThreadFactory implements ThreadFactory {
    private final ThreadFactory delegate;
    private final ConcurrentLinkedQueue<Thread> made = new ConcurrentLinkedQueue<>();
    private final LongAdder began = new LongAdder();
    private final LongAdder ended = new LongAdder();

    public RecordingThreadFactory(ThreadFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = delegate.newThread(() -> {
            began.increment();
            try {
                task.run();
            } finally {
                ended.increment();
            }
        });
        if (t != null) {
            made.add(t);
        }
        return t;
    }

    /** {@return how many threads the factory made} */
    public long made() {
        return made.size();
    }

    /** {@return how many of the threads began running their task} */
    public long began() {
        return began.sum();
    }

    /** {@return how many of the threads ran their task to its end} */
    public long ended() {
        return ended.sum();
    }

    /**
     * Waits until every thread that began has run its task to the end and is no longer alive.
     * {@code close()} returns once each task's thread has left the task, as the JDK's scopes and
     * executors do; the thread ends a moment later, after running what the factory wrapped
     * around the task (this class's count, here).
     *
     * @return whether they all ended within 30 s
     */
    public boolean awaitAllEnded() {
        try {
            // polled every millisecond: the stress tests call this after each of many rounds
            Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30))
                    .until(() -> ended() == began() && alive() == 0);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** {@return how many of the threads are alive now} */
    public long alive() {
        return made.stream().filter(Thread::isAlive).count();
    }
}
