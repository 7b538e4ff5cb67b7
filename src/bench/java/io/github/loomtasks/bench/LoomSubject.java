package io.github.loomtasks.bench;

import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/** The workloads on loomtasks: one {@link TaskScope} per round, closed to cancel. */
final class LoomSubject implements Subject {
    @Override
    public String name() {
        return "loomtasks";
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
        TaskScope<?> scope = TaskScope.open();
        try {
            for (int i = 0; i < n; i++) {
                // no list of tasks: the scope keeps them, and close() cancels them all
                scope.fork(() -> parkedBody(entered, ended, interrupted, parking));
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
            scope.close(); // cancels every task, then waits until every thread has ended
            ended.await(); // already zero: as in the raw run, which needs it on JDK 21
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
            scope.close();
        }
        long cancelled = scope.tasks().stream().filter(t -> t.state() == Task.State.CANCELLED).count();
        r.put("ok", cancelled == n && interrupted.sum() == n);
        return r;
    }

    /** The parked body of spawn_cancel and registry, the same for every subject. */
    static Void parkedBody(CountDownLatch entered, CountDownLatch ended, LongAdder interrupted, Parking parking)
            throws InterruptedException {
        entered.countDown();
        try {
            parking.park();
        } catch (InterruptedException e) {
            interrupted.increment();
            throw e;
        } finally {
            ended.countDown();
        }
        return null;
    }

    @Override
    public Map<String, Object> forkJoin(int n, boolean heapProbe) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        long heap0 = heapProbe ? Measure.heapUsedAfterGc() : 0;
        long c0 = Measure.cpuNanos();
        long t0 = System.nanoTime();
        long sum = 0;
        try (TaskScope<?> scope = TaskScope.open()) {
            List<Task<Long>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long v = i;
                tasks.add(scope.fork(() -> v * 2));
            }
            scope.join();
            for (Task<Long> t : tasks) {
                sum += t.resultNow();
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
        try (TaskScope<?> scope = TaskScope.open()) {
            for (int i = 0; i < rounds; i++) {
                CountDownLatch entered = new CountDownLatch(1);
                CountDownLatch ended = new CountDownLatch(1);
                Thread[] thread = new Thread[1];
                long[] endedAt = new long[1];
                Task<Void> task = scope.fork(() -> {
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
                task.cancel();
                call[i] = System.nanoTime() - t0;
                ended.await();
                latency[i] = endedAt[0] - t0;
                try {
                    task.join();
                    ok = false;
                } catch (CancellationException expected) {
                    ok &= task.state() == Task.State.CANCELLED;
                }
            }
        }
        return latencyFigures(latency, call, ok);
    }

    static Map<String, Object> latencyFigures(long[] latency, long[] call, boolean ok) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("p50_us", Measure.percentileUs(latency, 50));
        r.put("p99_us", Measure.percentileUs(latency, 99));
        r.put("max_us", Measure.percentileUs(latency, 100));
        r.put("call_p50_us", Measure.percentileUs(call, 50));
        r.put("ok", ok);
        return r;
    }

    @Override
    public Map<String, Object> registry(int n, Parking parking) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        CountDownLatch entered = new CountDownLatch(n);
        CountDownLatch ended = new CountDownLatch(n);
        LongAdder interrupted = new LongAdder();
        try (TaskScope<?> scope = TaskScope.open()) {
            for (int i = 0; i < n; i++) {
                scope.fork(() -> parkedBody(entered, ended, interrupted, parking));
            }
            entered.await();
            // the best of 5: a snapshot is short, and one GC pause would dominate a single one
            long best = Long.MAX_VALUE;
            int size = 0;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                size = Tasks.all().size();
                best = Math.min(best, System.nanoTime() - t0);
            }
            long t1 = System.nanoTime();
            String dump = Tasks.dump();
            long t2 = System.nanoTime();
            r.put("snapshot_ms", Measure.ms(best));
            r.put("dump_ms", Measure.ms(t2 - t1));
            r.put("dump_chars", dump.length());
            r.put("ok", size == n);
        }
        return r;
    }
}
