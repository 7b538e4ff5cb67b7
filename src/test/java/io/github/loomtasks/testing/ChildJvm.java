package io.github.loomtasks.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running the demo's main class (or another of the test class path) with the JDK that
 * runs the tests, its stdout and stderr collected line by line as they come, and real signals sent
 * with {@code kill -s}.
 */
public final class ChildJvm implements AutoCloseable {
    /** Generous: a loaded CI machine may be slow, and only a broken program takes this long. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final String DEMO = "io.github.loomtasks.demo.Main";

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        collect(process.getInputStream(), stdout, "stdout");
        collect(process.getErrorStream(), stderr, "stderr");
    }

    /**
     * {@return the java launcher for child JVMs: {@code -Dloomtasks.test.java}, else the one running
     * this test JVM} The property is for JDKs started through a wrapper (such as a dynamic loader),
     * whose process command is not a java launcher.
     */
    public static String java() {
        String configured = System.getProperty("loomtasks.test.java");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs the tests"));
    }

    /**
     * Starts {@code java -cp <test class path> io.github.loomtasks.demo.Main args...} with SIGINT at
     * its default disposition ({@code env --default-signal=INT}), whatever this JVM inherited.
     */
    public static ChildJvm startDemo(String... args) {
        return start(List.of("env", "--default-signal=INT"), java(), List.of(), DEMO, args);
    }

    /** As {@link #startDemo}, with JVM options and another java launcher. */
    public static ChildJvm startDemo(String java, List<String> jvmOptions, String... args) {
        return start(List.of("env", "--default-signal=INT"), java, jvmOptions, DEMO, args);
    }

    /** As {@link #startDemo}, with JVM options and another main class of the test class path. */
    public static ChildJvm startMain(List<String> jvmOptions, Class<?> mainClass, String... args) {
        return start(List.of("env", "--default-signal=INT"), java(), jvmOptions, mainClass.getName(), args);
    }

    /** As {@link #startDemo}, but with SIGINT ignored, as a background job of a script has it. */
    public static ChildJvm startDemoWithSigintIgnored(String... args) {
        return start(List.of("bash", "-c", "trap '' INT; exec \"$@\"", "bash"), java(), List.of(), DEMO, args);
    }

    private static ChildJvm start(List<String> prefix, String java, List<String> jvmOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        try {
            return new ChildJvm(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private void collect(InputStream in, List<String> lines, String name) {
        readers.add(Thread.ofPlatform().daemon().name("child-" + name).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(reading " + name + " failed: " + e + ")");
            }
        }));
    }

    /** {@return whether the child is still running} */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@return the stdout lines so far} */
    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    /** {@return the stderr lines so far} */
    public List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** Waits until the stdout lines so far satisfy the condition. */
    public void awaitStdout(String what, Predicate<List<String>> condition) {
        await(what).atMost(PATIENCE).until(() -> condition.test(stdout()) || !process.isAlive());
        if (!condition.test(stdout())) {
            throw new AssertionError("child exited before " + what + "\nstdout: " + stdout() + "\nstderr: " + stderr());
        }
    }

    /** Waits until a stderr line satisfies the condition. */
    public void awaitStderrLine(String what, Predicate<String> condition) {
        await(what).atMost(PATIENCE).until(() -> stderr().stream().anyMatch(condition) || !process.isAlive());
        if (stderr().stream().noneMatch(condition)) {
            throw new AssertionError("child exited before " + what + "\nstdout: " + stdout() + "\nstderr: " + stderr());
        }
    }

    /** Waits until the program printed {@code n} lines starting with {@code waiting:}. */
    public void awaitWaitingLines(int n) {
        awaitStdout(n + " waiting lines", lines -> lines.stream().filter(l -> l.startsWith("waiting:")).count() == n);
    }

    /** Sends a real signal with {@code kill -s NAME pid}. */
    public void kill(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -s " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while sending " + signal, e);
        }
    }

    /** {@return the exit status, once the child exited and its output was read to the end} */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("child still running after " + PATIENCE + "\nstdout: " + stdout() + "\nstderr: " + stderr());
        }
        // the readers see end-of-stream once the child exited
        for (Thread reader : readers) {
            if (!reader.join(PATIENCE)) {
                throw new AssertionError(reader.getName() + " still reading after the child exited");
            }
        }
        return process.exitValue();
    }

    /** {@return a description for assertion messages} */
    public String transcript() {
        return "stdout:\n  " + String.join("\n  ", stdout()) + "\nstderr:\n  " + String.join("\n  ", stderr());
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
