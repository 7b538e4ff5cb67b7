package io.github.loomtasks.demo.service;

import java.time.Duration;
import java.util.Objects;

/**
 * A simulated backend call: it takes {@code latency}, then answers, fails, or (stubborn) answers
 * even though it was cancelled on the way.
 *
 * @param name the backend's name, also the name of its task in dumps
 * @param latency how long the call takes
 * @param behaviour what it does at the end, and with a cancel on the way
 */
record Backend(String name, Duration latency, Behaviour behaviour) {

    /** What a call does. */
    enum Behaviour {
        /** Sleeps, then answers; a cancel interrupts the sleep and the task ends CANCELLED. */
        NORMAL,
        /** Sleeps, then throws: the scope's policy decides what happens to its siblings. */
        FAIL,
        /**
         * Sleeps through interrupts to the end and answers: the stand-in for uninterruptible
         * work (a legacy client, a busy loop). It keeps the interrupt and restores it when done.
         */
        STUBBORN
    }

    Backend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(behaviour, "behaviour");
    }

    Backend withLatency(Duration latency) {
        return new Backend(name, latency, behaviour);
    }

    Backend withBehaviour(Behaviour behaviour) {
        return new Backend(name, latency, behaviour);
    }

    /** The call, run as the body of a task. */
    String call() throws InterruptedException, BackendException {
        switch (behaviour) {
            case NORMAL -> Thread.sleep(latency);
            case FAIL -> {
                Thread.sleep(latency);
                throw new BackendException(name + " answered 500 after " + Durations.format(latency));
            }
            case STUBBORN -> {
                int ignored = sleepThroughInterrupts(latency);
                return name + ": ok after " + Durations.format(latency) + ", ignored " + ignored + " interrupt(s)";
            }
        }
        return name + ": ok after " + Durations.format(latency);
    }

    /**
     * Sleeps for {@code d} whatever happens, like Guava's {@code sleepUninterruptibly}: the
     * interrupt is not lost, it is set again on the way out.
     *
     * @return how many interrupts arrived
     */
    private static int sleepThroughInterrupts(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        int interrupts = 0;
        try {
            for (long left = d.toNanos(); left > 0; left = end - System.nanoTime()) {
                try {
                    Thread.sleep(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    interrupts++;
                }
            }
            return interrupts;
        } finally {
            if (interrupts > 0) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
