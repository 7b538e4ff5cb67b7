package io.github.loomtasks;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one task, as {@link Tasks#snapshot()} and {@link Task#toString()} see it: the
 * structured form of asyncio's task repr.
 *
 * @param id the task's id
 * @param name the task's name
 * @param state the task's state when the snapshot was taken
 * @param runningAt for a running task, where its body is running: the first stack frame outside
 *     the JDK and loomtasks, as {@code Class.method(File.java:line)}; or, when its stack could not be
 *     read in time, a text in parentheses that begins {@code (location unavailable}
 * @param waitingFor for a running task, what it waits in or for: {@code Thread.sleep},
 *     {@code TaskScope.join}, or {@code <Task #3 'name'>} when it joins another task
 * @param result for a task {@code DONE} with a result, the result's text (abbreviated)
 * @param exception for a task {@code DONE} with an exception, {@code Type('message')}
 * @param cancelRequests how many cancel requests the task accepted
 * @param cancelReason the first accepted request's reason
 * @param scopes the scopes the task's body has open, in opening order (empty when not asked for)
 */
public record TaskInfo(
        long id,
        String name,
        Task.State state,
        @Nullable String runningAt,
        @Nullable String waitingFor,
        @Nullable String result,
        @Nullable String exception,
        int cancelRequests,
        @Nullable CancelReason cancelReason,
        List<ScopeInfo> scopes) {

    /**
     * Creates a snapshot.
     *
     * @throws NullPointerException if {@code name}, {@code state} or {@code scopes} is null
     */
    public TaskInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
    }

    /** {@return whether the task finished despite a cancel request (asyncio's rule)} */
    public boolean cancelIgnored() {
        return state == Task.State.DONE && cancelRequests > 0;
    }

    /**
     * {@return the asyncio-like repr, one line} For example
     * {@code <Task RUNNING #3 'do_work(2)' at Tutorial.doWork(Tutorial.java:41) wait_for=Thread.sleep>}.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("<Task ").append(state).append(" #").append(id)
                .append(" '").append(name).append('\'');
        if (runningAt != null) {
            b.append(" at ").append(runningAt);
        }
        if (waitingFor != null) {
            b.append(" wait_for=").append(waitingFor);
        }
        if (result != null) {
            b.append(" result=").append(result);
        }
        if (exception != null) {
            b.append(" exception=").append(exception);
        }
        if (cancelRequests > 0) {
            switch (state) {
                case CANCELLED -> b.append(" reason=<").append(cancelReason).append('>');
                case DONE -> b.append(" ignored_cancel=<").append(cancelReason).append('>');
                default -> b.append(" cancelling=").append(cancelRequests)
                        .append(" reason=<").append(cancelReason).append('>');
            }
        }
        return b.append('>').toString();
    }
}
