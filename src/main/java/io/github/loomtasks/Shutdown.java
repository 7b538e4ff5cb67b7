package io.github.loomtasks;

import io.github.loomtasks.internal.Signals;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One run of a {@link Runner}: the signal handlers, the first and second signal, the watchdog
 * that bounds shutdown by the grace period, and the final drain of the registry.
 *
 * <p>After the first signal two threads race to conclude: the run's own thread, once the main
 * work ended and every task of the registry is terminal; and the watchdog, when the grace period
 * passes. One CAS on {@link #concluded} decides; the watchdog reports the tasks still running and
 * halts the process.
 */
final class Shutdown {
    /** The run that holds the process's signal handlers: one at a time. */
    private static final AtomicReference<@Nullable Shutdown> SIGNAL_OWNER = new AtomicReference<>();

    /* Interrupt protocol of the flat shape (after Guava's InterruptibleTask): the signal thread
     * interrupts the work's thread only while the work runs, and the work's thread, once the work
     * ended, waits for an interrupt in flight and clears it, so that it never reaches the code
     * that runs next on that thread. */
    private static final int WORKING = 0;
    private static final int INTERRUPTING = 1;
    private static final int INTERRUPTED = 2;
    private static final int ENDED = 3;

    private final RunnerConfig config;
    private final IntConsumer halt;
    private final Consumer<CancelReason> interruptMainWork;
    private final @Nullable Thread flatThread;
    private final AtomicInteger workPhase = new AtomicInteger(WORKING);
    private final AtomicReference<@Nullable ShutdownSignal> first = new AtomicReference<>();
    private volatile @Nullable CancelReason reason;
    private volatile long deadline;
    private volatile boolean ended;
    private volatile boolean flatWorkDone;
    private final AtomicBoolean concluded = new AtomicBoolean();
    private final CountDownLatch drained = new CountDownLatch(1);
    private final CountDownLatch reported = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int forcedExit = -1;
    private final List<Signals.Installation> installations = new ArrayList<>();
    private @Nullable Thread hook;

    /**
     * @param flatThread the thread running the main work (flat shape), or null (task shape)
     * @param interruptMainWork the task shape's action on the first signal; unused when flat
     */
    Shutdown(RunnerConfig config, IntConsumer halt, @Nullable Thread flatThread, Consumer<CancelReason> interruptMainWork) {
        this.config = config;
        this.halt = halt;
        this.flatThread = flatThread;
        this.interruptMainWork = interruptMainWork;
    }

    // ---- signals -----------------------------------------------------------------------------

    void installSignals() {
        if (!config.handleSignals()) {
            return;
        }
        if (!SIGNAL_OWNER.compareAndSet(null, this)) {
            throw new IllegalStateException("another Runner is handling SIGINT and SIGTERM in this process:"
                    + " run one at a time, or use RunnerConfig.withHandleSignals(false) and deliver(...)");
        }
        for (ShutdownSignal s : ShutdownSignal.values()) {
            installations.add(Signals.install(s.osName(), () -> signal(s)));
        }
        List<String> unavailable = new ArrayList<>();
        for (Signals.Installation in : installations) {
            switch (in.status()) {
                case IGNORED -> config.report().println(ignoredWarning(in.name()));
                case UNAVAILABLE -> unavailable.add("SIG" + in.name() + ": " + in.detail());
                case INSTALLED -> { }
            }
        }
        if (!unavailable.isEmpty()) {
            config.report().println("loomtasks: warning: cannot handle " + String.join("; ", unavailable)
                    + ". Falling back to a shutdown hook, which runs when the JVM shuts down (System.exit, or a signal"
                    + " the JVM handles itself, exiting with its own status); under -Xrs, SIGINT and SIGTERM end the JVM"
                    + " without running any hook.");
            Thread h = new Thread(this::onJvmShutdown, "loomtasks-shutdown-hook");
            Runtime.getRuntime().addShutdownHook(h);
            hook = h;
        }
    }

    private static String ignoredWarning(String name) {
        boolean sigint = name.equals("INT");
        return "loomtasks: warning: SIG" + name + " is ignored in this process (inherited as ignored, as a"
                + " background job of a non-interactive shell is), so " + (sigint ? "Ctrl-C and " : "")
                + "kill -s " + name + " do nothing here. Start the JVM with `env --default-signal=" + name
                + " java ...`" + (sigint ? ", or stop the program with SIGTERM (kill <pid>)." : ".");
    }

    /** Restores the previous handlers and removes the fallback hook; marks the run finished. */
    void close() {
        ended = true;
        // a first signal that raced in after the run decided its status changes nothing: the
        // watchdog it started must stay silent
        if (concluded.compareAndSet(false, true)) {
            drained.countDown();
        }
        finished.countDown();
        for (Signals.Installation in : installations) {
            in.restore();
        }
        installations.clear();
        SIGNAL_OWNER.compareAndSet(this, null);
        Thread h = hook;
        if (h != null && Thread.currentThread() != h) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran: nothing to remove
            }
        }
    }

    /**
     * A signal arrived, or {@link Runner#deliver} was called. The first starts the shutdown; the
     * second exits at once, like asyncio's Runner.
     */
    void signal(ShutdownSignal s) {
        if (ended) {
            return;
        }
        if (!first.compareAndSet(null, s)) {
            PrintStream out = config.report();
            out.println("loomtasks: second signal, " + s + ": exiting at once with status " + config.exitCode(s));
            flushAll();
            halt.accept(config.exitCode(s));
            return;
        }
        CancelReason r = s.reason();
        deadline = System.nanoTime() + TaskScope.toNanos(config.grace());
        reason = r;
        Thread watchdog = new Thread(() -> watch(s), "loomtasks-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        if (flatThread != null) {
            interruptFlatWork();
        } else {
            interruptMainWork.accept(r);
        }
    }

    private void onJvmShutdown() {
        if (!ended && first.get() == null) {
            signal(ShutdownSignal.SIGTERM);
        }
        // a second past the grace period, by which the watchdog has ended the process; saturated,
        // since a grace period of centuries is how some programs say "wait as long as it takes"
        long grace = TaskScope.toNanos(config.grace());
        long second = TimeUnit.SECONDS.toNanos(1);
        awaitUninterruptibly(finished, grace > Long.MAX_VALUE - second ? Long.MAX_VALUE : grace + second);
    }

    @Nullable CancelReason reason() {
        return reason;
    }

    @Nullable ShutdownSignal signalled() {
        return first.get();
    }

    // ---- the flat shape's interrupt ------------------------------------------------------------

    private void interruptFlatWork() {
        Thread t = flatThread;
        if (t != null && workPhase.compareAndSet(WORKING, INTERRUPTING)) {
            t.interrupt();
            workPhase.set(INTERRUPTED);
        }
    }

    /** Called by the flat work's thread once the work returned or threw. */
    void flatWorkEnded() {
        flatWorkDone = true;
        if (!workPhase.compareAndSet(WORKING, ENDED)) {
            while (workPhase.get() == INTERRUPTING) {
                Thread.onSpinWait();
            }
            // our interrupt was meant for the work, which has ended: it must not reach the caller
            Thread.interrupted();
        }
    }

    // ---- the end -----------------------------------------------------------------------------

    /**
     * After a signal and the end of the main work: cancels every task of the registry and waits
     * for them within the grace period.
     *
     * @return {@code status}, or the watchdog's status if the grace period ran out first (in
     *     production the watchdog halted the process before that)
     */
    int drain(int status) {
        CancelReason r = reason;
        boolean inTime = r != null && cancelAndAwaitAll(r);
        if (inTime && concluded.compareAndSet(false, true)) {
            drained.countDown();
            return status;
        }
        awaitUninterruptibly(reported, Long.MAX_VALUE);
        return forcedExit;
    }

    private boolean cancelAndAwaitAll(CancelReason r) {
        Set<ForkedTask<?>> cancelled = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean interrupted = false;
        try {
            for (;;) {
                List<ForkedTask<?>> live = Registry.tasks().stream().filter(t -> !t.isDone()).toList();
                if (live.isEmpty()) {
                    return true;
                }
                for (ForkedTask<?> t : live) {
                    if (cancelled.add(t)) {
                        t.cancel(r);
                    }
                }
                for (ForkedTask<?> t : live) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    try {
                        t.awaitTerminal(remaining, true);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void watch(ShutdownSignal s) {
        boolean interrupted = false;
        try {
            if (!awaitDrained()) {
                interrupted = true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (drained.getCount() == 0 || !concluded.compareAndSet(false, true)) {
            return;
        }
        int status = config.exitCode(s);
        Thread work = flatWorkDone ? null : flatThread;
        StuckReport.write(config.report(), s, config.grace(), work, status);
        forcedExit = status;
        reported.countDown();
        flushAll();
        halt.accept(status);
    }

    /**
     * Waits for the drain until the deadline, whatever interrupts this watchdog: the deadline is
     * the contract. {@return false if it was interrupted meanwhile (the caller restores that)}
     */
    private boolean awaitDrained() {
        boolean interrupted = false;
        for (long remaining = deadline - System.nanoTime(); remaining > 0; remaining = deadline - System.nanoTime()) {
            try {
                if (drained.await(remaining, TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return !interrupted;
    }

    private void flushAll() {
        System.out.flush();
        System.err.flush();
        config.report().flush();
    }

    private static void awaitUninterruptibly(CountDownLatch latch, long nanos) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + nanos;
        try {
            for (;;) {
                try {
                    latch.await(nanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime(),
                            TimeUnit.NANOSECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
