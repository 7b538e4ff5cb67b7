package io.github.loomtasks.testing;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Thread dumps for a test that waited in vain: what every thread of the test JVM was doing. */
public final class ThreadDumps {
    /** JDK 21 reads an unmounted runnable virtual thread's stack only once it gets a carrier. */
    private static final long JVM_DUMP_PATIENCE_SECONDS = 10;

    private ThreadDumps() {}

    /**
     * {@return the JVM's dump of every thread, virtual ones included} If that does not come in
     * time (a virtual thread that never gets a carrier), the platform threads' stacks instead.
     */
    public static String all() {
        FutureTask<String> dump = new FutureTask<>(ThreadDumps::jvmDump);
        Thread.ofPlatform().daemon().name("test-thread-dump").start(dump);
        try {
            return dump.get(JVM_DUMP_PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(thread dump interrupted)\n";
        } catch (ExecutionException | TimeoutException e) {
            return "(no dump of all threads: " + e + "); the platform threads:\n" + platformThreads();
        }
    }

    private static String jvmDump() throws IOException {
        Path dir = Files.createTempDirectory("loomtasks-threads");
        Path file = dir.resolve("threads.txt");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            return Files.readString(file, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** Every frame: ThreadInfo.toString() stops at eight. */
    private static String platformThreads() {
        StringBuilder b = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            b.append('"').append(info.getThreadName()).append("\" #").append(info.getThreadId()).append(' ')
                    .append(info.getThreadState());
            if (info.getLockName() != null) {
                b.append(" on ").append(info.getLockName()).append(" owned by ").append(info.getLockOwnerName());
            }
            b.append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                b.append("\tat ").append(frame).append('\n');
            }
        }
        return b.toString();
    }
}
