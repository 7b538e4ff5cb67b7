package io.github.loomtasks.testing;

import io.github.loomtasks.Runner;
import io.github.loomtasks.RunnerConfig;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A program for a child JVM started with {@code -Xrs}, where the Runner cannot handle SIGINT and
 * SIGTERM and falls back to a shutdown hook: something in the program calls
 * {@code System.exit(7)} while the run is in progress, or after it ended.
 *
 * <pre>ExitDuringRun flat|nested|stuck|after [GRACE]</pre>
 *
 * <ul>
 *   <li>{@code flat}: {@link Runner#run} forks two tasks that sleep forever and joins them; once both
 *       run, another thread calls {@code System.exit(7)}. The work prints the states of its tasks
 *       once its scope has closed, and rethrows the interrupt.
 *   <li>{@code nested}: the same with {@link Runner#runTask}: the main task owns the two tasks.
 *   <li>{@code stuck}: as {@code flat}, plus a task named {@code stubborn} that ignores interrupts;
 *       the grace period is one second.
 *   <li>{@code after}: the run's work returns at once; then the program calls {@code System.exit(7)}.
 * </ul>
 *
 * <p>GRACE, a {@link Duration} such as {@code PT30S} (the default), is the runner's grace period.
 */
public final class ExitDuringRun {
    private ExitDuringRun() {}

    public static void main(String[] args) {
        String mode = args.length >= 1 ? args[0] : "";
        Duration grace = args.length >= 2 ? Duration.parse(args[1])
                : mode.equals("stuck") ? Duration.ofSeconds(1) : Duration.ofSeconds(30);
        Runner runner = Runner.create(RunnerConfig.defaults().withGrace(grace));
        switch (mode) {
            case "flat", "stuck" -> runner.run(() -> work(mode.equals("stuck")));
            case "nested" -> runner.runTask("main", () -> work(false));
            case "after" -> {
                System.out.println("run returned " + runner.run(() -> null));
                System.exit(7);
            }
            default -> {
                System.err.println("usage: ExitDuringRun flat|nested|stuck|after [GRACE]");
                System.exit(2);
            }
        }
        System.out.println("run returned");
    }

    private static Void work(boolean withStubbornTask) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(withStubbornTask ? 3 : 2);
        List<Task<?>> tasks = new ArrayList<>();
        try (TaskScope<?> scope = TaskScope.open()) {
            tasks.add(scope.fork("a", () -> Bodies.signalThenSleepForever(running)));
            tasks.add(scope.fork("b", () -> Bodies.signalThenSleepForever(running)));
            if (withStubbornTask) {
                tasks.add(scope.fork("stubborn", () -> {
                    running.countDown();
                    Bodies.awaitUninterruptibly(new CountDownLatch(1));
                    return null;
                }));
            }
            running.await();
            Thread.ofPlatform().name("exits").start(() -> System.exit(7));
            scope.join();
        } catch (InterruptedException e) {
            // after the scope closed: every task has ended
            System.out.println("work interrupted; " + tasks.stream().map(t -> t.name() + " " + t.state()).toList());
            throw e;
        }
        throw new AssertionError("the join returned: " + tasks);
    }
}
