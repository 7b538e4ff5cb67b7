package io.github.loomtasks.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A volatile reference that some threads write often, kept on cache lines of its own for the
 * same reason as {@link PaddedInt}: the middle element of an array with at least 128 bytes on
 * either side (32 references of 4 bytes with compressed pointers, of 8 without). A scope's newest
 * task, which every fork replaces, is one.
 *
 * @param <T> the type of the value
 */
public final class PaddedReference<T extends @Nullable Object> {
    private static final int PAD = 32;

    private final @Nullable Object[] cells = new Object[2 * PAD + 1];

    /** {@return the value, with volatile semantics; null until the first set} */
    @SuppressWarnings("unchecked")
    public @Nullable T get() {
        return (T) CELLS.getVolatile(cells, PAD);
    }

    /**
     * Sets the value to {@code update} if it is {@code expected}, atomically, with volatile
     * semantics.
     *
     * @return whether it was set
     */
    public boolean compareAndSet(@Nullable T expected, T update) {
        return CELLS.compareAndSet(cells, PAD, (Object) expected, (Object) update);
    }

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(Object[].class);
}
