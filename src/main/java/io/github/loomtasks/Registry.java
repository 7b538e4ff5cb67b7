package io.github.loomtasks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The process-wide registry: the open root scopes (those opened outside any task or scope), from
 * which every open scope and its tasks are reachable. Scopes register when they open and leave
 * when they close; readers get snapshots, never the live structure.
 */
final class Registry {
    private static final Set<TaskScope<?>> ROOTS = ConcurrentHashMap.newKeySet();
    private static final Comparator<TaskScope<?>> BY_ID = Comparator.comparingLong(TaskScope::id);

    private Registry() {}

    static void addRoot(TaskScope<?> scope) {
        ROOTS.add(scope);
    }

    static void removeRoot(TaskScope<?> scope) {
        ROOTS.remove(scope);
    }

    /** Every task of every open scope, depth first: a scope's tasks in fork order. */
    static List<ForkedTask<?>> snapshot() {
        List<ForkedTask<?>> tasks = new ArrayList<>();
        for (TaskScope<?> root : roots()) {
            visit(root, 0, tasks, null);
        }
        return tasks;
    }

    /** One line per scope and task, indented by nesting. */
    static String dump() {
        StringBuilder out = new StringBuilder();
        List<TaskScope<?>> roots = roots();
        if (roots.isEmpty()) {
            return "(no open scopes)\n";
        }
        for (TaskScope<?> root : roots) {
            visit(root, 0, new ArrayList<>(), out);
        }
        return out.toString();
    }

    private static List<TaskScope<?>> roots() {
        List<TaskScope<?>> roots = new ArrayList<>(ROOTS);
        roots.sort(BY_ID);
        return roots;
    }

    private static void visit(TaskScope<?> scope, int depth, List<ForkedTask<?>> tasks, @Nullable StringBuilder out) {
        if (out != null) {
            line(out, depth).append(scope).append(" owner=").append(threadName(scope.owner())).append('\n');
        }
        int from = tasks.size();
        scope.collectTasks(tasks);
        int to = tasks.size();
        for (int i = from; i < to; i++) {
            ForkedTask<?> task = tasks.get(i);
            if (out != null) {
                line(out, depth + 1).append(task).append('\n');
            }
            visitChildren(task, depth + 2, tasks, out);
        }
        visitChildren(scope, depth + 1, tasks, out);
    }

    private static void visitChildren(Frame frame, int depth, List<ForkedTask<?>> tasks, @Nullable StringBuilder out) {
        List<TaskScope<?>> children = new ArrayList<>();
        frame.collectChildScopes(children);
        for (TaskScope<?> child : children) {
            visit(child, depth, tasks, out);
        }
    }

    private static StringBuilder line(StringBuilder out, int depth) {
        return out.append("  ".repeat(depth));
    }

    private static String threadName(Thread t) {
        String name = t.getName();
        return name.isEmpty() ? (t.isVirtual() ? "virtual#" : "thread#") + t.threadId() : name;
    }
}
