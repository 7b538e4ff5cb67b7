package io.github.loomtasks;

import java.util.concurrent.Callable;

/**
 * Lets jcstress actors drive the state core without starting a thread per trial.
 *
 * <p>A scope opened here makes its task threads with {@link DrivenThread}: {@code fork} links,
 * counts and "starts" the task exactly as in production, but the start only records that it
 * happened; the task's thread side ({@link ForkedTask#runLifecycle()}: the start CAS, the body,
 * completion, the scope's bookkeeping) then runs on the actor that plays the task's thread. A
 * cancel interrupts the unstarted thread object, never a jcstress thread, so only the state core
 * is under test here; the delivery of the interrupt is covered by the JUnit tests with real threads.
 */
final class Driven {
    private Driven() {}

    /**
     * Opens a scope owned by the calling thread (the one that builds the jcstress state) and leaves
     * that thread's frame as it was, so that the next state's scope is a root again rather than a
     * child of this one. {@link #close} later closes it from whichever thread runs the arbiter.
     */
    static TaskScope<?> openScope() {
        if (Frame.current() != null) {
            throw new IllegalStateException("a jcstress thread has a loomtasks frame: " + Frame.current());
        }
        TaskScope<?> scope = TaskScope.open(Policy.awaitAll(),
                ScopeConfig.defaults().withName("jcstress").withThreadFactory(DrivenThread::new));
        Frame.setCurrent(null);
        return scope;
    }

    /** Forks from the owner, as {@link TaskScope#fork(String, Callable)} does. */
    static <T> ForkedTask<T> fork(TaskScope<?> scope, String name, Callable<T> body) {
        return (ForkedTask<T>) scope.fork(name, body);
    }

    /** What the task's thread does once started: runs the lifecycle; nothing if it was never started. */
    static void runThreadSide(ForkedTask<?> task) {
        if (task.thread() instanceof DrivenThread t && t.started) {
            task.runLifecycle();
        }
    }

    /** {@return whether fork started the task's thread (false: it was born cancelled, or failed)} */
    static boolean started(ForkedTask<?> task) {
        // a task born cancelled lets go of its never-started thread
        return task.thread() instanceof DrivenThread t && t.started;
    }

    /**
     * Closes the scope after the trial, from the arbiter's thread: the close path without the
     * owner check (every task's thread side has run by then, so it does not wait).
     */
    static void close(TaskScope<?> scope) {
        scope.closeAbandoned();
    }

    /** An unstarted platform thread whose start() only records the call. */
    static final class DrivenThread extends Thread {
        /** Written by fork and read by the actor that drives the task, or by the arbiter, after it. */
        boolean started;

        DrivenThread(Runnable task) {
            super(task, "driven");
        }

        @Override
        public void start() {
            started = true;
        }
    }
}
