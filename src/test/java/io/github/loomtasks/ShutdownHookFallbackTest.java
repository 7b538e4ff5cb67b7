package io.github.loomtasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.loomtasks.testing.ChildJvm;
import io.github.loomtasks.testing.ExitDuringRun;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where a Runner cannot handle SIGINT and SIGTERM ({@code -Xrs} here), it says so and falls back
 * to a shutdown hook: a {@code System.exit} during the run then stops the work as a SIGTERM would,
 * within the grace period, before the JVM exits with the status that {@code System.exit} was given.
 * Child JVMs run {@link ExitDuringRun}.
 */
class ShutdownHookFallbackTest {
    private static final List<String> XRS = List.of("-Xrs");

    @Test
    void theRunnerSaysItFallsBackToAShutdownHookAndAnExitAfterTheRunIsLeftAlone() throws Exception {
        try (ChildJvm child = ChildJvm.startMain(XRS, ExitDuringRun.class, "after")) {
            assertThat(child.awaitExit()).as(child.transcript()).isEqualTo(7);
            assertThat(child.stderr()).as(child.transcript()).anySatisfy(line -> assertThat(line)
                    .contains("cannot handle SIGINT").contains("SIGTERM").contains("Falling back to a shutdown hook"));
            assertThat(child.stdout()).as(child.transcript()).containsExactly("run returned 0");
            assertThat(child.stderr()).as(child.transcript()).noneMatch(line -> line.contains("stopped by"));
        }
    }

    @Test
    void anExitDuringAFlatRunStopsTheWorkAndCancelsItsTasksFirst() throws Exception {
        try (ChildJvm child = ChildJvm.startMain(XRS, ExitDuringRun.class, "flat")) {
            assertThat(child.awaitExit()).as(child.transcript()).isEqualTo(7);
            assertThat(child.stdout()).as(child.transcript()).contains("work interrupted; [a CANCELLED, b CANCELLED]");
            assertThat(child.stderr()).as(child.transcript())
                    .contains("loomtasks: the main work was stopped by SIGTERM; exit status 143");
        }
    }

    @Test
    void aGracePeriodTooLongForNanosecondsMeansTheHookWaitsAsLongAsItTakes() throws Exception {
        String forever = ChronoUnit.FOREVER.getDuration().toString();
        try (ChildJvm child = ChildJvm.startMain(XRS, ExitDuringRun.class, "flat", forever)) {
            assertThat(child.awaitExit()).as(child.transcript()).isEqualTo(7);
            assertThat(child.stdout()).as(child.transcript()).contains("work interrupted; [a CANCELLED, b CANCELLED]");
        }
    }

    @Test
    void anExitDuringANestedRunCancelsTheMainTaskAndEverythingItOwns() throws Exception {
        try (ChildJvm child = ChildJvm.startMain(XRS, ExitDuringRun.class, "nested")) {
            assertThat(child.awaitExit()).as(child.transcript()).isEqualTo(7);
            assertThat(child.stdout()).as(child.transcript()).contains("work interrupted; [a CANCELLED, b CANCELLED]");
            assertThat(child.stderr()).as(child.transcript()).anySatisfy(line -> assertThat(line)
                    .startsWith("loomtasks: ").contains("main").contains("stopped by SIGTERM; exit status 143"));
        }
    }

    @Test
    void aTaskThatIgnoresTheCancelIsReportedAndTheProcessHaltedAfterTheGracePeriod() throws Exception {
        try (ChildJvm child = ChildJvm.startMain(XRS, ExitDuringRun.class, "stuck")) {
            assertThat(child.awaitExit()).as(child.transcript()).isEqualTo(143);
            assertThat(String.join("\n", child.stderr())).as(child.transcript())
                    .contains("shutdown after SIGTERM did not finish within the grace period of 1s: 1 task is still running")
                    .contains("'stubborn'")
                    .contains("exiting with status 143");
        }
    }
}
