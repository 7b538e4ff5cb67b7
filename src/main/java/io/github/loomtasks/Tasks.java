package io.github.loomtasks;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Static entry points, like the functions of Python's {@code asyncio} module: the registry of
 * tasks, the current task, cancellation checkpoints, and waiting: {@link #wait wait},
 * {@link #asCompleted asCompleted}, {@link #gather gather}, {@link #withTimeout withTimeout}
 * (asyncio's {@code timeout()}) and {@link #shield shield}.
 *
 * <h2>Waiting for tasks</h2>
 * The waiting calls accept the tasks of any scopes, and {@linkplain #gather gathers}; they accept
 * no other {@link Task} implementation ({@link IllegalArgumentException}). They block the calling
 * thread, may run as a task body themselves, and throw {@link InterruptedException} when the
 * caller is interrupted, or at once if the caller is a task whose cancellation is pending. Their
 * timeouts cancel nothing.
 *
 * <h2>Deadlines and shields</h2>
 * {@link #withTimeout withTimeout} and {@link #shield shield} are Trio's cancel scopes: frames
 * on the calling thread's stack. A deadline cancels only what runs inside its block and reports
 * only its own expiry; a shield holds back every cancel request from outside it, and delivers it
 * when it ends. See {@code docs/waiting.md} for the rules and their reasons.
 */
public final class Tasks {
    private Tasks() {}

    /**
     * {@return a snapshot of the tasks of every open scope in the process} asyncio's
     * {@code all_tasks()}, except that an open scope also lists its finished tasks until it
     * closes. Safe to call from any thread at any time; the list is a copy, each scope's tasks in
     * fork order, nested scopes after the task or scope that opened them.
     */
    public static List<Task<?>> all() {
        return List.copyOf(Registry.tasks());
    }

    /** {@return the task whose body the current thread is running, if any} asyncio's {@code current_task()}. */
    public static Optional<Task<?>> current() {
        return Optional.ofNullable(Frame.currentTask());
    }

    /**
     * Throws if the current task's cancellation is pending, or if the current thread was
     * interrupted (the interrupt status is cleared: it becomes the exception). Call it in loops
     * that never block, so that a cancel can stop them.
     *
     * @throws CancellationException if the current code is cancelled or interrupted
     */
    public static void checkpoint() {
        Frame.throwIfCancelledUnchecked();
        if (Thread.interrupted()) {
            throw new CancellationException("interrupted at a checkpoint");
        }
    }

    /**
     * Waits until {@code when} is met, and returns the done and pending tasks: asyncio's
     * {@code wait()}. May run as a task body, for example
     * {@code scope.fork("wait", () -> Tasks.wait(workers, ReturnWhen.ALL_COMPLETED))}.
     *
     * @param tasks the tasks to wait for; each counts once
     * @param when {@link ReturnWhen#FIRST_COMPLETED}, {@link ReturnWhen#FIRST_EXCEPTION} or
     *     {@link ReturnWhen#ALL_COMPLETED}
     * @param <T> the type of the tasks
     * @return the tasks that were terminal when the wait returned, and the others, each in the
     *     order given
     * @throws InterruptedException if the calling thread is interrupted while waiting, or is a
     *     task whose cancellation is pending
     * @throws IllegalArgumentException if {@code tasks} is empty, contains the calling task, or a
     *     task not made by loomtasks
     * @throws NullPointerException if an argument or a task is null
     */
    public static <T extends Task<?>> WaitResult<T> wait(Collection<? extends T> tasks, ReturnWhen when)
            throws InterruptedException {
        return Waiting.wait(tasks, 0, false, when);
    }

    /**
     * As {@link #wait(Collection, ReturnWhen)}, returning when {@code timeout} passes if
     * {@code when} was not met by then. The timeout cancels nothing: the tasks not done are in
     * {@link WaitResult#pending()}.
     *
     * @param tasks the tasks to wait for; each counts once
     * @param timeout how long to wait at most; zero or negative means do not wait
     * @param when the condition to wait for
     * @param <T> the type of the tasks
     * @return the tasks that were terminal when the wait returned, and the others
     * @throws InterruptedException if the calling thread is interrupted while waiting, or is a
     *     task whose cancellation is pending
     * @throws IllegalArgumentException if {@code tasks} is empty, contains the calling task, or a
     *     task not made by loomtasks
     * @throws NullPointerException if an argument or a task is null
     */
    public static <T extends Task<?>> WaitResult<T> wait(Collection<? extends T> tasks, Duration timeout,
            ReturnWhen when) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return Waiting.wait(tasks, TaskScope.toNanos(timeout), true, when);
    }

    /**
     * {@return the tasks, handed out in the order they finish} asyncio's {@code as_completed()}.
     *
     * @param tasks the tasks; each is handed out once
     * @param <T> the type of the tasks
     * @throws IllegalArgumentException if {@code tasks} contains the calling task or a task not
     *     made by loomtasks
     * @throws NullPointerException if {@code tasks} or a task is null
     */
    public static <T extends Task<?>> Completions<T> asCompleted(Collection<? extends T> tasks) {
        return new Completions<>(Waiting.distinct(tasks), null);
    }

    /**
     * {@return the tasks, handed out in the order they finish, within a timeout for all of them}
     * {@link Completions#next()} throws {@link TimeoutException} once {@code timeout} has passed
     * since this call; nothing is cancelled.
     *
     * @param tasks the tasks; each is handed out once
     * @param timeout the time allowed for the whole iteration
     * @param <T> the type of the tasks
     * @throws IllegalArgumentException if {@code tasks} contains the calling task or a task not
     *     made by loomtasks
     * @throws NullPointerException if an argument or a task is null
     */
    public static <T extends Task<?>> Completions<T> asCompleted(Collection<? extends T> tasks, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return new Completions<>(Waiting.distinct(tasks), timeout);
    }

    /**
     * {@return a task whose result is the list of the tasks' results, in the order given}
     * asyncio's {@code gather()}; a failing task does not cancel the others
     * ({@link OnFailure#CONTINUE}).
     *
     * @param tasks the tasks; a task given twice appears twice in the list
     * @param <T> the type of the results
     * @see #gather(Collection, OnFailure)
     */
    public static <T extends @Nullable Object> Task<List<T>> gather(Collection<? extends Task<? extends T>> tasks) {
        return gather(tasks, OnFailure.CONTINUE);
    }

    /**
     * {@return a task whose result is the list of the tasks' results, in the order given}
     * asyncio's {@code gather()}.
     *
     * <p>The gather has no thread: it is {@code RUNNING} until every task is terminal, and then
     * it is {@code CANCELLED} if a cancel of the gather was accepted; otherwise {@code DONE} with
     * the first failure (in completion order; {@link Task#join()} throws
     * {@link TaskFailedException} with it as the cause, later ones suppressed); otherwise
     * {@code CANCELLED} if a task was cancelled; otherwise {@code DONE} with the list. It ends
     * only once every task is terminal, so a finished gather never leaves a task behind.
     *
     * <p>Its {@link Task#cancel()} cancels the tasks that are not terminal and returns
     * {@code true} if at least one accepted, {@code false} if none did (the gather then ends
     * with its tasks' outcomes) or if it had already ended.
     *
     * <p>Unlike a forked task, a gather is not in the registry ({@link #all()}): asyncio's
     * gathering future is not in {@code all_tasks()} either, and its tasks are listed there.
     *
     * @param tasks the tasks; a task given twice appears twice in the list
     * @param onFailure whether a failure cancels the other tasks
     * @param <T> the type of the results
     * @throws IllegalArgumentException if a task was not made by loomtasks
     * @throws NullPointerException if an argument or a task is null
     */
    public static <T extends @Nullable Object> Task<List<T>> gather(Collection<? extends Task<? extends T>> tasks,
            OnFailure onFailure) {
        Objects.requireNonNull(onFailure, "onFailure");
        return new GatherTask<T>(children(tasks),
                onFailure == OnFailure.CANCEL_OTHERS ? GatherTask.Mode.CANCEL_OTHERS : GatherTask.Mode.CONTINUE);
    }

    /**
     * {@return a task whose result lists, in the order given, each task's result, or the
     * exception it failed with, or a {@link CancellationException} if it was cancelled}
     * asyncio's {@code gather(..., return_exceptions=True)}: the gather itself ends {@code DONE}
     * unless a cancel of the gather was accepted. Otherwise as {@link #gather(Collection, OnFailure)}.
     *
     * @param tasks the tasks; a task given twice appears twice in the list
     * @throws IllegalArgumentException if a task was not made by loomtasks
     * @throws NullPointerException if {@code tasks} or a task is null
     */
    public static Task<List<@Nullable Object>> gatherReturningExceptions(Collection<? extends Task<?>> tasks) {
        return new GatherTask<@Nullable Object>(children(tasks), GatherTask.Mode.RETURN_EXCEPTIONS);
    }

    private static List<Task<?>> children(Collection<? extends Task<?>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        List<Task<?>> list = new java.util.ArrayList<>(tasks.size());
        for (Task<?> t : tasks) {
            list.add(Objects.requireNonNull(t, "tasks contains null"));
        }
        return List.copyOf(list);
    }

    /**
     * Runs {@code block} with a deadline: asyncio's {@code timeout()}, Kotlin's
     * {@code withTimeout}. When {@code timeout} passes before the block ends, the block's thread
     * is interrupted and the scopes opened inside the block are cancelled, with a
     * {@link CancelReason.Kind#DEADLINE} reason; if the block then ends because of that (with an
     * {@link InterruptedException}, a {@link CancellationException} or another exception the
     * interrupt caused), this method throws {@link DeadlineExceededException} with that ending as
     * its cause. A block that catches the interrupt and returns, returns normally.
     *
     * <p>Deadlines nest: each one reports only its own expiry. If a cancel request from outside
     * the block (the calling task's cancel, an enclosing deadline) is pending when the block ends,
     * that request wins: the block's ending is passed on unchanged, and a request that arrived
     * during the block is delivered again if the block swallowed it. The timer is removed when
     * the block ends and never interrupts the thread after it.
     *
     * {@snippet :
     * try {
     *     String page = Tasks.withTimeout(Duration.ofSeconds(2), () -> fetch(url));
     * } catch (DeadlineExceededException e) {
     *     // the fetch was cancelled after 2 s
     * }
     * }
     *
     * @param timeout the time allowed; zero or negative: the block starts with its deadline
     *     already passed (its first blocking call throws)
     * @param block the code to run
     * @param <T> the block's result
     * @param <X> what the block throws
     * @return the block's result
     * @throws X if the block throws it, other than because of this deadline
     * @throws DeadlineExceededException if this deadline cancelled the block
     * @throws NullPointerException if an argument is null
     */
    public static <T extends @Nullable Object, X extends Exception> T withTimeout(Duration timeout,
            Block<? extends T, X> block) throws X {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(block, "block");
        DeadlineFrame frame = DeadlineFrame.enter(timeout);
        T result;
        try {
            result = block.run();
        } catch (Throwable t) {
            DeadlineExceededException timedOut = frame.exit(t);
            if (timedOut != null) {
                throw timedOut;
            }
            throw t;
        }
        frame.exit(null);
        return result;
    }

    /**
     * Runs {@code block} shielded from cancellation: asyncio's {@code shield()}, Trio's shielded
     * cancel scope, Kotlin's {@code NonCancellable}. A cancel request from outside the block (the
     * calling task's cancel, its scope closing, an enclosing deadline) does not interrupt the
     * block, is not seen by loomtasks calls inside it, and does not cancel the scopes opened
     * inside it; it is delivered, once, as an interrupt of the calling thread when the block
     * ends. A request already delivered and not yet consumed when the block starts is held back
     * the same way. Bound a shielded block with a deadline of its own:
     *
     * {@snippet :
     * Tasks.shield(() -> Tasks.withTimeout(Duration.ofSeconds(1), () -> {
     *     flushBuffers();                       // runs to the end even if the task is cancelled,
     *     return null;                          // but for at most one second
     * }));
     * }
     *
     * <p>A shielded block delays whatever waits for its thread: a scope's close waits for it.
     *
     * @param block the code to run
     * @param <T> the block's result
     * @param <X> what the block throws
     * @return the block's result
     * @throws X if the block throws it
     * @throws IllegalStateException if shields are nested more than 47 deep on one thread
     * @throws NullPointerException if {@code block} is null
     */
    public static <T extends @Nullable Object, X extends Exception> T shield(Block<? extends T, X> block) throws X {
        Objects.requireNonNull(block, "block");
        ShieldFrame frame = ShieldFrame.enter();
        try {
            return block.run();
        } finally {
            frame.exit();
        }
    }

    /**
     * {@return a text dump of the registry, one line per scope and task, indented by nesting}
     * Each task line shows its state, where its body is running and what it waits for, or its
     * outcome, and any cancel request with its reason.
     */
    public static String dump() {
        return Registry.dump();
    }

    /**
     * {@return the registry as a tree of snapshots: every open root scope, with its tasks (each
     * with the scopes its body opened) and nested scopes} Like {@link #dump()}, it reads the stack
     * of every running task, so it costs more than {@link #all()}.
     */
    public static List<ScopeInfo> snapshot() {
        return List.copyOf(Registry.tree());
    }

    /**
     * {@return {@link #snapshot()} as JSON} {@code {"scopes":[{"id":1,"name":"...","phase":"OPEN",
     * "owner":"main","cancelReason":null,"tasks":[{"id":2,"name":"...","state":"RUNNING",
     * "runningAt":"Class.method(File.java:12)","waitingFor":"Thread.sleep","result":null,
     * "exception":null,"cancelRequests":0,"cancelReason":null,"scopes":[]}],"scopes":[]}]}};
     * a cancel reason is {@code {"kind":"DEADLINE","detail":"..."}}.
     */
    public static String dumpJson() {
        return Registry.dumpJson();
    }
}
