package io.github.loomtasks;

import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/** Stops at the first task that succeeds and returns its result. */
final class FirstSuccessPolicy<T extends @Nullable Object> implements Policy<T> {
    private final AtomicReference<@Nullable Task<?>> winner = new AtomicReference<>();
    private final ConcurrentLinkedQueue<Task<?>> failed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean anyCompleted = new AtomicBoolean();

    @Override
    public boolean onComplete(Task<?> task) {
        Objects.requireNonNull(task, "task");
        anyCompleted.set(true);
        if (Failures.failed(task)) {
            failed.add(task);
            return false;
        }
        return task.state() == Task.State.DONE && winner.compareAndSet(null, task);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T result() {
        Task<?> w = winner.get();
        if (w != null) {
            return (T) w.resultNow();
        }
        if (!failed.isEmpty()) {
            throw Failures.of("no task of the scope succeeded", failed);
        }
        if (anyCompleted.get()) {
            throw new CancellationException("no task of the scope succeeded: every task was cancelled");
        }
        throw new NoSuchElementException("no task was forked into the scope: fork at least one before join()");
    }

    @Override
    public String toString() {
        return "Policy.firstSuccess()";
    }
}
