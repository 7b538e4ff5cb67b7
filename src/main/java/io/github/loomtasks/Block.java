package io.github.loomtasks;

import org.jspecify.annotations.Nullable;

/**
 * A block of code run by {@link Tasks#withTimeout} or {@link Tasks#shield}: a
 * {@link java.util.concurrent.Callable} that declares exactly what it throws, so that those calls
 * declare the same and nothing more.
 *
 * @param <T> the block's result
 * @param <X> the checked exception the block throws; {@link RuntimeException} for none
 */
@FunctionalInterface
public interface Block<T extends @Nullable Object, X extends Exception> {

    /**
     * Runs the block.
     *
     * @return the block's result
     * @throws X as the block decides
     */
    T run() throws X;
}
