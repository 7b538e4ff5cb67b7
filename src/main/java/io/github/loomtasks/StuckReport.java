package io.github.loomtasks;

import io.github.loomtasks.internal.StuckThreads;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The report a {@link Runner} writes when the grace period passes with tasks still running: each
 * task by name, with its stack and the likely reason it could not stop.
 */
final class StuckReport {
    /** Enough frames to see the loop or the call; a stuck task's full stack is rarely needed. */
    private static final int MAX_FRAMES = 12;

    private StuckReport() {}

    /**
     * Writes the report.
     *
     * @param work the thread of flat main work that has not returned, or null
     */
    static void write(PrintStream out, ShutdownSignal signal, Duration grace, @Nullable Thread work, int status) {
        List<ForkedTask<?>> stuck = Registry.tasks().stream().filter(t -> !t.isDone()).toList();
        StringBuilder b = new StringBuilder();
        b.append("loomtasks: shutdown after ").append(signal).append(" did not finish within the grace period of ")
                .append(seconds(grace)).append(": ").append(stuck.size())
                .append(stuck.size() == 1 ? " task is" : " tasks are").append(" still running\n");
        for (ForkedTask<?> task : stuck) {
            describe(b, task);
        }
        if (work != null && work.isAlive()) {
            Thread.State state = work.getState();
            StackTraceElement[] stack = StuckThreads.stackOf(work);
            b.append("  main work on thread '").append(work.getName()).append("' has not returned\n");
            b.append("    likely reason: ").append(StuckThreads.likelyReason(state, stack)).append('\n');
            b.append("    thread ").append(state).append('\n');
            frames(b, stack);
        }
        b.append("loomtasks: exiting with status ").append(status).append(" without waiting for ")
                .append(stuck.size() == 1 ? "it" : "them").append('\n');
        out.print(b);
    }

    /** Appends the task, its likely reason and its stack: shared with a scope's stuck close. */
    static void describe(StringBuilder b, ForkedTask<?> task) {
        Thread thread = task.thread();
        if (thread == null) {
            b.append("  ").append(task).append("\n    (it ended while this report was written)\n");
            return;
        }
        // state first, stack second: a thread that moves on between the two reads is not stuck
        Thread.State state = thread.getState();
        StackTraceElement[] stack = StuckThreads.stackOf(thread);
        b.append("  ").append(task).append('\n');
        b.append("    likely reason: ").append(StuckThreads.likelyReason(state, stack)).append('\n');
        b.append("    thread ").append(thread.isVirtual() ? "(virtual) " : "").append(state).append('\n');
        frames(b, stack);
    }

    private static void frames(StringBuilder b, StackTraceElement[] stack) {
        if (stack.length == 0) {
            b.append("      (stack unavailable: it could not be read in time)\n");
            return;
        }
        int shown = Math.min(stack.length, MAX_FRAMES);
        for (int i = 0; i < shown; i++) {
            b.append("      at ").append(stack[i]).append('\n');
        }
        if (stack.length > shown) {
            b.append("      ... ").append(stack.length - shown).append(" more\n");
        }
    }

    /** {@return the duration in seconds, such as {@code 1.5s}} */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString() + "s";
    }
}
