package io.github.loomtasks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;

/**
 * The configuration of a {@link Runner}: one immutable record, changed with {@code withX}.
 *
 * {@snippet :
 * var config = RunnerConfig.defaults().withGrace(Duration.ofSeconds(10));
 * System.exit(Runner.create(config).run(this::serve));
 * }
 *
 * @param grace how long shutdown may take after the first signal, from the interrupt of the main
 *     work to the last task's end; tasks still running then are reported and the process exits
 * @param report where the runner writes its warnings and reports (not the program's output)
 * @param handleSignals whether the runner handles SIGINT and SIGTERM while it runs; off, only
 *     {@link Runner#deliver(ShutdownSignal)} starts a shutdown (for embedding and tests)
 * @param interruptExitCode the exit status when SIGINT stopped work that did not handle it
 * @param terminateExitCode the exit status when SIGTERM stopped work that did not handle it
 * @param failureExitCode the exit status when the main work failed
 */
public record RunnerConfig(
        Duration grace,
        PrintStream report,
        boolean handleSignals,
        int interruptExitCode,
        int terminateExitCode,
        int failureExitCode) {

    private static final RunnerConfig DEFAULTS =
            new RunnerConfig(Duration.ofSeconds(5), System.err, true, 130, 143, 1);

    /**
     * Creates a configuration.
     *
     * @throws NullPointerException if {@code grace} or {@code report} is null
     * @throws IllegalArgumentException if {@code grace} is negative, or an exit code is outside 0..255
     */
    public RunnerConfig {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(report, "report");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace
                    + ": use Duration.ZERO to report at once");
        }
        checkExitCode("interruptExitCode", interruptExitCode);
        checkExitCode("terminateExitCode", terminateExitCode);
        checkExitCode("failureExitCode", failureExitCode);
    }

    /**
     * {@return the defaults} A 5 s grace period, reports to {@code System.err}, signals handled,
     * exit statuses 130 (SIGINT), 143 (SIGTERM) and 1 (failure): the shell's conventions.
     */
    public static RunnerConfig defaults() {
        return DEFAULTS;
    }

    /** {@return this configuration with another grace period} */
    public RunnerConfig withGrace(Duration grace) {
        return new RunnerConfig(grace, report, handleSignals, interruptExitCode, terminateExitCode, failureExitCode);
    }

    /** {@return this configuration with another report stream} */
    public RunnerConfig withReport(PrintStream report) {
        return new RunnerConfig(grace, report, handleSignals, interruptExitCode, terminateExitCode, failureExitCode);
    }

    /** {@return this configuration, handling SIGINT and SIGTERM or not} */
    public RunnerConfig withHandleSignals(boolean handleSignals) {
        return new RunnerConfig(grace, report, handleSignals, interruptExitCode, terminateExitCode, failureExitCode);
    }

    /** {@return this configuration with other exit statuses for SIGINT and SIGTERM} */
    public RunnerConfig withSignalExitCodes(int interruptExitCode, int terminateExitCode) {
        return new RunnerConfig(grace, report, handleSignals, interruptExitCode, terminateExitCode, failureExitCode);
    }

    /** {@return this configuration with another exit status for a failed main work} */
    public RunnerConfig withFailureExitCode(int failureExitCode) {
        return new RunnerConfig(grace, report, handleSignals, interruptExitCode, terminateExitCode, failureExitCode);
    }

    /** {@return the exit status for work that the signal stopped without the program handling it} */
    public int exitCode(ShutdownSignal signal) {
        Objects.requireNonNull(signal, "signal");
        return signal == ShutdownSignal.SIGINT ? interruptExitCode : terminateExitCode;
    }

    private static void checkExitCode(String what, int code) {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException(what + " must be an exit status in 0..255, was " + code);
        }
    }
}
