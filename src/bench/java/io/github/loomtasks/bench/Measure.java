package io.github.loomtasks.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

    /**
     * The full collection before each round, so that the previous round's garbage is not
     * collected on this round's clock, which leaves the heap's size as the rounds made it.
     * {@code System.gc()} alone also shrinks G1's heap to {@code MaxHeapFreeRatio} (70%) free,
     * 200 MiB to 28 MiB at fork_join 100k, and every round then grows it again. Whether G1's
     * concurrent uncommit has returned the old regions by then is a race, and when it has not,
     * the regions a round touches add up to the resident set of earlier rounds: the peak RSS was
     * decided by that race rather than by the workload (docs/performance.md, "The harness shrank
     * the heap"). A service's heap is not shrunk before every request; so the flag, which is
     * manageable, is 100 for this collection alone, and G1 shrinks the heap at its own times
     * (the Remark of a marking cycle) as it would anyway. {@code -Dbench.heapBetweenRounds=shrink}
     * restores the plain {@code System.gc()} of the tables measured before that change.
     */
    static void collectBetweenRounds() {
        if ("shrink".equals(System.getProperty("bench.heapBetweenRounds"))) {
            System.gc();
            return;
        }
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String maxFree = vm.getVMOption("MaxHeapFreeRatio").getValue();
        vm.setVMOption("MaxHeapFreeRatio", "100");
        try {
            System.gc();
        } finally {
            vm.setVMOption("MaxHeapFreeRatio", maxFree);
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
