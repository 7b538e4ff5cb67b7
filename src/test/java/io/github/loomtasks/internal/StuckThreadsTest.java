package io.github.loomtasks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StuckThreadsTest {

    private static StackTraceElement frame(String cls, String method, boolean nativeMethod) {
        return new StackTraceElement(cls, method, nativeMethod ? null : cls.substring(cls.lastIndexOf('.') + 1) + ".java",
                nativeMethod ? -2 : 10);
    }

    private static final StackTraceElement USER = frame("com.example.Worker", "loop", false);

    @Test
    void blockedIsSynchronizedEntry() {
        assertThat(StuckThreads.likelyReason(Thread.State.BLOCKED, new StackTraceElement[] {USER}))
                .startsWith("synchronized entry:");
    }

    @Test
    void aFileReadIsUninterruptibleIo() {
        StackTraceElement[] stack = {
            frame("java.io.FileInputStream", "readBytes", true), frame("java.io.FileInputStream", "read", false), USER};
        assertThat(StuckThreads.likelyReason(Thread.State.RUNNABLE, stack))
                .startsWith("uninterruptible I/O: blocked in FileInputStream.readBytes");
    }

    @Test
    void runnableUserCodeIsABusyLoop() {
        assertThat(StuckThreads.likelyReason(Thread.State.RUNNABLE, new StackTraceElement[] {USER}))
                .startsWith("busy loop: running on the CPU in Worker.loop(Worker.java:10)");
    }

    @Test
    void otherNativeCodeIsNamed() {
        StackTraceElement[] stack = {frame("com.example.Native", "compute", true), USER};
        assertThat(StuckThreads.likelyReason(Thread.State.RUNNABLE, stack)).startsWith("native code: running in Native.compute");
    }

    @Test
    void parkedAfterTheCancelSwallowedTheInterrupt() {
        StackTraceElement[] stack = {frame("java.lang.Thread", "sleep", false), USER};
        assertThat(StuckThreads.likelyReason(Thread.State.TIMED_WAITING, stack))
                .startsWith("blocked again after the cancel in Worker.loop");
    }

    @Test
    void closingAScopeWaitsForItsTasks() {
        StackTraceElement[] stack = {
            frame("java.util.concurrent.locks.LockSupport", "park", false),
            frame("io.github.loomtasks.TaskScope", "closeAbandoned", false), USER};
        assertThat(StuckThreads.likelyReason(Thread.State.WAITING, stack)).startsWith("closing a scope");
    }

    @Test
    void aRealThreadBlockedOnAMonitor() throws Exception {
        Object lock = new Object();
        Thread blocked;
        synchronized (lock) {
            blocked = Thread.ofPlatform().start(() -> {
                synchronized (lock) {
                    lock.notifyAll();
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> blocked.getState() == Thread.State.BLOCKED);
            assertThat(StuckThreads.likelyReason(blocked.getState(), blocked.getStackTrace())).startsWith("synchronized entry");
        }
        blocked.join();
    }
}
