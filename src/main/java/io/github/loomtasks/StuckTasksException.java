package io.github.loomtasks;

import java.util.List;

/**
 * Thrown by {@link TaskScope#close()} of a scope configured with
 * {@link ScopeConfig#withCloseGrace(java.time.Duration)} when tasks are still running after the grace
 * period: they ignored the cancel or cannot be interrupted. The message names each one with the
 * likely reason (a busy loop, uninterruptible I/O, a {@code synchronized} entry) and its stack.
 * The tasks stay in the registry, under their closed scope, until they end.
 */
public final class StuckTasksException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Not serialized: tasks are live objects. */
    private final transient List<Task<?>> stuck;

    StuckTasksException(String message, List<Task<?>> stuck) {
        super(message);
        this.stuck = List.copyOf(stuck);
    }

    /** {@return the tasks that were still running when the grace period passed} */
    public List<Task<?>> stuck() {
        return stuck;
    }
}
