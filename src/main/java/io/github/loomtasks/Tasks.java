package io.github.loomtasks;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * Static entry points, like the functions of Python's {@code asyncio} module: the registry of
 * tasks, the current task, and cancellation checkpoints.
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
