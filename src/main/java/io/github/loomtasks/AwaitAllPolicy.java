package io.github.loomtasks;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/** Waits for all tasks; optionally cancels the rest at the first failure and reports it. */
final class AwaitAllPolicy implements Policy<@Nullable Void> {
    private final boolean cancelOnFailure;
    /** Failures in completion order: the first is the cause, later ones are suppressed. */
    private final ConcurrentLinkedQueue<Task<?>> failed = new ConcurrentLinkedQueue<>();

    AwaitAllPolicy(boolean cancelOnFailure) {
        this.cancelOnFailure = cancelOnFailure;
    }

    @Override
    public boolean onComplete(Task<?> task) {
        Objects.requireNonNull(task, "task");
        if (!cancelOnFailure || !Failures.failed(task)) {
            return false;
        }
        failed.add(task);
        return true;
    }

    @Override
    public @Nullable Void result() {
        if (!failed.isEmpty()) {
            throw Failures.of("a task of the scope failed", failed);
        }
        return null;
    }

    @Override
    public String toString() {
        return cancelOnFailure ? "Policy.cancelOnFailure()" : "Policy.awaitAll()";
    }
}
