package io.github.loomtasks.bench.jmh;

import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The registry. {@code openClose}: open and close an empty root scope, which is how a scope
 * enters and leaves the registry (tasks are listed through their scope, so a fork adds nothing
 * else). {@code snapshot}: {@code Tasks.all()} while {@code live} tasks are parked.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@State(Scope.Thread)
public class RegistryBenchmark {
    @Param({"0", "1000", "100000"})
    public int live;

    /** Owns the scope of the parked tasks, so that the benchmark thread opens root scopes. */
    private Thread holder;
    private final CountDownLatch release = new CountDownLatch(1);

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(live);
        holder = Thread.ofPlatform().start(() -> {
            try (TaskScope<?> scope = TaskScope.open()) {
                for (int i = 0; i < live; i++) {
                    scope.fork(() -> {
                        entered.countDown();
                        while (!Thread.interrupted()) {
                            LockSupport.park();
                        }
                        throw new InterruptedException();
                    });
                }
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        entered.await();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        release.countDown();
        holder.join();
    }

    @Benchmark
    public boolean openCloseRoot() {
        try (TaskScope<?> s = TaskScope.open()) {
            return s.isCancelled();
        }
    }

    @Benchmark
    public List<Task<?>> snapshot() {
        return Tasks.all();
    }
}
