package io.github.loomtasks.internal;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of loomtasks: a daemon platform thread that fires deadlines. A cancelled timer
 * leaves the queue at once. A fired deadline runs on a new virtual thread, so that cancelling a
 * large scope never delays the other deadlines.
 */
public final class Timers {
    private static final ScheduledThreadPoolExecutor SCHEDULER = create();

    private Timers() {}

    private static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("loomtasks-timer").daemon().factory());
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /**
     * Runs {@code action} on a new virtual thread after {@code nanos}.
     *
     * @param nanos the delay; zero or negative fires at once
     * @param action what to run; it must decide for itself whether it is still wanted
     * @return the timer, to cancel with {@code cancel(false)}
     */
    public static Future<?> schedule(long nanos, Runnable action) {
        return SCHEDULER.schedule(() -> {
            Thread.ofVirtual().name("loomtasks-deadline").start(action);
        }, nanos, TimeUnit.NANOSECONDS);
    }
}
