package io.github.loomtasks.bench;

import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * The probe behind "What is left" in docs/performance.md: the fork loop of {@code fork_join} alone,
 * many rounds in one JVM, with the CPU time of the forking thread until its last fork ("forker")
 * and over the whole round, its wait included ("owner"). Four subjects: loomtasks; loomtasks
 * waiting for each task in turn ({@code loomtasks_each}), the way raw waits for each future; the
 * raw executor; and bare virtual threads started from a factory (the floor of any fork: a thread,
 * its start, a latch).
 *
 * <pre>bench/run forkloop loomtasks 100000 60</pre>
 *
 * <p>With {@code held} as the fourth argument, every carrier of the virtual-thread scheduler is kept
 * busy by a spinning virtual thread while the owner forks, so no body runs and no carrier looks for
 * work until the fork loop is over: the forking thread's CPU time is then the fork alone (and the
 * wall time says little). Such a run also reports the drain: the carriers' CPU time and the wall
 * time from the moment they are let go, with every task queued, until the join has returned. That
 * is the scheduler running N queued tasks with nothing else to do, the per-task cost of the
 * carriers' side; with {@code -Djdk.virtualThreadScheduler.parallelism=1} in {@code BENCH_JVM_ARGS}
 * there is one carrier, and nothing for two carriers to contend on.
 *
 * <p>With {@code -Dforkloop.wakeMicros=M} in {@code BENCH_JVM_ARGS}, a platform thread that does
 * nothing but park for M microseconds, over and over, runs beside the rounds: a third thread that
 * takes a core now and then, as raw's owner does when each {@code get()} wakes it.
 *
 * <p>Each round also reports the CPU time of the scheduler's carrier threads from the round's start
 * until the join has returned: the bodies, the scheduler's loop, and its spinning while it looks for
 * work. This is where the two subjects differ, and it changes from JVM to JVM
 * (docs/performance.md, "Which JVM you draw").
 *
 * <p>One line per run: the quartiles of the rounds after the first quarter (the warm-up). The JVM's
 * options come from {@code BENCH_JVM_ARGS} (docs/performance.md measures with a heap committed and
 * touched up front, {@code -Xms2g -Xmx2g -XX:+AlwaysPreTouch}, so that page faults stay out).
 */
final class ForkLoop {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ForkLoop() {}

    private static final List<String> SUBJECTS = List.of("loomtasks", "loomtasks_each", "raw", "threads");

    /** Set when the fork loop is over: the spinning threads of a {@code held} run let their carriers go. */
    private static volatile boolean forkLoopDone;
    /** Whether this is a {@code held} run. */
    private static boolean held;
    /** In a {@code held} run: the carriers' CPU time and the time when the fork loop let them go. */
    private static long releasedCpu;
    private static long releasedAt;

    /** Arguments: subject (one of {@link #SUBJECTS}), then N, rounds, and {@code held} or nothing. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 4) {
            usage("expected a subject, then N, rounds and 'held', each optional; got " + args.length + " arguments");
        }
        if (!SUBJECTS.contains(args[0])) {
            usage("unknown subject '" + args[0] + "': one of " + String.join(", ", SUBJECTS));
        }
        int n = args.length > 1 ? positive(args[1], "N") : 100_000;
        int rounds = args.length > 2 ? positive(args[2], "rounds") : 60;
        if (rounds < 4) {
            usage("rounds must be at least 4: the first quarter is the warm-up");
        }
        if (args.length > 3 && !args[3].equals("held")) {
            usage("the fourth argument is 'held' or nothing, not '" + args[3] + "'");
        }
        int carriers = args.length > 3 ? Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors()) : 0;
        held = carriers > 0;
        String wakeProperty = System.getProperty("forkloop.wakeMicros");
        long wakeMicros = wakeProperty == null ? 0 : positive(wakeProperty, "-Dforkloop.wakeMicros");
        if (wakeMicros > 0) {
            Thread.ofPlatform().daemon().name("forkloop-waker").start(() -> {
                while (true) {
                    LockSupport.parkNanos(wakeMicros * 1000);
                }
            });
        }
        long[] forkerCpu = new long[rounds];
        long[] wall = new long[rounds];
        long[] carrierCpu = new long[rounds];
        long[] ownerCpu = new long[rounds];
        long[] drainCpu = new long[rounds];
        long[] drainWall = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            Measure.collectBetweenRounds();
            List<Thread> spinners = holdCarriers(carriers);
            long k0 = carriersCpu();
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            forkerCpu[r] = switch (args[0]) {
                case "loomtasks" -> loomtasks(n, false) - c0;
                case "loomtasks_each" -> loomtasks(n, true) - c0;
                case "raw" -> raw(n) - c0;
                default -> threads(n) - c0;
            };
            wall[r] = System.nanoTime() - t0;
            ownerCpu[r] = THREADS.getCurrentThreadCpuTime() - c0;
            long k1 = carriersCpu();
            carrierCpu[r] = k1 - k0;
            drainCpu[r] = k1 - releasedCpu;
            drainWall[r] = System.nanoTime() - releasedAt;
            for (Thread t : spinners) {
                t.join();
            }
        }
        String drain = !held ? ""
                : " | drain: carriers cpu ms: " + quartiles(drainCpu) + " | wall ms: " + quartiles(drainWall);
        String waker = wakeMicros > 0 ? " waker " + wakeMicros + " us" : "";
        System.out.printf(Locale.ROOT, "%-9s n=%d rounds=%d%s%s | forker cpu ms: %s | owner cpu ms: %s | wall ms: %s | carriers cpu ms: %s%s%n",
                args[0], n, rounds, held ? " held (" + carriers + " carriers)" : "", waker, quartiles(forkerCpu),
                quartiles(ownerCpu), quartiles(wall), quartiles(carrierCpu), drain);
    }

    /**
     * {@return the CPU time of the virtual-thread scheduler's carriers alive now} They are the
     * platform threads named {@code ForkJoinPool-N-worker-M}; one that ended during a round takes its
     * time with it, which the scheduler's keep-alive of 30 s makes rare.
     */
    private static long carriersCpu() {
        long sum = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("ForkJoinPool-")) {
                sum += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /**
     * Forks N tasks and joins them: with {@code scope.join()}, or, if {@code each}, with each task's
     * {@code join()} in the order of forking, as raw waits for each future. {@return the forking
     * thread's CPU time when the last fork returned}
     */
    private static long loomtasks(int n, boolean each) throws InterruptedException {
        long forked;
        long sum = 0;
        try (TaskScope<?> scope = TaskScope.open()) {
            List<Task<Long>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long v = i;
                tasks.add(scope.fork(() -> v * 2));
            }
            forked = forkLoopOver();
            if (each) {
                for (Task<Long> t : tasks) {
                    sum += t.join();
                }
            }
            scope.join();
            if (!each) {
                for (Task<Long> t : tasks) {
                    sum += t.resultNow();
                }
            }
        }
        check(sum, n);
        return forked;
    }

    private static long raw(int n) throws Exception {
        long forked;
        long sum = 0;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long v = i;
                futures.add(executor.submit(() -> v * 2));
            }
            forked = forkLoopOver();
            for (Future<Long> f : futures) {
                sum += f.get();
            }
        }
        check(sum, n);
        return forked;
    }

    private static long threads(int n) throws InterruptedException {
        ThreadFactory factory = Thread.ofVirtual().factory();
        CountDownLatch ended = new CountDownLatch(n);
        long[] results = new long[n];
        for (int i = 0; i < n; i++) {
            int v = i;
            factory.newThread(() -> {
                results[v] = v * 2L;
                ended.countDown();
            }).start();
        }
        long forked = forkLoopOver();
        ended.await(); // the latch orders every body's write before the sum
        check(Arrays.stream(results).sum(), n);
        return forked;
    }

    /** {@return the forking thread's CPU time now} Lets the carriers of a {@code held} run go. */
    private static long forkLoopOver() {
        long cpu = THREADS.getCurrentThreadCpuTime();
        if (held) {
            releasedCpu = carriersCpu();
            releasedAt = System.nanoTime();
        }
        forkLoopDone = true;
        return cpu;
    }

    /** Starts one spinning virtual thread per carrier and waits until all of them spin. */
    private static List<Thread> holdCarriers(int carriers) throws InterruptedException {
        forkLoopDone = false;
        CountDownLatch spinning = new CountDownLatch(carriers);
        List<Thread> spinners = new ArrayList<>(carriers);
        for (int i = 0; i < carriers; i++) {
            spinners.add(Thread.ofVirtual().start(() -> {
                spinning.countDown();
                while (!forkLoopDone) {
                    Thread.onSpinWait();
                }
            }));
        }
        spinning.await();
        return spinners;
    }

    private static void check(long sum, int n) {
        if (sum != (long) n * (n - 1)) {
            throw new AssertionError("wrong sum " + sum + " for N=" + n);
        }
    }

    /** {@return min, p25, median and p75 in milliseconds of the rounds after the first quarter} */
    private static String quartiles(long[] rounds) {
        long[] kept = Arrays.copyOfRange(rounds, rounds.length / 4, rounds.length);
        return String.format(Locale.ROOT, "min %.0f p25 %.0f median %.0f p75 %.0f",
                Measure.ms(Measure.percentile(kept, 0)), Measure.ms(Measure.percentile(kept, 25)),
                Measure.ms(Measure.percentile(kept, 50)), Measure.ms(Measure.percentile(kept, 75)));
    }

    private static int positive(String arg, String what) {
        try {
            return Bench.atLeast(arg, 1, what);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
            return 0;
        }
    }

    private static void usage(String problem) {
        System.err.println("forkloop: " + problem
                + "\nusage: bench/run forkloop loomtasks|loomtasks_each|raw|threads [N] [rounds] [held]");
        System.exit(2);
    }
}
