package io.github.loomtasks.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * The floor: {@code Executors.newVirtualThreadPerTaskExecutor()}, cancelled with
 * {@code Future.cancel(true)} on every future ({@code raw}), or with {@code shutdownNow()}
 * ({@code raw_shutdownNow}, which needs no list of futures but reports the tasks as failed rather
 * than cancelled). {@code close()} then waits until every thread has ended.
 */
final class RawSubject implements Subject {
    private final boolean shutdownNow;

    RawSubject(boolean shutdownNow) {
        this.shutdownNow = shutdownNow;
    }

    @Override
    public String name() {
        return shutdownNow ? "raw_shutdownNow" : "raw";
    }

    @Override
    public Map<String, Object> spawnCancel(int n, Parking parking, boolean heapProbe) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        CountDownLatch entered = new CountDownLatch(n);
        CountDownLatch ended = new CountDownLatch(n);
        LongAdder interrupted = new LongAdder();
        long heap0 = heapProbe ? Measure.heapUsedAfterGc() : 0;
        long c0 = Measure.cpuNanos();
        long t0 = System.nanoTime();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Void>> futures = new ArrayList<>(shutdownNow ? 0 : n);
        try {
            for (int i = 0; i < n; i++) {
                Future<Void> f = executor.submit(() -> LoomSubject.parkedBody(entered, ended, interrupted, parking));
                if (!shutdownNow) {
                    futures.add(f); // Future.cancel needs every future
                }
            }
            long t1 = System.nanoTime();
            entered.await();
            long t2 = System.nanoTime();
            long c2 = Measure.cpuNanos();
            if (heapProbe) {
                r.put("heap_per_task_bytes", (Measure.heapUsedAfterGc() - heap0) / n);
            }
            long[] g3 = Measure.gcActivity();
            long c3 = Measure.cpuNanos();
            long t3 = System.nanoTime();
            if (shutdownNow) {
                executor.shutdownNow();
            } else {
                for (Future<Void> f : futures) {
                    f.cancel(true);
                }
            }
            executor.close(); // waits until every thread has ended, on JDK 25
            // On JDK 21 a cancelled future removes its thread from the executor's set at once
            // (ThreadBoundFuture.done()), so close() can return while bodies still run: wait for them.
            ended.await();
            long t4 = System.nanoTime();
            long c4 = Measure.cpuNanos();
            long[] g4 = Measure.gcActivity();
            r.put("submit_ms", Measure.ms(t1 - t0));
            r.put("spawn_ms", Measure.ms(t2 - t0));
            r.put("cancel_ms", Measure.ms(t4 - t3));
            r.put("spawn_cpu_ms", Measure.ms(c2 - c0));
            r.put("cancel_cpu_ms", Measure.ms(c4 - c3));
            Measure.putGc(r, "cancel", g3, g4);
        } finally {
            executor.shutdownNow();
            executor.close();
        }
        boolean allCancelled = futures.stream().allMatch(Future::isCancelled);
        r.put("ok", allCancelled && interrupted.sum() == n);
        return r;
    }

    @Override
    public Map<String, Object> forkJoin(int n, boolean heapProbe) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        long heap0 = heapProbe ? Measure.heapUsedAfterGc() : 0;
        long c0 = Measure.cpuNanos();
        long t0 = System.nanoTime();
        long sum = 0;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long v = i;
                futures.add(executor.submit(() -> v * 2));
            }
            for (Future<Long> f : futures) {
                sum += f.get();
            }
            if (heapProbe) {
                r.put("heap_per_task_bytes", (Measure.heapUsedAfterGc() - heap0) / n);
            }
        }
        long t1 = System.nanoTime();
        long c1 = Measure.cpuNanos();
        r.put("total_ms", Measure.ms(t1 - t0));
        r.put("total_cpu_ms", Measure.ms(c1 - c0));
        r.put("ok", sum == (long) n * (n - 1));
        return r;
    }

    @Override
    public Map<String, Object> cancelLatency(int rounds, Parking parking) throws Exception {
        long[] latency = new long[rounds];
        long[] call = new long[rounds];
        boolean ok = true;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < rounds; i++) {
                CountDownLatch entered = new CountDownLatch(1);
                CountDownLatch ended = new CountDownLatch(1);
                Thread[] thread = new Thread[1];
                long[] endedAt = new long[1];
                Future<Void> future = executor.submit(() -> {
                    thread[0] = Thread.currentThread();
                    entered.countDown();
                    try {
                        parking.park();
                    } finally {
                        endedAt[0] = System.nanoTime(); // the body's last act
                        ended.countDown();
                    }
                    return null;
                });
                Measure.awaitParked(entered, thread);
                long t0 = System.nanoTime();
                future.cancel(true);
                call[i] = System.nanoTime() - t0;
                ended.await(); // Future.get() would not wait: it throws as soon as cancel returns
                latency[i] = endedAt[0] - t0;
                ok &= future.isCancelled();
            }
        }
        return LoomSubject.latencyFigures(latency, call, ok);
    }

    /**
     * The raw executor has no registry; the JDK's only listing of its threads is the thread dump
     * ({@code jcmd Thread.dump_to_file}), which this calls in process, in JSON.
     */
    @Override
    public Map<String, Object> registry(int n, Parking parking) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        CountDownLatch entered = new CountDownLatch(n);
        CountDownLatch ended = new CountDownLatch(n);
        LongAdder interrupted = new LongAdder();
        Path file = Files.createTempDirectory("bench-dump").resolve("threads.json").toAbsolutePath();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                executor.submit(() -> LoomSubject.parkedBody(entered, ended, interrupted, parking));
            }
            entered.await();
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long t0 = System.nanoTime();
            bean.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            long t1 = System.nanoTime();
            r.put("dump_ms", Measure.ms(t1 - t0));
            r.put("dump_chars", Files.size(file));
            executor.shutdownNow();
        } finally {
            ended.await();
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        }
        r.put("ok", interrupted.sum() == n);
        return r;
    }
}
