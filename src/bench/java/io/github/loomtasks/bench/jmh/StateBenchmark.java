package io.github.loomtasks.bench.jmh;

import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Reading a finished task's state and result, against {@code Future.state()} and {@code resultNow()}. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@State(Scope.Thread)
public class StateBenchmark {
    private TaskScope<?> scope;
    private ExecutorService executor;
    private Task<Integer> task;
    private Future<Integer> future;

    @Setup(Level.Trial)
    public void start() throws Exception {
        scope = TaskScope.open();
        executor = Executors.newVirtualThreadPerTaskExecutor();
        task = scope.fork(() -> 42);
        task.join();
        future = executor.submit(() -> 42);
        future.get();
    }

    @TearDown(Level.Trial)
    public void stop() {
        scope.close();
        executor.close();
    }

    @Benchmark
    public Task.State loomtasksState() {
        return task.state();
    }

    @Benchmark
    public Future.State rawState() {
        return future.state();
    }

    @Benchmark
    public Integer loomtasksResultNow() {
        return task.resultNow();
    }

    @Benchmark
    public Integer rawResultNow() {
        return future.resultNow();
    }
}
