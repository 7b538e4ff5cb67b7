package io.github.loomtasks.functional;

import static io.github.loomtasks.testing.Bodies.signalThenSleepForever;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.CancelReason;
import io.github.loomtasks.Policy;
import io.github.loomtasks.ScopeInfo;
import io.github.loomtasks.TaskInfo;
import io.github.loomtasks.ScopeConfig;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The contract's section "Registry": all_tasks(), where each task runs, the tree dump, no leaks.
 * Lives outside the library's package so that its frames count as user code.
 */
class RegistryTest {

    @Test
    void anOpenScopeListsItsFinishedTasksUntilItCloses() throws Exception {
        List<Task<?>> mine = new ArrayList<>();
        try (var scope = TaskScope.open()) {
            var started = new CountDownLatch(2);
            Task<String> done = scope.fork("do_work(1)", () -> "DONE AFTER 1S");
            done.join();
            mine.add(done);
            mine.add(scope.fork("do_work(2)", () -> signalThenSleepForever(started)));
            mine.add(scope.fork("do_work(4)", () -> signalThenSleepForever(started)));
            started.await();
            assertThat(Tasks.all()).containsSubsequence(mine);
            assertThat(scope.tasks()).containsExactlyElementsOf(mine);
            List<Boolean> cancelled = Tasks.all().stream().filter(mine::contains).map(Task::cancel).toList();
            assertThat(cancelled).containsExactly(false, true, true);
        }
        assertThat(Tasks.all()).doesNotContainAnyElementsOf(mine);
    }

    @Test
    void aRunningTaskShowsWhereItRunsAndWhatItWaitsFor() throws Exception {
        try (var scope = TaskScope.open()) {
            var started = new CountDownLatch(1);
            Task<String> sleeper = scope.fork("sleeper", () -> signalThenSleepForever(started));
            started.await();
            await().untilAsserted(() -> assertThat(sleeper.toString())
                    .matches("<Task RUNNING #\\d+ 'sleeper' at Bodies\\.sleepForever\\(Bodies\\.java:\\d+\\)"
                            + " wait_for=Thread\\.sleep>"));
            Task<String> joiner = scope.fork("joiner", () -> sleeper.join());
            await().untilAsserted(() -> assertThat(joiner.toString())
                    .contains("at RegistryTest.lambda$")
                    .contains("wait_for=<Task #" + sleeper.id() + " 'sleeper'>"));
            sleeper.cancel();
            await().until(joiner::isDone);
            assertThat(sleeper.toString()).matches("<Task CANCELLED #\\d+ 'sleeper' reason=<cancel\\(\\) called>>");
        }
    }

    @Test
    void theDumpIsATreeByScope() throws Exception {
        var inner = new CountDownLatch(1);
        var innerScope = new AtomicReference<TaskScope<?>>();
        try (var scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withName("outer"))) {
            Task<String> main = scope.fork("main", () -> {
                try (var s = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withName("inner"))) {
                    innerScope.set(s);
                    s.fork("child", () -> signalThenSleepForever(inner));
                    s.join();
                    return "joined";
                }
            });
            inner.await();
            await().untilAsserted(() -> {
                List<String> mine = Tasks.dump().lines()
                        .dropWhile(l -> !l.contains("'outer'"))
                        .takeWhile(l -> !l.startsWith("<TaskScope") || l.contains("'outer'"))
                        .toList();
                assertThat(mine).hasSize(4);
                assertThat(mine.get(0)).startsWith("<TaskScope OPEN #").contains("'outer'> owner=");
                assertThat(mine.get(1)).startsWith("  <Task RUNNING #" + main.id() + " 'main'")
                        .contains("wait_for=TaskScope.join");
                assertThat(mine.get(2)).startsWith("    <TaskScope OPEN #" + innerScope.get().id() + " 'inner'> owner=main");
                assertThat(mine.get(3)).startsWith("      <Task RUNNING #").contains("'child'", "wait_for=Thread.sleep");
            });
            main.cancel();
        }
    }

    @Test
    void snapshotsAreSafeWhileOtherThreadsForkAndClose() throws Exception {
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var failure = new AtomicReference<Throwable>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                while (!stop.get()) {
                    for (Task<?> t : Tasks.all()) {
                        assertThat(t.name()).isNotNull();
                    }
                    assertThat(Tasks.dump()).isNotNull();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        for (int round = 0; round < 200; round++) {
            try (var scope = TaskScope.open()) {
                for (int i = 0; i < 20; i++) {
                    scope.fork(() -> Thread.currentThread().getName());
                }
                scope.join();
            }
        }
        stop.set(true);
        reader.join();
        assertThat(failure.get()).isNull();
    }

    @Test
    void theSnapshotIsTheSameTreeAsStructuredRecords() throws Exception {
        var childStarted = new CountDownLatch(1);
        try (var scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withName("snap-outer"))) {
            Task<String> done = scope.fork("done", () -> "ok");
            done.join();
            Task<String> main = scope.fork("main", () -> {
                try (var s = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withName("snap-inner"))) {
                    s.fork("child", () -> signalThenSleepForever(childStarted));
                    s.join();
                    return "joined";
                }
            });
            childStarted.await();
            String owner = Thread.currentThread().getName();
            await().untilAsserted(() -> {
                ScopeInfo outer = Tasks.snapshot().stream().filter(i -> i.name().equals("snap-outer")).findFirst()
                        .orElseThrow();
                assertThat(outer.phase()).isEqualTo(ScopeInfo.Phase.OPEN);
                assertThat(outer.owner()).isEqualTo(owner);
                assertThat(outer.tasks()).extracting(TaskInfo::name).containsExactly("done", "main");
                TaskInfo doneInfo = outer.tasks().get(0);
                assertThat(doneInfo.state()).isEqualTo(Task.State.DONE);
                assertThat(doneInfo.result()).isEqualTo("'ok'");
                TaskInfo mainInfo = outer.tasks().get(1);
                assertThat(mainInfo.waitingFor()).isEqualTo("TaskScope.join");
                assertThat(mainInfo.runningAt()).startsWith("RegistryTest.lambda$");
                ScopeInfo inner = mainInfo.scopes().get(0);
                assertThat(inner.name()).isEqualTo("snap-inner");
                assertThat(inner.owner()).isEqualTo("main");
                assertThat(inner.tasks()).singleElement().satisfies(child -> {
                    assertThat(child.state()).isEqualTo(Task.State.RUNNING);
                    assertThat(child.waitingFor()).isEqualTo("Thread.sleep");
                });
            });
            main.cancel(CancelReason.requested("a \"quoted\" reason"));
            await().until(main::isDone);
            String json = Tasks.dumpJson();
            assertThat(json).startsWith("{\"scopes\":[")
                    .contains("\"name\":\"snap-outer\",\"phase\":\"OPEN\"")
                    .contains("\"name\":\"done\",\"state\":\"DONE\",\"runningAt\":null,\"waitingFor\":null,"
                            + "\"result\":\"'ok'\"")
                    .contains("\"cancelReason\":{\"kind\":\"REQUESTED\",\"detail\":\"a \\\"quoted\\\" reason\"}");
            assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
        }
    }
}
