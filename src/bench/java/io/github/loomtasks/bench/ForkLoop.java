package io.github.loomtasks.bench;

import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import java.lang.management.ManagementFactory;
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

/**
 * The probe behind "What is left" in docs/performance.md: the fork loop of {@code fork_join} alone,
 * many rounds in one JVM, with the CPU time of the forking thread, which is where the slow rounds
 * differ. Three subjects: loomtasks, the raw executor, and bare virtual threads started from a
 * factory (the floor of any fork: a thread, its start, a latch).
 *
 * <pre>bench/run forkloop loomtasks 100000 60</pre>
 *
 * One line per run: the quartiles of the rounds after the first quarter (the warm-up).
 */
final class ForkLoop {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ForkLoop() {}

    /** Arguments: subject (loomtasks, raw or threads), then N and rounds. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3 || !List.of("loomtasks", "raw", "threads").contains(args[0])) {
            usage("expected a subject: loomtasks, raw or threads");
        }
        int n = args.length > 1 ? positive(args[1], "N") : 100_000;
        int rounds = args.length > 2 ? positive(args[2], "rounds") : 60;
        if (rounds < 4) {
            usage("rounds must be at least 4: the first quarter is the warm-up");
        }
        long[] forkerCpu = new long[rounds];
        long[] wall = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            System.gc();
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            forkerCpu[r] = switch (args[0]) {
                case "loomtasks" -> loomtasks(n) - c0;
                case "raw" -> raw(n) - c0;
                default -> threads(n) - c0;
            };
            wall[r] = System.nanoTime() - t0;
        }
        long[] cpu = measured(forkerCpu);
        long[] all = measured(wall);
        System.out.printf(Locale.ROOT, "%-9s n=%d rounds=%d | forker cpu ms: min %d p25 %d median %d p75 %d"
                        + " | wall ms: min %d p25 %d median %d p75 %d%n", args[0], n, rounds,
                ms(cpu[0]), ms(quartile(cpu, 1)), ms(quartile(cpu, 2)), ms(quartile(cpu, 3)),
                ms(all[0]), ms(quartile(all, 1)), ms(quartile(all, 2)), ms(quartile(all, 3)));
    }

    /** Forks N tasks and joins them; {@return the forking thread's CPU time when the last fork returned} */
    private static long loomtasks(int n) throws InterruptedException {
        long forked;
        long sum = 0;
        try (TaskScope<?> scope = TaskScope.open()) {
            List<Task<Long>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long v = i;
                tasks.add(scope.fork(() -> v * 2));
            }
            forked = THREADS.getCurrentThreadCpuTime();
            scope.join();
            for (Task<Long> t : tasks) {
                sum += t.resultNow();
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
            forked = THREADS.getCurrentThreadCpuTime();
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
        long forked = THREADS.getCurrentThreadCpuTime();
        ended.await(); // the latch orders every body's write before the sum
        check(Arrays.stream(results).sum(), n);
        return forked;
    }

    private static void check(long sum, int n) {
        if (sum != (long) n * (n - 1)) {
            throw new AssertionError("wrong sum " + sum + " for N=" + n);
        }
    }

    /** {@return the rounds after the first quarter, sorted} */
    private static long[] measured(long[] rounds) {
        long[] kept = Arrays.copyOfRange(rounds, rounds.length / 4, rounds.length);
        Arrays.sort(kept);
        return kept;
    }

    private static long quartile(long[] sorted, int q) {
        return sorted[Math.min(sorted.length - 1, sorted.length * q / 4)];
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private static int positive(String arg, String what) {
        try {
            int v = Integer.parseInt(arg);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(what + " must be a positive integer, not '" + arg + "'");
        return 0;
    }

    private static void usage(String problem) {
        System.err.println("forkloop: " + problem + "\nusage: bench/run forkloop loomtasks|raw|threads [N] [rounds]");
        System.exit(2);
    }
}
