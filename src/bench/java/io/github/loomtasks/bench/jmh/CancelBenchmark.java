package io.github.loomtasks.bench.jmh;

import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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

/**
 * The cancel path. {@code *CancelParked}: start a task that parks, cancel it once it has entered
 * its body, and wait until it has ended (fork, cancel and the wake-up together).
 * {@code *CancelDone}: cancel a finished task, the cheap refusal that {@code close()} meets for
 * every finished task.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@State(Scope.Thread)
public class CancelBenchmark {
    private TaskScope<?> scope;
    private ExecutorService executor;
    private Task<Integer> doneTask;
    private Future<Integer> doneFuture;

    @Setup(Level.Iteration)
    public void open() throws Exception {
        scope = TaskScope.open();
        executor = Executors.newVirtualThreadPerTaskExecutor();
        doneTask = scope.fork(() -> 1);
        doneTask.join();
        doneFuture = executor.submit(() -> 1);
        doneFuture.get();
    }

    @TearDown(Level.Iteration)
    public void close() {
        scope.close();
        executor.close();
    }

    private static Void park(CountDownLatch entered) throws InterruptedException {
        entered.countDown();
        while (!Thread.interrupted()) {
            LockSupport.park();
        }
        throw new InterruptedException();
    }

    @Benchmark
    public boolean loomtasksCancelParked() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        Task<Void> task = scope.fork(() -> park(entered));
        entered.await();
        boolean accepted = task.cancel();
        try {
            task.join();
        } catch (CancellationException expected) {
            // the outcome we wait for
        }
        return accepted;
    }

    @Benchmark
    public boolean rawCancelParked() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        Future<Void> future = executor.submit(() -> {
            try {
                return park(entered);
            } finally {
                ended.countDown();
            }
        });
        entered.await();
        boolean accepted = future.cancel(true);
        ended.await(); // Future.get() would return before the body ended
        return accepted;
    }

    @Benchmark
    public boolean loomtasksCancelDone() {
        return doneTask.cancel();
    }

    @Benchmark
    public boolean rawCancelDone() {
        return doneFuture.cancel(true);
    }
}
