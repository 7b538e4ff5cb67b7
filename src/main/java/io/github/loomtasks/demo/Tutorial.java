package io.github.loomtasks.demo;

import io.github.loomtasks.CancelReason;
import io.github.loomtasks.Policy;
import io.github.loomtasks.ReturnWhen;
import io.github.loomtasks.Runner;
import io.github.loomtasks.ScopeConfig;
import io.github.loomtasks.ShutdownSignal;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import io.github.loomtasks.WaitResult;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The tutorial's two programs, line by line: case 1 ({@link #flat()}) and case 2
 * ({@link #nested()}). Docs/tutorial.md puts the Python beside them.
 */
final class Tutorial {
    /** Never set: the stuck task's loop runs until the process ends. */
    private static volatile boolean stopSpinning;

    private final Options options;
    private final Runner runner;
    private final PrintStream out;
    private final PrintStream err;

    Tutorial(Options options, Runner runner, PrintStream out, PrintStream err) {
        this.options = options;
        this.runner = runner;
        this.out = out;
        this.err = err;
    }

    /** {@code async def do_work(x)}: print, sleep, return. */
    private String doWork(Duration x) throws InterruptedException {
        out.println("waiting:  " + seconds(x));
        Thread.sleep(x);
        return "DONE AFTER " + seconds(x) + "S";
    }

    /**
     * Case 1: the main thread waits on the tasks through a fourth task, {@code wait}, as
     * {@code run_until_complete(asyncio.wait(tasks))} does. On Ctrl-C it lists every task and
     * cancels each one, printing what each cancel returned.
     */
    int flat() {
        return runner.run(() -> {
            startInterruptTimer();
            long start = System.nanoTime();
            try (TaskScope<@Nullable Void> scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withName("tutorial"))) {
                List<Task<String>> workers = forkWorkers(scope);
                Task<?> wait = scope.fork("wait", () -> waitAll(workers));
                try {
                    wait.join();
                } catch (InterruptedException keyboardInterrupt) {
                    // the program's own `except KeyboardInterrupt:` handles it: list, then cancel each
                    List<Task<?>> all = Tasks.all();
                    all.forEach(out::println);
                    CancelReason reason = runner.shutdownReason().orElse(CancelReason.requested());
                    for (boolean accepted : cancelNewestFirst(all, reason)) {
                        out.println(accepted);
                    }
                }
            }
            out.println("TIME:  " + elapsedSeconds(start));
            return null;
        });
    }

    /**
     * Case 2: a {@code main} task forks the workers and waits on them; on Ctrl-C the program
     * cancels the whole group at once, asyncio's {@code gather(*all_tasks()).cancel()}, and prints
     * whether any task accepted.
     */
    int nested() {
        long start = System.nanoTime();
        int status = runner.runTask("main", this::main, (main, reason) -> {
            boolean anyAccepted = false;
            for (Task<?> task : Tasks.all()) {
                anyAccepted |= task.cancel(reason);
            }
            out.println(anyAccepted);
        });
        out.println("TIME:  " + elapsedSeconds(start));
        return status;
    }

    /** {@code async def main()} of case 2. */
    private @Nullable Void main() throws InterruptedException {
        startInterruptTimer();
        try (TaskScope<@Nullable Void> scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withName("main"))) {
            List<Task<String>> workers = forkWorkers(scope);
            waitAll(workers);
            for (Task<String> task : workers) {
                out.println("Task res: " + task.resultNow());
            }
        }
        return null;
    }

    /**
     * Cancels each task and returns what each {@code cancel()} returned, in the order of
     * {@code tasks}. asyncio runs no task between the cancels of its loop; here the tasks run in
     * parallel, so cancelling a worker first could let {@code wait} finish before its own cancel.
     * Cancelling the newest task first (the waiter before what it waits on, the order in which
     * scopes close) gives every task the answer asyncio gives.
     */
    private static boolean[] cancelNewestFirst(List<Task<?>> tasks, CancelReason reason) {
        boolean[] accepted = new boolean[tasks.size()];
        for (int i = tasks.size() - 1; i >= 0; i--) {
            accepted[i] = tasks.get(i).cancel(reason);
        }
        return accepted;
    }

    private List<Task<String>> forkWorkers(TaskScope<?> scope) {
        List<Task<String>> workers = new ArrayList<>();
        for (Duration x : options.durations()) {
            workers.add(scope.fork("do_work(" + seconds(x) + ")", () -> doWork(x)));
        }
        if (options.stuckTask()) {
            scope.fork("stuck", this::spin);
        }
        return workers;
    }

    /**
     * {@code asyncio.wait(tasks)}: waits until every task is terminal, whatever its outcome. With
     * {@code --verbose} the same wait goes one task at a time and prints each task as it ends.
     */
    private @Nullable Void waitAll(List<Task<String>> tasks) throws InterruptedException {
        if (!options.verbose()) {
            Tasks.wait(tasks, ReturnWhen.ALL_COMPLETED);
            return null;
        }
        List<Task<String>> pending = tasks;
        while (!pending.isEmpty()) {
            WaitResult<Task<String>> step = Tasks.wait(pending, ReturnWhen.FIRST_COMPLETED);
            step.done().forEach(task -> err.println("ended:  " + task));
            pending = step.pending();
        }
        return null;
    }

    /** A task that cannot be cancelled: a busy loop that never blocks nor checks for interrupts. */
    private @Nullable Void spin() {
        out.println("stuck: spinning, deaf to cancellation");
        while (!stopSpinning) {
            Thread.onSpinWait();
        }
        return null;
    }

    /** {@code --interrupt-after}: delivers what Ctrl-C delivers, from a timer thread. */
    private void startInterruptTimer() {
        Duration after = options.interruptAfter().orElse(null);
        if (after == null) {
            return;
        }
        Thread.ofPlatform().daemon().name("interrupt-after").start(() -> {
            try {
                Thread.sleep(after);
            } catch (InterruptedException e) {
                return; // nobody interrupts this thread; if someone does, deliver nothing
            }
            runner.deliver(ShutdownSignal.SIGINT);
        });
    }

    /** {@return seconds as Python prints its numbers: 1, 0.5} */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9))
                .stripTrailingZeros().toPlainString();
    }

    private static double elapsedSeconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
