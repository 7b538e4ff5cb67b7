package io.github.loomtasks.demo.service;

import io.github.loomtasks.CancelReason;
import io.github.loomtasks.Task;
import org.jspecify.annotations.Nullable;

/**
 * How one backend call of a request ended (or stood, for a request answered while stuck).
 *
 * @param name the backend's name
 * @param state the task's state when the request was answered
 * @param cancelReason why it was asked to stop, if it was
 * @param cancelIgnored whether it answered despite the request
 * @param line the task's one-line repr, as the response shows it
 */
record TaskView(String name, Task.State state, @Nullable CancelReason cancelReason, boolean cancelIgnored, String line) {

    static TaskView of(Task<?> task) {
        return new TaskView(task.name(), task.state(), task.cancelReason().orElse(null), task.cancelIgnored(), task.toString());
    }
}
