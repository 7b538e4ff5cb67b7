package io.github.loomtasks;

/**
 * What a program does on the first SIGINT or SIGTERM while its main task runs: the
 * {@code except KeyboardInterrupt:} clause around asyncio's {@code run_until_complete(main)}.
 * Given to {@link Runner#runTask(String, java.util.concurrent.Callable, InterruptHandler)}, it
 * runs on the thread that called {@code runTask}, instead of the runner's default action (cancel
 * the main task).
 *
 * {@snippet :
 * int status = runner.runTask("main", this::serve, (main, reason) -> {
 *     // asyncio's gather(*all_tasks()).cancel(): cancel everything, say whether any accepted
 *     boolean any = false;
 *     for (Task<?> task : Tasks.all()) {
 *         any |= task.cancel(reason);
 *     }
 *     System.out.println(any);
 * });
 * }
 */
@FunctionalInterface
public interface InterruptHandler {

    /**
     * Handles the interrupt. The runner then waits, within the grace period, for the main task
     * to end; a handler that wants the program to stop should cancel it.
     *
     * @param main the program's main task, usually still {@code RUNNING}
     * @param reason a {@link CancelReason.Kind#SIGNAL} reason naming the signal
     * @throws Exception to report a failure: the run then exits with the failure status
     */
    void onInterrupt(Task<?> main, CancelReason reason) throws Exception;
}
