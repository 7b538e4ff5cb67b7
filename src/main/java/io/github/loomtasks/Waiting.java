package io.github.loomtasks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * {@link Tasks#wait}: one listener per task counts down; the waiting thread parks until the
 * listener that satisfies the condition unparks it. No polling, and nothing that every task
 * shares but the counter.
 */
final class Waiting {
    private final Thread waiter = Thread.currentThread();
    private final ReturnWhen when;
    private final AtomicInteger remaining;
    private volatile boolean satisfied;

    private Waiting(ReturnWhen when, int count) {
        this.when = when;
        this.remaining = new AtomicInteger(count);
    }

    static <T extends Task<?>> WaitResult<T> wait(Collection<? extends T> tasks, long nanos, boolean timed,
            ReturnWhen when) throws InterruptedException {
        Objects.requireNonNull(when, "when");
        List<T> list = distinct(tasks);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("tasks is empty: pass at least one task to wait for");
        }
        Awaitable[] hooks = hooks(list);
        Frame.throwIfCancelled();
        Waiting w = new Waiting(when, list.size());
        @Nullable Object[] handles = new @Nullable Object[hooks.length];
        try {
            for (int i = 0; i < hooks.length && !w.satisfied; i++) {
                Task<?> task = list.get(i);
                handles[i] = hooks[i].whenDone(() -> w.taskDone(task));
            }
            w.await(nanos, timed);
            Frame.throwIfCancelled(); // the caller's cancel may have ended the tasks first
        } finally {
            for (int i = 0; i < hooks.length; i++) {
                Object h = handles[i];
                if (h != null) {
                    hooks[i].forget(h);
                }
            }
        }
        List<T> done = new ArrayList<>();
        List<T> pending = new ArrayList<>();
        for (T t : list) {
            (t.isDone() ? done : pending).add(t);
        }
        return new WaitResult<>(done, pending);
    }

    /** Each task once, in the order given; rejects nulls, foreign tasks and the caller's own task. */
    static <T extends Task<?>> List<T> distinct(Collection<? extends T> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        LinkedHashSet<T> set = new LinkedHashSet<>();
        ForkedTask<?> self = Frame.currentTask();
        for (T t : tasks) {
            Objects.requireNonNull(t, "tasks contains null");
            if (t == self) {
                throw new IllegalArgumentException(t + " is the current task: a task cannot wait for itself");
            }
            set.add(t);
        }
        return new ArrayList<>(set);
    }

    static Awaitable[] hooks(List<? extends Task<?>> tasks) {
        Awaitable[] hooks = new Awaitable[tasks.size()];
        for (int i = 0; i < hooks.length; i++) {
            hooks[i] = Awaitable.of(tasks.get(i));
        }
        return hooks;
    }

    private void taskDone(Task<?> task) {
        int left = remaining.decrementAndGet();
        boolean met = switch (when) {
            case FIRST_COMPLETED -> true;
            case FIRST_EXCEPTION -> left == 0 || Failures.failed(task);
            case ALL_COMPLETED -> left == 0;
        };
        if (met && !satisfied) {
            satisfied = true;
            LockSupport.unpark(waiter);
        }
    }

    private void await(long nanos, boolean timed) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (!satisfied) {
            if (timed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, left);
            } else {
                LockSupport.park(this);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
