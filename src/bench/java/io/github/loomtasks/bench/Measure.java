package io.github.loomtasks.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Small measuring helpers shared by both subjects, so that both measure the same way. */
final class Measure {
    private Measure() {}

    static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    static double us(long nanos) {
        return Math.round(nanos / 10.0) / 100.0;
    }

    /** {@code p} in [0, 100] of sorted-in-place nanosecond samples, in microseconds. */
    static double percentileUs(long[] samples, double p) {
        return us(percentile(samples, p));
    }

    /** {@code p} in [0, 100] of samples, which it sorts in place: the nearest-rank percentile. */
    static long percentile(long[] samples, double p) {
        Arrays.sort(samples);
        int i = (int) Math.ceil(p / 100.0 * samples.length) - 1;
        return samples[Math.max(0, Math.min(samples.length - 1, i))];
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * CPU time of the whole process (every thread: carriers, GC, JIT), in nanoseconds. On a machine
     * shared with other work, CPU time is much steadier than wall time: both are reported.
     */
    static long cpuNanos() {
        return OS.getProcessCpuTime();
    }

    /**
     * What the collectors have done so far: {@code [0]} milliseconds in pauses (every bean), {@code [1]}
     * pauses that end or clean up a concurrent marking cycle (G1's "G1 Concurrent GC" bean, JDK 20+:
     * its Remark and Cleanup pauses, two per cycle). A marking cycle runs beside the application,
     * and while it runs every reference write also logs the value it overwrites. Differences of two
     * readings say what happened in between.
     */
    static long[] gcActivity() {
        long[] a = new long[2];
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            a[0] += Math.max(0, gc.getCollectionTime());
            if (gc.getName().contains("Concurrent")) {
                a[1] += Math.max(0, gc.getCollectionCount());
            }
        }
        return a;
    }

    /**
     * Puts the GC activity between two {@link #gcActivity()} readings: {@code <prefix>_gc_pause_ms}
     * and {@code <prefix>_gc_marking_pauses} (0: no marking cycle ended or was cleaned up in between).
     */
    static void putGc(java.util.Map<String, Object> r, String prefix, long[] before, long[] after) {
        r.put(prefix + "_gc_pause_ms", (double) (after[0] - before[0]));
        r.put(prefix + "_gc_marking_pauses", (double) (after[1] - before[1]));
    }

    /** The property that selects how {@link #collectBetweenRounds} collects. */
    static final String HEAP_BETWEEN_ROUNDS_PROPERTY = "bench.heapBetweenRounds";
    /** Its values, the default first. */
    static final List<String> HEAP_BETWEEN_ROUNDS = List.of("settle", "shrink", "keep");

    /**
     * The full collection before each round, so that the previous round's garbage is not
     * collected on this round's clock; then a wait until G1 has given back what it shrank, so that
     * every round starts from the same small resident heap. {@code System.gc()} shrinks G1's heap
     * to {@code MaxHeapFreeRatio} (70%) free, 200 MiB to 28 MiB at fork_join 100k, but the
     * regions leave the resident set only when G1's service thread uncommits them: 100 ms after
     * the collection, then 128 MiB every 10 ms (HotSpot's {@code G1UncommitRegionTask}, JDK 17
     * and later). A round that starts sooner grows the heap into those regions before they are
     * returned, the uncommit then finds nothing to do, and the regions that the following rounds
     * touch add up: the peak RSS was decided by that race rather than by the workload
     * (docs/performance.md, "The harness's collection and G1's uncommit raced").
     *
     * <p>{@code -Dbench.heapBetweenRounds=shrink} is the plain {@code System.gc()} of the tables
     * measured before stop 17; {@code keep} collects without shrinking ({@code MaxHeapFreeRatio}
     * 100 for that collection alone, a manageable flag), so the heap stays as large as the rounds
     * grew it, as a service's would.
     */
    static void collectBetweenRounds() throws InterruptedException {
        String mode = System.getProperty(HEAP_BETWEEN_ROUNDS_PROPERTY, HEAP_BETWEEN_ROUNDS.get(0));
        switch (mode) {
            case "shrink" -> System.gc();
            case "keep" -> {
                HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                String maxFree = vm.getVMOption("MaxHeapFreeRatio").getValue();
                vm.setVMOption("MaxHeapFreeRatio", "100");
                try {
                    System.gc();
                } finally {
                    vm.setVMOption("MaxHeapFreeRatio", maxFree);
                }
            }
            case "settle" -> {
                long committed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
                System.gc();
                long shrunk = committed - ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
                awaitUncommit(shrunk);
            }
            default -> throw new IllegalArgumentException(HEAP_BETWEEN_ROUNDS_PROPERTY + " must be one of "
                    + HEAP_BETWEEN_ROUNDS + ", not '" + mode + "'");
        }
    }

    /**
     * Waits out G1's uncommit of {@code shrunk} bytes: its delays (see above) and a margin, then
     * until the anonymous resident set has stopped falling for 50 ms, 3 s at most.
     */
    private static void awaitUncommit(long shrunk) throws InterruptedException {
        if (shrunk <= 0) {
            return;
        }
        long chunks = (shrunk + (128L << 20) - 1) / (128L << 20);
        Thread.sleep(120 + 15 * chunks);
        long giveUp = System.nanoTime() + 3_000_000_000L;
        double last = procStatusMiB("RssAnon");
        int steady = 0;
        while (steady < 5 && System.nanoTime() < giveUp) {
            Thread.sleep(10);
            double now = procStatusMiB("RssAnon");
            steady = now < last ? 0 : steady + 1;
            last = now;
        }
    }

    /** Heap in use after a full collection: what the live objects (parked stacks included) take. */
    static long heapUsedAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * {@return the machine's load average over the last minute, or -1 where it cannot be read}
     * Recorded with every round: the figures of a loaded machine are not those of a quiet one.
     */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A {@code /proc/self/status} field in MiB (VmHWM: peak resident set), or -1 off Linux. */
    static double procStatusMiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    String kb = line.substring(field.length() + 1).replace("kB", "").trim();
                    return Math.round(Long.parseLong(kb) / 102.4) / 10.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Waits until {@code thread} is parked (WAITING or TIMED_WAITING), after its body counted
     * {@code entered} down: a cancel that arrives between the two would measure a wake-up that
     * never parked.
     */
    static void awaitParked(CountDownLatch entered, Thread[] holder) throws InterruptedException {
        entered.await();
        Thread t = holder[0];
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
    }
}
