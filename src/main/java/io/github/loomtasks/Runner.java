package io.github.loomtasks;

import io.github.loomtasks.internal.Interrupts;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs a program's or a service's main work and shuts it down on Ctrl-C or SIGTERM: asyncio's
 * {@code asyncio.Runner}, with a grace period and a report of what would not stop.
 *
 * {@snippet :
 * public static void main(String[] args) {
 *     Runner runner = Runner.create(RunnerConfig.defaults().withGrace(Duration.ofSeconds(10)));
 *     System.exit(runner.run(() -> {          // flat: the work runs on this thread
 *         try (var scope = TaskScope.open()) {
 *             scope.fork("server", server::serve);
 *             scope.join();                    // Ctrl-C: InterruptedException here
 *         }
 *         return null;
 *     }));
 * }
 * }
 *
 * <h2>Two shapes</h2>
 * {@link #run(Callable)} runs the work on the calling thread (the tutorial's flat shape: the main
 * thread waits on its tasks); the first signal interrupts that thread. {@link #runTask} runs the
 * work as a task named by the caller in a scope of its own (the nested shape: a {@code main} task
 * owns everything else); the first signal cancels that task, which cancels every scope it opened,
 * or runs the program's {@link InterruptHandler} instead.
 *
 * <h2>Shutdown</h2>
 * The first SIGINT or SIGTERM (or {@link #deliver}) interrupts the main work with a
 * {@link CancelReason.Kind#SIGNAL} reason; the work sees {@link InterruptedException} or
 * {@link java.util.concurrent.CancellationException} (asyncio's {@code KeyboardInterrupt}) and
 * may handle it. Once the main work ended, the runner cancels every task still running in the
 * registry ({@link Tasks#all()}) and waits for them. Everything after the signal is bounded by
 * {@link RunnerConfig#grace()}: when it passes, the runner writes a report naming each task still
 * running, with its stack and the likely reason (a busy loop, uninterruptible I/O, a
 * {@code synchronized} entry), and ends the process with {@link Runtime#halt} (shutdown hooks do
 * not run: the program is known to be stuck). A second signal halts the process at once.
 *
 * <h2>Exit status</h2>
 * Both methods return the status for {@link System#exit}: 0 when the work returned normally,
 * including work that caught the interrupt and handled it (the tutorial's programs); the signal's
 * status (130 for SIGINT, 143 for SIGTERM, the shell's 128 + signal number) when the interrupt
 * ended the work and the runner handled it; 1 when the work failed. See {@link RunnerConfig}.
 *
 * <h2>Signals</h2>
 * While a run is in progress the runner handles SIGINT and SIGTERM (one runner at a time per
 * process); it restores the previous handlers when the run ends. Where SIGINT was inherited as
 * ignored (a background job of a non-interactive shell), Ctrl-C cannot reach the JVM at all: the
 * runner says so on the report stream and SIGTERM still works. Where signals cannot be handled
 * ({@code -Xrs}, a runtime image without {@code jdk.unsupported}), it says so and falls back to a
 * shutdown hook that performs the same shutdown while the JVM exits.
 */
public final class Runner {
    /** The event the main task posts when it ends. */
    private static final Object MAIN_DONE = new Object();

    private final RunnerConfig config;
    private final IntConsumer halt;
    private final AtomicReference<@Nullable Shutdown> active = new AtomicReference<>();

    private Runner(RunnerConfig config, IntConsumer halt) {
        this.config = config;
        this.halt = halt;
    }

    /** {@return a runner with {@link RunnerConfig#defaults()}} */
    public static Runner create() {
        return create(RunnerConfig.defaults());
    }

    /** {@return a runner with the given configuration} */
    public static Runner create(RunnerConfig config) {
        return new Runner(Objects.requireNonNull(config, "config"), status -> Runtime.getRuntime().halt(status));
    }

    /** For tests: a runner that calls {@code halt} instead of {@link Runtime#halt}. */
    static Runner withHalt(RunnerConfig config, IntConsumer halt) {
        return new Runner(config, halt);
    }

    /** {@return the configuration} */
    public RunnerConfig config() {
        return config;
    }

    /**
     * Runs the work on the calling thread (the flat shape). The first signal interrupts this
     * thread while the work runs; an interrupt still pending when the work ends is cleared, since
     * the runner has handled the signal.
     *
     * @param work the program's main work; its result is ignored
     * @return the exit status, as described in the class documentation
     * @throws IllegalStateException if this runner is already running, or another runner handles
     *     the process's signals
     */
    public int run(Callable<?> work) {
        Objects.requireNonNull(work, "work");
        Shutdown s = begin(Thread.currentThread(), reason -> { });
        try {
            Throwable failure = null;
            try {
                work.call();
            } catch (Exception e) {
                failure = e;
            } finally {
                s.flatWorkEnded();
            }
            return conclude(s, flatStatus(s, failure));
        } finally {
            end(s);
        }
    }

    /**
     * Runs the body as the main task of a scope of its own (the nested shape). The first signal
     * cancels the main task with a {@link CancelReason.Kind#SIGNAL} reason, which cancels every
     * scope its body opened.
     *
     * @param name the main task's name, shown in dumps
     * @param body the program's main work
     * @return the exit status, as described in the class documentation
     * @throws IllegalStateException as {@link #run(Callable)}
     */
    public int runTask(String name, Callable<?> body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        return runMainTask(name, body, null);
    }

    /**
     * Runs the body as the main task, and hands the first signal to the program's handler instead
     * of cancelling the main task: the handler runs on the calling thread, like the
     * {@code except KeyboardInterrupt:} clause around asyncio's {@code run_until_complete}. When
     * the handler returns normally the program has handled the interrupt and the status is 0
     * (unless the main task failed).
     *
     * @param name the main task's name, shown in dumps
     * @param body the program's main work
     * @param onInterrupt what the program does on the first signal
     * @return the exit status, as described in the class documentation
     * @throws IllegalStateException as {@link #run(Callable)}
     */
    public int runTask(String name, Callable<?> body, InterruptHandler onInterrupt) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(onInterrupt, "onInterrupt");
        return runMainTask(name, body, onInterrupt);
    }

    /**
     * Delivers a signal as if the process had received it: the first starts the shutdown, a
     * second one ends the process at once (status {@link RunnerConfig#exitCode}). For programs
     * run without a terminal, for services that stop on a request, and for tests.
     *
     * @param signal the signal to act on
     * @return {@code false} if no run is in progress (nothing to interrupt), otherwise {@code true}
     */
    public boolean deliver(ShutdownSignal signal) {
        Objects.requireNonNull(signal, "signal");
        Shutdown s = active.get();
        if (s == null) {
            return false;
        }
        s.signal(signal);
        return true;
    }

    /**
     * {@return the reason of the signal that started the shutdown of the run in progress, if one
     * did} A flat program's handler uses it as the reason of the cancels it requests.
     */
    public Optional<CancelReason> shutdownReason() {
        Shutdown s = active.get();
        return s == null ? Optional.empty() : Optional.ofNullable(s.reason());
    }

    private int runMainTask(String name, Callable<?> body, @Nullable InterruptHandler handler) {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        Shutdown s = begin(null, events::add);
        try {
            int status;
            try (TaskScope<@Nullable Void> scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withName("runner"))) {
                ForkedTask<?> main = (ForkedTask<?>) scope.fork(name, body);
                main.whenDone(() -> events.add(MAIN_DONE));
                Throwable handlerFailure = awaitMain(main, events, handler);
                status = taskStatus(s, main, handler != null, handlerFailure);
            }
            return conclude(s, status);
        } finally {
            end(s);
        }
    }

    /** Waits for the main task, acting on a signal on the way. */
    private @Nullable Throwable awaitMain(ForkedTask<?> main, BlockingQueue<Object> events, @Nullable InterruptHandler handler) {
        Throwable failure = null;
        boolean interrupted = false;
        try {
            for (;;) {
                Object event;
                try {
                    event = events.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                    main.cancel(new CancelReason(CancelReason.Kind.INTERRUPTED, "the thread running the Runner was interrupted"));
                    continue;
                }
                if (event == MAIN_DONE) {
                    return failure;
                }
                CancelReason reason = (CancelReason) event;
                if (handler == null) {
                    main.cancel(reason);
                    continue;
                }
                try {
                    handler.onInterrupt(main, reason);
                } catch (Exception e) {
                    failure = e;
                    main.cancel(reason);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int flatStatus(Shutdown s, @Nullable Throwable failure) {
        ShutdownSignal signal = s.signalled();
        if (failure == null) {
            return 0;
        }
        if (signal != null && Interrupts.causedByCancel(failure)) {
            return stoppedBy(signal, "the main work");
        }
        return failed("the main work failed", failure);
    }

    private int taskStatus(Shutdown s, ForkedTask<?> main, boolean handled, @Nullable Throwable handlerFailure) {
        if (handlerFailure != null) {
            return failed("the interrupt handler failed", handlerFailure);
        }
        ShutdownSignal signal = s.signalled();
        if (main.state() == Task.State.CANCELLED) {
            if (signal == null) {
                config.report().println("loomtasks: " + main.label() + " was cancelled: "
                        + main.cancelReason().map(CancelReason::toString).orElse("no reason"));
                return config.failureExitCode();
            }
            return handled ? 0 : stoppedBy(signal, main.label());
        }
        if (Failures.failed(main)) {
            return failed(main.label() + " failed", main.exceptionNow());
        }
        return 0;
    }

    private int stoppedBy(ShutdownSignal signal, String what) {
        int status = config.exitCode(signal);
        config.report().println("loomtasks: " + what + " was stopped by " + signal + "; exit status " + status);
        return status;
    }

    private int failed(String what, Throwable failure) {
        config.report().println("loomtasks: " + what + "; exit status " + config.failureExitCode());
        failure.printStackTrace(config.report());
        return config.failureExitCode();
    }

    private int conclude(Shutdown s, int status) {
        return s.signalled() != null ? s.drain(status) : status;
    }

    private Shutdown begin(@Nullable Thread flatThread, Consumer<CancelReason> onSignal) {
        Shutdown s = new Shutdown(config, halt, flatThread, onSignal);
        if (!active.compareAndSet(null, s)) {
            throw new IllegalStateException("this Runner is already running: wait for the run to end,"
                    + " or create another Runner (with RunnerConfig.withHandleSignals(false))");
        }
        try {
            s.installSignals();
        } catch (RuntimeException e) {
            active.compareAndSet(s, null);
            throw e;
        }
        return s;
    }

    private void end(Shutdown s) {
        s.close();
        active.compareAndSet(s, null);
    }
}
