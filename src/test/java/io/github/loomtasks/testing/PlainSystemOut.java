package io.github.loomtasks.testing;

import java.io.PrintStream;
import java.nio.charset.Charset;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Lets JDK 21 print its pinned-thread traces in the test JVM. With -Djdk.tracePinnedThreads, JDK 21
 * prints a trace only if it can take System.out's internal lock without waiting, and only a plain
 * {@link PrintStream} has one: Surefire's capturing stream is a subclass, so every trace was silently
 * dropped. When that property is set, this wraps System.out in a plain PrintStream that writes
 * through Surefire's, so the traces land in each test class's output like any other line (.ci/run
 * reads them there). Registered as a JUnit Platform listener (META-INF/services); does nothing
 * otherwise.
 */
public final class PlainSystemOut implements TestExecutionListener {
    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        PrintStream out = System.out;
        if (System.getProperty("jdk.tracePinnedThreads") != null && out.getClass() != PrintStream.class) {
            System.setOut(new PrintStream(out, true, Charset.defaultCharset()));
        }
    }
}
