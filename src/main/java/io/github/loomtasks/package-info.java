/**
 * loomtasks: asyncio's task control on virtual threads.
 *
 * <p>Every unit of work is a {@link io.github.loomtasks.Task} running on its own virtual thread
 * inside a {@link io.github.loomtasks.TaskScope}. A task has a visible state ({@code PENDING},
 * {@code RUNNING}, {@code DONE}, {@code CANCELLED}), can be cancelled with asyncio's meaning,
 * and is listed by {@link io.github.loomtasks.Tasks#all()} while its scope is open.
 *
 * <p>Null rule for the whole package: no parameter accepts {@code null} unless it is annotated
 * {@code @Nullable}; a {@code null} argument throws {@link java.lang.NullPointerException} with a
 * message that names the argument.
 */
@NullMarked
package io.github.loomtasks;

import org.jspecify.annotations.NullMarked;
