package io.github.loomtasks;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Tasks#wait} returns: asyncio's {@code (done, pending)} pair. Both lists keep the
 * order in which the tasks were passed (each task once), so results can be read without sorting.
 * A task is in {@code done} if it was terminal when the wait returned.
 *
 * @param done the tasks that were {@code DONE} or {@code CANCELLED}
 * @param pending the others
 * @param <T> the type of the tasks passed
 */
public record WaitResult<T extends Task<?>>(List<T> done, List<T> pending) {

    /**
     * Creates a result; the lists are copied.
     *
     * @throws NullPointerException if a list or an element is null
     */
    public WaitResult {
        done = List.copyOf(Objects.requireNonNull(done, "done"));
        pending = List.copyOf(Objects.requireNonNull(pending, "pending"));
    }
}
