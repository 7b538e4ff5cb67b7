package io.github.loomtasks.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A volatile {@code int} that some threads write often, kept on cache lines of its own so that
 * those writes do not slow down the threads that read or write the objects around it (false
 * sharing). It is the middle element of an array with 128 bytes on either side, the padding of
 * the JDK's {@code @Contended}, which a library cannot use; an array, unlike a class's fields,
 * has a layout that the JVM cannot reorder. A scope's count of ended tasks is one
 * (docs/performance.md, "The owner's forks and the tasks' ends shared cache lines").
 */
public final class PaddedInt {
    private static final int PAD = 32; // ints: 128 bytes

    private final int[] cells = new int[2 * PAD + 1];

    /** {@return the value, with volatile semantics} */
    public int get() {
        return (int) CELLS.getVolatile(cells, PAD);
    }

    /** Adds one, atomically; {@return the new value} */
    public int incrementAndGet() {
        return (int) CELLS.getAndAdd(cells, PAD, 1) + 1;
    }

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(int[].class);
}
