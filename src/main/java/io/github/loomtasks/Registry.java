package io.github.loomtasks;

import io.github.loomtasks.internal.Json;
import io.github.loomtasks.internal.StackReader;
import org.jspecify.annotations.Nullable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    /** Every task of every open scope, depth first, each scope's tasks in fork order; no stacks. */
    static List<ForkedTask<?>> tasks() {
        List<ForkedTask<?>> tasks = new ArrayList<>();
        for (TaskScope<?> root : roots()) {
            collect(root, tasks);
        }
        return tasks;
    }

    private static void collect(TaskScope<?> scope, List<ForkedTask<?>> into) {
        int from = into.size();
        scope.collectTasks(into);
        int to = into.size();
        for (int i = from; i < to; i++) {
            for (TaskScope<?> child : children(into.get(i))) {
                collect(child, into);
            }
        }
        for (TaskScope<?> child : children(scope)) {
            collect(child, into);
        }
    }

    /**
     * The open scopes as a tree of snapshots, with where each running task is. The stacks of the
     * running tasks are read as one batch, by the stack reader, which gives up those that do not
     * come in time.
     */
    static List<ScopeInfo> tree() {
        return StackReader.shared().prefetching(runningThreads(), () -> {
            List<ScopeInfo> tree = new ArrayList<>();
            for (TaskScope<?> root : roots()) {
                tree.add(info(root));
            }
            return tree;
        });
    }

    private static List<Thread> runningThreads() {
        List<Thread> threads = new ArrayList<>();
        for (ForkedTask<?> task : tasks()) {
            Thread t = task.thread(); // null once the task has ended
            if (t != null && task.state() == Task.State.RUNNING) {
                threads.add(t);
            }
        }
        return threads;
    }

    private static ScopeInfo info(TaskScope<?> scope) {
        List<ForkedTask<?>> tasks = new ArrayList<>();
        scope.collectTasks(tasks);
        List<TaskInfo> infos = new ArrayList<>(tasks.size());
        for (ForkedTask<?> task : tasks) {
            infos.add(task.info(infos(children(task))));
        }
        return scope.info(threadName(scope.owner()), infos, infos(children(scope)));
    }

    private static List<ScopeInfo> infos(List<TaskScope<?>> scopes) {
        List<ScopeInfo> list = new ArrayList<>(scopes.size());
        for (TaskScope<?> s : scopes) {
            list.add(info(s));
        }
        return list;
    }

    /** The scopes opened in a frame, looking into deadline and shield blocks, in opening order. */
    private static List<TaskScope<?>> children(Frame frame) {
        List<TaskScope<?>> children = new ArrayList<>();
        frame.collectChildScopes(children);
        return children;
    }

    private static List<TaskScope<?>> roots() {
        List<TaskScope<?>> roots = new ArrayList<>(ROOTS);
        roots.sort(BY_ID);
        return roots;
    }

    /** One line per scope and task, indented by nesting. */
    static String dump() {
        List<ScopeInfo> tree = tree();
        if (tree.isEmpty()) {
            return "(no open scopes)\n";
        }
        StringBuilder out = new StringBuilder();
        for (ScopeInfo scope : tree) {
            text(out, scope, 0);
        }
        return out.toString();
    }

    private static void text(StringBuilder out, ScopeInfo scope, int depth) {
        indent(out, depth).append(scope).append(" owner=").append(scope.owner()).append('\n');
        for (TaskInfo task : scope.tasks()) {
            indent(out, depth + 1).append(task).append('\n');
            for (ScopeInfo child : task.scopes()) {
                text(out, child, depth + 2);
            }
        }
        for (ScopeInfo child : scope.scopes()) {
            text(out, child, depth + 1);
        }
    }

    private static StringBuilder indent(StringBuilder out, int depth) {
        return out.append("  ".repeat(depth));
    }

    /** The tree as JSON: {@code {"scopes":[...]}}. */
    static String dumpJson() {
        StringBuilder out = new StringBuilder("{\"scopes\":");
        scopesJson(out, tree());
        return out.append('}').toString();
    }

    private static void scopesJson(StringBuilder out, List<ScopeInfo> scopes) {
        out.append('[');
        for (int i = 0; i < scopes.size(); i++) {
            ScopeInfo s = scopes.get(i);
            out.append(i == 0 ? "{" : ",{");
            Json.key(out, "id").append(s.id()).append(',');
            Json.string(Json.key(out, "name"), s.name()).append(',');
            Json.string(Json.key(out, "phase"), s.phase()).append(',');
            Json.string(Json.key(out, "owner"), s.owner()).append(',');
            reasonJson(Json.key(out, "cancelReason"), s.cancelReason()).append(',');
            Json.key(out, "tasks").append('[');
            for (int j = 0; j < s.tasks().size(); j++) {
                taskJson(out.append(j == 0 ? "" : ","), s.tasks().get(j));
            }
            Json.key(out.append("],"), "scopes");
            scopesJson(out, s.scopes());
            out.append('}');
        }
        out.append(']');
    }

    private static void taskJson(StringBuilder out, TaskInfo t) {
        out.append('{');
        Json.key(out, "id").append(t.id()).append(',');
        Json.string(Json.key(out, "name"), t.name()).append(',');
        Json.string(Json.key(out, "state"), t.state()).append(',');
        Json.string(Json.key(out, "runningAt"), t.runningAt()).append(',');
        Json.string(Json.key(out, "waitingFor"), t.waitingFor()).append(',');
        Json.string(Json.key(out, "result"), t.result()).append(',');
        Json.string(Json.key(out, "exception"), t.exception()).append(',');
        Json.key(out, "cancelRequests").append(t.cancelRequests()).append(',');
        reasonJson(Json.key(out, "cancelReason"), t.cancelReason()).append(',');
        Json.key(out, "scopes");
        scopesJson(out, t.scopes());
        out.append('}');
    }

    private static StringBuilder reasonJson(StringBuilder out, @Nullable CancelReason r) {
        if (r == null) {
            return out.append("null");
        }
        Json.string(Json.key(out.append('{'), "kind"), r.kind()).append(',');
        return Json.string(Json.key(out, "detail"), r.detail()).append('}');
    }

    static String threadName(Thread t) {
        String name = t.getName();
        return name.isEmpty() ? (t.isVirtual() ? "virtual#" : "thread#") + t.threadId() : name;
    }
}
