package io.github.loomtasks.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Policy;
import io.github.loomtasks.ScopeConfig;
import io.github.loomtasks.StuckTasksException;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import java.io.InputStream;
import java.time.Duration;
import io.github.loomtasks.testing.ThreadKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tasks that a cancel cannot stop: a busy loop, an uninterruptible read, a {@code synchronized}
 * entry. A scope with a close grace ends on time and names each one with its likely reason; the
 * tasks stay in the registry until they end, and then leave it.
 */
class StuckTasksTest {
    private static final Duration GRACE = Duration.ofMillis(300);

    /** One stuck body: how it blocks, how to release it, the reason the report must give. */
    private interface Stuck {
        Object block() throws Exception;

        void release() throws Exception;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        ThreadKinds.configs().forEach(kind -> {
            for (String what : List.of("busy loop", "uninterruptible I/O", "synchronized entry")) {
                cases.add(Arguments.of(what, kind.get()[0]));
            }
        });
        return cases.stream();
    }

    /**
     * One stuck task per scope: on a 2-core machine, a busy loop and a pinned read already occupy
     * both carriers of the virtual-thread scheduler, and a third virtual thread would never start.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void closeWithAGraceNamesTheStuckTaskAndItsLikelyReason(String reason, ScopeConfig kind) throws Exception {
        Object monitor = new Object();
        Stuck stuck = stuck(reason, monitor);
        Task<?> task;
        TaskScope<?> closed;
        synchronized (monitor) {
            var scope = TaskScope.open(Policy.awaitAll(), kind.withCloseGrace(GRACE));
            closed = scope;
            task = scope.fork("stuck", stuck::block);
            await().untilAsserted(() -> assertThat(task.toString()).contains("at StuckTasksTest"));
            assertThatThrownBy(scope::close).isInstanceOfSatisfying(StuckTasksException.class, e -> {
                assertThat(e.stuck()).containsExactly(task);
                assertThat(e.getMessage())
                        .contains("closed with 1 task still running after the close grace of PT0.3S")
                        .containsPattern("'stuck'[^\\n]*\\n\\s+likely reason: " + reason);
            });
            assertThat(Tasks.all()).contains(task);
        }
        stuck.release();
        await().until(task::isDone);
        await().untilAsserted(() -> assertThat(Tasks.all()).doesNotContain(task));
        assertThat(Tasks.snapshot()).noneMatch(s -> s.id() == closed.id());
    }

    private static Stuck stuck(String reason, Object monitor) throws Exception {
        return switch (reason) {
            case "busy loop" -> {
                var stop = new AtomicBoolean();
                yield new Stuck() {
                    @Override
                    public Object block() {
                        while (!stop.get()) {
                            Thread.onSpinWait(); // never looks at the interrupt
                        }
                        return "stopped";
                    }

                    @Override
                    public void release() {
                        stop.set(true);
                    }
                };
            }
            case "uninterruptible I/O" -> {
                Process cat = new ProcessBuilder("cat").start(); // waits for input that never comes
                yield new Stuck() {
                    @Override
                    public Object block() throws Exception {
                        try (InputStream in = cat.getInputStream()) {
                            return in.read();
                        }
                    }

                    @Override
                    public void release() throws Exception {
                        cat.getOutputStream().close(); // cat exits; the read returns -1
                        cat.waitFor();
                    }
                };
            }
            default -> new Stuck() {
                @Override
                public Object block() {
                    synchronized (monitor) { // the test thread holds it until release
                        return "entered";
                    }
                }

                @Override
                public void release() {
                    // leaving the test's synchronized block released the monitor
                }
            };
        };
    }

    @Test
    void withoutStuckTasksACloseWithAGraceIsAnOrdinaryClose() throws Exception {
        Task<String> sleeper;
        try (var scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withCloseGrace(GRACE))) {
            sleeper = scope.fork(() -> io.github.loomtasks.testing.Bodies.sleepForever());
            await().until(() -> sleeper.state() == Task.State.RUNNING);
        }
        assertThat(sleeper.state()).isEqualTo(Task.State.CANCELLED);
        assertThat(Tasks.all()).doesNotContain(sleeper);
    }

    @Test
    void aNegativeGraceIsRejected() {
        assertThatThrownBy(() -> ScopeConfig.defaults().withCloseGrace(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
    }
}
