package io.github.loomtasks.demo;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A parsed command line.
 *
 * @param program which tutorial case to run; empty with {@code help}
 * @param durations how long each worker sleeps, in fork order
 * @param interruptAfter when to deliver the interrupt that Ctrl-C delivers, if at all
 * @param grace how long shutdown may take before stuck tasks are reported
 * @param stuckTask whether to add a task that ignores interrupts (hidden, for tests and docs)
 * @param verbose whether to print each worker's end to stderr, once the wait has seen it
 * @param help whether to print the usage and exit 0
 */
record Options(
        Optional<Program> program,
        List<Duration> durations,
        Optional<Duration> interruptAfter,
        Duration grace,
        boolean stuckTask,
        boolean verbose,
        boolean help) {

    /** The two programs of the tutorial. */
    enum Program {
        /** Case 1: the main thread waits on the three tasks directly. */
        FLAT,
        /** Case 2: a main task forks the three and waits on them. */
        NESTED
    }

    Options {
        durations = List.copyOf(durations);
    }
}
