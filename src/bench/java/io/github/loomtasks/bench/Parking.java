package io.github.loomtasks.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * How a parked benchmark body waits until it is cancelled. The workload sleeps; an untimed
 * park is there to show how much of the cancel cost is the JDK's timed sleep (see
 * docs/performance.md).
 */
enum Parking {
    /** {@code Thread.sleep(60 s)}: a timed park that the JDK backs with a timer. */
    SLEEP {
        @Override
        void park() throws InterruptedException {
            Thread.sleep(Duration.ofSeconds(60));
        }
    },
    /** {@code LockSupport.park()} until interrupted: no timer at all. */
    PARK {
        @Override
        void park() throws InterruptedException {
            while (!Thread.interrupted()) {
                LockSupport.park(this);
            }
            throw new InterruptedException();
        }
    };

    /** Waits until the current thread is interrupted, then throws {@link InterruptedException}. */
    abstract void park() throws InterruptedException;
}
