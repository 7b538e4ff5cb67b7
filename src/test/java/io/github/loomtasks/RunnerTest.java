package io.github.loomtasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.testing.Bodies;
import io.github.loomtasks.testing.ThreadDumps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner in-process: signals come from {@link Runner#deliver}, the process's own signal
 * handlers are left alone, and "halting" records the status instead of ending the test JVM.
 */
class RunnerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ByteArrayOutputStream reportBytes = new ByteArrayOutputStream();
    private final PrintStream report = new PrintStream(reportBytes, true, StandardCharsets.UTF_8);
    private final CompletableFuture<Integer> halted = new CompletableFuture<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    private Runner runner(Duration grace) {
        RunnerConfig config = RunnerConfig.defaults().withHandleSignals(false).withGrace(grace).withReport(report);
        return Runner.withHalt(config, halted::complete);
    }

    private String report() {
        return reportBytes.toString(StandardCharsets.UTF_8);
    }

    @AfterEach
    void releaseStuckBodies() {
        release.countDown();
        await().atMost(PATIENCE).until(() -> Tasks.all().isEmpty());
    }

    /**
     * {@return the status the runner halted with} If it did not halt in time, fails with the run's
     * outcome, the tasks, the report and a dump of every thread of the JVM.
     */
    private int awaitHalt(CompletableFuture<Integer> run) throws Exception {
        try {
            return halted.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            String tasks = Tasks.all().stream().map(t -> "#" + t.id() + " '" + t.name() + "' " + t.state())
                    .toList().toString();
            throw new AssertionError("the runner did not halt within " + PATIENCE + "; the run: " + run
                    + "; tasks: " + tasks + "; the report so far:\n" + report() + ThreadDumps.all(), e);
        }
    }

    /** Delivers the signal from another thread once the work has started. */
    private void deliverWhenStarted(Runner runner, ShutdownSignal signal) {
        Thread.ofPlatform().start(() -> {
            Bodies.awaitUninterruptibly(started);
            assertThat(runner.deliver(signal)).isTrue();
        });
    }

    @Test
    void flatWorkThatHandlesTheInterruptExitsZeroAndSeesTheSignalReason() {
        Runner runner = runner(PATIENCE);
        AtomicReference<@Nullable CancelReason> seen = new AtomicReference<>();
        deliverWhenStarted(runner, ShutdownSignal.SIGINT);
        int status = runner.run(() -> {
            try {
                Bodies.signalThenSleepForever(started);
            } catch (InterruptedException keyboardInterrupt) {
                seen.set(runner.shutdownReason().orElseThrow());
            }
            return null;
        });
        assertThat(status).isZero();
        assertThat(seen.get()).isEqualTo(new CancelReason(CancelReason.Kind.SIGNAL, "SIGINT (Ctrl-C)"));
        assertThat(Thread.interrupted()).as("the runner's interrupt does not outlive the work").isFalse();
        assertThat(report()).isEmpty();
        assertThat(halted).isNotDone();
    }

    @Test
    void flatWorkStoppedBySigintExits130AndBySigtermExits143() {
        for (ShutdownSignal signal : ShutdownSignal.values()) {
            Runner runner = runner(PATIENCE);
            CountDownLatch began = new CountDownLatch(1);
            Thread.ofPlatform().start(() -> {
                Bodies.awaitUninterruptibly(began);
                runner.deliver(signal);
            });
            int status = runner.run(() -> Bodies.signalThenSleepForever(began));
            assertThat(status).isEqualTo(signal == ShutdownSignal.SIGINT ? 130 : 143);
            assertThat(report()).contains("the main work was stopped by " + signal + "; exit status " + status);
        }
    }

    @Test
    void afterTheWorkEndsEveryTaskLeftInTheRegistryIsCancelled() throws Exception {
        Runner runner = runner(PATIENCE);
        AtomicReference<@Nullable Task<?>> service = new AtomicReference<>();
        CountDownLatch forked = new CountDownLatch(1);
        // a scope owned by another thread: the main work's end does not close it
        Thread owner = Thread.ofPlatform().start(() -> {
            try (TaskScope<@Nullable Void> scope = TaskScope.open()) {
                service.set(scope.fork("service", Bodies::sleepForever));
                forked.countDown();
                scope.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        forked.await();
        deliverWhenStarted(runner, ShutdownSignal.SIGTERM);
        int status = runner.run(() -> {
            try {
                Bodies.signalThenSleepForever(started);
            } catch (InterruptedException handled) {
                // the program handles the interrupt and leaves the service to the runner
            }
            return null;
        });
        assertThat(status).isZero();
        Task<?> task = service.get();
        assertThat(task).isNotNull();
        assertThat(task.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(task.cancelReason()).contains(ShutdownSignal.SIGTERM.reason());
        owner.join(PATIENCE);
    }

    @Test
    void aBusyLoopIsReportedByNameAfterTheGracePeriodAndTheProcessIsHalted() throws Exception {
        Runner runner = runner(Duration.ofMillis(200));
        // the spinner runs on a platform thread, so that it never holds a carrier that the runner's
        // own virtual threads need; this test is about the report
        ScopeConfig platform = ScopeConfig.defaults().withThreadFactory(Thread.ofPlatform().daemon().factory());
        CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> runner.run(() -> {
            try (TaskScope<@Nullable Void> scope = TaskScope.open(Policy.awaitAll(), platform)) {
                scope.fork("spinner", () -> {
                    // counted down by the body, not after fork: a task cancelled before its thread
                    // begins the body never runs it, and the scope would close with nothing stuck
                    started.countDown();
                    return spinUntil(release);
                });
                scope.join();
            } catch (InterruptedException handled) {
                // handled; closing the scope now waits for the spinner, which ignores its cancel
            }
            return null;
        }), r -> Thread.ofPlatform().start(r));
        started.await();
        assertThat(runner.deliver(ShutdownSignal.SIGINT)).isTrue();

        assertThat(awaitHalt(result)).isEqualTo(130);
        assertThat(report()).contains("did not finish within the grace period of 0.2s: 1 task is still running",
                "'spinner'", "cancelling=", "likely reason: busy loop", "at io.github.loomtasks.RunnerTest.spinUntil(",
                "main work on thread", "exiting with status 130");
        release.countDown();
        assertThat(result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the watchdog's status").isEqualTo(130);
    }

    @Test
    void aTaskBlockedEnteringSynchronizedIsReportedAsSuch() throws Exception {
        Runner runner = runner(Duration.ofMillis(200));
        Object lock = new Object();
        CompletableFuture<Integer> result;
        synchronized (lock) { // held by this platform thread until the report is written
            result = CompletableFuture.supplyAsync(() -> runner.runTask("main", () -> {
                try (TaskScope<@Nullable Void> scope = TaskScope.open()) {
                    Task<?> blocked = scope.fork("blocked", () -> enter(lock));
                    Thread thread = ((ForkedTask<?>) blocked).thread();
                    await().atMost(PATIENCE).until(() -> thread.getState() == Thread.State.BLOCKED);
                    started.countDown();
                    scope.join();
                }
                return null;
            }), r -> Thread.ofPlatform().start(r));
            started.await();
            runner.deliver(ShutdownSignal.SIGTERM);
            assertThat(halted.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(143);
        }
        assertThat(report()).contains("'blocked'", "likely reason: synchronized entry", "'main'",
                "likely reason: closing a scope");
        assertThat(result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(143);
    }

    @Test
    void secondSignalHaltsAtOnce() throws Exception {
        Runner runner = runner(Duration.ofDays(1));
        CompletableFuture<Integer> result = CompletableFuture.supplyAsync(() -> runner.run(() -> {
            started.countDown();
            Bodies.awaitUninterruptibly(release); // ignores the first interrupt, and restores it
            return null;
        }), r -> Thread.ofPlatform().start(r));
        started.await();
        runner.deliver(ShutdownSignal.SIGINT);
        runner.deliver(ShutdownSignal.SIGTERM);
        assertThat(halted.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(143);
        assertThat(report()).contains("second signal, SIGTERM: exiting at once with status 143");
        release.countDown();
        assertThat(result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void mainTaskCancelledBySignalExitsWithTheSignalStatus() {
        Runner runner = runner(PATIENCE);
        AtomicReference<@Nullable Task<?>> child = new AtomicReference<>();
        deliverWhenStarted(runner, ShutdownSignal.SIGINT);
        int status = runner.runTask("main", () -> {
            try (TaskScope<@Nullable Void> scope = TaskScope.open()) {
                child.set(scope.fork("child", Bodies::sleepForever));
                started.countDown();
                scope.join();
            }
            return null;
        });
        assertThat(status).isEqualTo(130);
        assertThat(child.get()).isNotNull();
        assertThat(child.get().state()).isEqualTo(Task.State.CANCELLED);
        assertThat(child.get().cancelReason().orElseThrow().kind()).isIn(CancelReason.Kind.PARENT_CANCELLED, CancelReason.Kind.SCOPE_CLOSED);
        assertThat(report()).contains("task 'main' was stopped by SIGINT (Ctrl-C); exit status 130");
    }

    @Test
    void interruptHandlerRunsOnTheCallingThreadAndMakesTheExitZero() {
        Runner runner = runner(PATIENCE);
        AtomicReference<@Nullable Thread> handlerThread = new AtomicReference<>();
        AtomicReference<@Nullable Boolean> anyAccepted = new AtomicReference<>();
        deliverWhenStarted(runner, ShutdownSignal.SIGINT);
        int status = runner.runTask("main", () -> Bodies.signalThenSleepForever(started), (main, reason) -> {
            handlerThread.set(Thread.currentThread());
            assertThat(main.name()).isEqualTo("main");
            assertThat(reason.kind()).isEqualTo(CancelReason.Kind.SIGNAL);
            boolean any = false;
            for (Task<?> task : Tasks.all()) {
                any |= task.cancel(reason);
            }
            anyAccepted.set(any);
        });
        assertThat(status).isZero();
        assertThat(handlerThread.get()).isSameAs(Thread.currentThread());
        assertThat(anyAccepted.get()).isTrue();
        assertThat(report()).isEmpty();
    }

    @Test
    void failuresExitOneWithTheStackTrace() {
        Runner runner = runner(PATIENCE);
        assertThat(runner.run(() -> {
            throw new IllegalStateException("boom");
        })).isEqualTo(1);
        assertThat(runner.runTask("main", () -> {
            throw new IllegalStateException("bang");
        })).isEqualTo(1);
        assertThat(report()).contains("the main work failed; exit status 1", "IllegalStateException: boom",
                "task 'main' failed; exit status 1", "IllegalStateException: bang");
    }

    @Test
    void workThatEndsNormallyExitsZeroWithoutAReport() {
        Runner runner = runner(PATIENCE);
        assertThat(runner.run(() -> "done")).isZero();
        assertThat(runner.runTask("main", () -> "done")).isZero();
        assertThat(report()).isEmpty();
    }

    @Test
    void deliverWithoutARunReturnsFalse() {
        assertThat(runner(PATIENCE).deliver(ShutdownSignal.SIGINT)).isFalse();
        assertThat(runner(PATIENCE).shutdownReason()).isEmpty();
    }

    @Test
    void aRunnerRunsOneWorkAtATime() {
        Runner runner = runner(PATIENCE);
        assertThat(runner.run(() -> {
            assertThatThrownBy(() -> runner.run(() -> null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already running");
            return null;
        })).isZero();
    }

    @Test
    void nullsAreRejectedWithTheArgumentsName() {
        Runner runner = runner(PATIENCE);
        assertThatThrownBy(() -> Runner.create(null)).isInstanceOf(NullPointerException.class).hasMessage("config");
        assertThatThrownBy(() -> runner.run(null)).isInstanceOf(NullPointerException.class).hasMessage("work");
        assertThatThrownBy(() -> runner.runTask(null, () -> null)).isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> runner.runTask("main", null)).isInstanceOf(NullPointerException.class).hasMessage("body");
        assertThatThrownBy(() -> runner.runTask("main", () -> null, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("onInterrupt");
        assertThatThrownBy(() -> runner.deliver(null)).isInstanceOf(NullPointerException.class).hasMessage("signal");
        RunnerConfig config = RunnerConfig.defaults();
        assertThatThrownBy(() -> config.withGrace(null)).isInstanceOf(NullPointerException.class).hasMessage("grace");
        assertThatThrownBy(() -> config.withReport(null)).isInstanceOf(NullPointerException.class).hasMessage("report");
        assertThatThrownBy(() -> config.exitCode(null)).isInstanceOf(NullPointerException.class).hasMessage("signal");
    }

    @Test
    void configRejectsNegativeGraceAndImpossibleStatuses() {
        RunnerConfig config = RunnerConfig.defaults();
        assertThat(config.grace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.exitCode(ShutdownSignal.SIGINT)).isEqualTo(130);
        assertThat(config.exitCode(ShutdownSignal.SIGTERM)).isEqualTo(143);
        assertThatThrownBy(() -> config.withGrace(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Duration.ZERO");
        assertThatThrownBy(() -> config.withSignalExitCodes(256, 143)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interruptExitCode must be an exit status in 0..255, was 256");
        assertThatThrownBy(() -> config.withFailureExitCode(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(config.withSignalExitCodes(2, 3).withFailureExitCode(4))
                .isEqualTo(new RunnerConfig(Duration.ofSeconds(5), System.err, true, 2, 3, 4));
    }

    private static @Nullable Void spinUntil(CountDownLatch release) {
        while (release.getCount() > 0) {
            Thread.onSpinWait(); // never blocks, never looks at the interrupt
        }
        return null;
    }

    private static @Nullable Void enter(Object lock) {
        synchronized (lock) {
            return null;
        }
    }
}
