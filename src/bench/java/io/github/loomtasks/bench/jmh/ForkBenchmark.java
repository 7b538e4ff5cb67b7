package io.github.loomtasks.bench.jmh;

import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fork path: start a task that returns at once and collect its result, 100 per scope (or
 * executor), so that the scope's open and close are spread over the forks. Reported per fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class ForkBenchmark {
    static final int BATCH = 100;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long loomtasksForkJoin() throws InterruptedException {
        long sum = 0;
        try (TaskScope<?> scope = TaskScope.open()) {
            List<Task<Integer>> tasks = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                int v = i;
                tasks.add(scope.fork(() -> v));
            }
            scope.join();
            for (Task<Integer> t : tasks) {
                sum += t.resultNow();
            }
        }
        return sum;
    }

    /** The same with a name given at fork: what naming a task costs. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long loomtasksForkJoinNamed() throws InterruptedException {
        long sum = 0;
        try (TaskScope<?> scope = TaskScope.open()) {
            List<Task<Integer>> tasks = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                int v = i;
                tasks.add(scope.fork("work", () -> v));
            }
            scope.join();
            for (Task<Integer> t : tasks) {
                sum += t.resultNow();
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long rawSubmitGet() throws Exception {
        long sum = 0;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> futures = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                int v = i;
                futures.add(executor.submit(() -> v));
            }
            for (Future<Integer> f : futures) {
                sum += f.get();
            }
        }
        return sum;
    }
}
