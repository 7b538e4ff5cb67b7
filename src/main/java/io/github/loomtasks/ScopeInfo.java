package io.github.loomtasks;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one open scope and everything in it, as {@link Tasks#snapshot()} sees it.
 *
 * @param id the scope's id
 * @param name the scope's name
 * @param phase where the scope is in its life
 * @param owner the name of the thread that owns it (the task's name for a scope opened in a task)
 * @param cancelReason why the scope was cancelled, or null while it is not
 * @param tasks its tasks in fork order, finished ones included, each with the scopes it opened
 * @param scopes scopes its owner opened while it was the owner's innermost scope
 */
public record ScopeInfo(
        long id,
        String name,
        Phase phase,
        String owner,
        @Nullable CancelReason cancelReason,
        List<TaskInfo> tasks,
        List<ScopeInfo> scopes) {

    /** The life of a scope: {@code OPEN -> JOINED -> CLOSED}, or {@code OPEN -> CLOSED}. */
    public enum Phase {
        /** Tasks may be forked. */
        OPEN,
        /** {@link TaskScope#join()} returned; no more forks. */
        JOINED,
        /** {@link TaskScope#close()} returned. */
        CLOSED
    }

    /**
     * Creates a snapshot.
     *
     * @throws NullPointerException if an argument other than {@code cancelReason} is null
     */
    public ScopeInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(owner, "owner");
        tasks = List.copyOf(Objects.requireNonNull(tasks, "tasks"));
        scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
    }

    /**
     * {@return one line: {@code <TaskScope OPEN #1 'name'>}} A cancelled scope that is not yet
     * closed shows {@code CANCELLED} and its reason. {@link Tasks#dump()} adds the owner.
     */
    @Override
    public String toString() {
        boolean cancelling = cancelReason != null && phase != Phase.CLOSED;
        return "<TaskScope " + (cancelling ? "CANCELLED" : phase.name()) + " #" + id + " '" + name + "'"
                + (cancelling ? " reason=<" + cancelReason + ">" : "") + ">";
    }
}
