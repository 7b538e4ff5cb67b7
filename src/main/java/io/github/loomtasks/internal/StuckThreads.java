package io.github.loomtasks.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Guesses why a thread did not stop after it was interrupted, from its state and stack: the
 * sentence a shutdown report prints beside a task that outlived the grace period.
 */
public final class StuckThreads {
    /** How deep into the stack an I/O call may sit below the frames of its own stream class. */
    private static final int IO_SCAN_DEPTH = 8;

    /** The scope class, named here by string: this package names no API type. */
    private static final String SCOPE_CLASS = "io.github.loomtasks.TaskScope";

    /** Blocking calls that an interrupt does not end. */
    private static final String[] UNINTERRUPTIBLE_IO = {
        "java.io.FileInputStream.", "java.io.FileOutputStream.", "java.io.RandomAccessFile.",
        "sun.nio.ch.FileDispatcherImpl.", "sun.nio.ch.UnixFileDispatcherImpl.", "java.io.Console",
        "jdk.internal.io.JdkConsoleImpl.", "java.net.SocketInputStream.", "java.net.PlainSocketImpl.",
        "java.lang.ProcessImpl.", "java.lang.ProcessHandleImpl.waitForProcessExit",
    };

    private StuckThreads() {}

    /**
     * {@return the thread's stack, or an empty one if it cannot be read within
     * {@link StackReader#PATIENCE}} A report must never hang on a stack that does not come: the
     * read goes through {@link StackReader}, as the dumps' reads do.
     */
    public static StackTraceElement[] stackOf(Thread thread) {
        return StackReader.shared().stackOf(thread);
    }

    /**
     * {@return one sentence: the likely reason a thread in this state, with this stack, did not
     * stop when interrupted}
     *
     * @param state the thread's state ({@link Thread#getState()}; for a virtual thread on JDK 21,
     *     a mounted thread reports its carrier's state, so monitor entry shows as BLOCKED)
     * @param stack the thread's stack, innermost frame first
     */
    public static String likelyReason(Thread.State state, StackTraceElement[] stack) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stack, "stack");
        if (state == Thread.State.BLOCKED) {
            return "synchronized entry: blocked entering a synchronized block or method; an interrupt"
                    + " cannot end monitor entry, only the thread holding the monitor can";
        }
        String io = ioCall(stack);
        if (io != null) {
            return "uninterruptible I/O: blocked in " + io + "; an interrupt does not end file or console"
                    + " reads (nor java.net.Socket reads on platform threads): close the stream to unblock it";
        }
        if (closingScope(stack)) {
            return "closing a scope: it waits, as it must, for the scope's tasks to end (see those tasks)";
        }
        if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
            return "blocked again after the cancel" + where(stack) + ": the body caught the interrupt and went"
                    + " on waiting; an interrupt is delivered once, so rethrow it or restore it";
        }
        if (state == Thread.State.RUNNABLE) {
            if (stack.length > 0 && stack[0].isNativeMethod()) {
                return "native code: running in " + call(stack[0]) + ", which an interrupt cannot stop";
            }
            return "busy loop: running on the CPU" + where(stack) + " without blocking or checking for"
                    + " interrupts; call Tasks.checkpoint() or test Thread.interrupted() in the loop";
        }
        return "thread state " + state;
    }

    private static @Nullable String ioCall(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(stack.length, IO_SCAN_DEPTH); i++) {
            String frame = stack[i].getClassName() + "." + stack[i].getMethodName();
            for (String prefix : UNINTERRUPTIBLE_IO) {
                if (frame.startsWith(prefix)) {
                    return call(stack[i]);
                }
            }
        }
        return null;
    }

    private static boolean closingScope(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(stack.length, IO_SCAN_DEPTH); i++) {
            if (stack[i].getClassName().equals(SCOPE_CLASS) && stack[i].getMethodName().startsWith("close")) {
                return true;
            }
        }
        return false;
    }

    private static String where(StackTraceElement[] stack) {
        int user = StackFrames.firstUserFrame(stack);
        return user < 0 ? "" : " in " + StackFrames.describe(stack[user]);
    }

    private static String call(StackTraceElement frame) {
        String cls = frame.getClassName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + frame.getMethodName();
    }
}
