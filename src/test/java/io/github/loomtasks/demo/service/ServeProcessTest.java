package io.github.loomtasks.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loomtasks serve} in a child JVM, stopped by a real SIGTERM ({@link Process#destroy()} on
 * Unix) while requests are in flight. SIGTERM is used rather than SIGINT because a child inherits
 * an ignored SIGINT (a background job of a non-interactive shell has one) but never an ignored
 * SIGTERM from a JVM, which handles it.
 */
class ServeProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Duration GRACE = Duration.ofSeconds(4);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    @TempDir
    Path dir;
    private Path stderr;
    private Process process;
    private int port;

    private void start() throws IOException {
        // a file, not a pipe: everything the child wrote is there once it has exited
        stderr = dir.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.github.loomtasks.demo.Main", "serve",
                "--port", "0", "--grace", GRACE.toMillis() + "ms", "--drain", "1500ms", "--quiet")
                .redirectError(stderr.toFile()).start();
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        Matcher m = LISTENING.matcher(first == null ? "" : first);
        assertThat(m.find()).as("first line: %s; stderr: %s", first, stderr()).isTrue();
        port = Integer.parseInt(m.group(1));
        Thread.ofVirtual().start(() -> drain(out));
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep the pipe flowing
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
        client.close();
    }

    private CompletableFuture<HttpResponse<String>> get(String query) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fanout?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@return how many open request scopes of the child have {@code text} in their name} */
    private long scopesInFlight(String text) throws Exception {
        String dump = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tasks?format=text")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return dump.lines().filter(l -> l.contains("<TaskScope") && l.contains(text)).count();
    }

    /** {@return everything the child wrote to stderr} Call after it exited. */
    private String stderr() throws IOException {
        return Files.readString(stderr);
    }

    private static List<Integer> statuses(List<CompletableFuture<HttpResponse<String>>> calls) {
        List<Integer> statuses = new ArrayList<>();
        for (var call : calls) {
            statuses.add(call.join().statusCode()); // an unanswered request fails the test here
        }
        return statuses;
    }

    @Test
    void sigtermDuringLoadAnswersEveryRequestInFlightAndExits0() throws Exception {
        start();
        List<CompletableFuture<HttpResponse<String>>> quick = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            quick.add(get("users=0ms&orders=0ms&ads=300ms&timeout=1h"));
            slow.add(get("users=0ms&orders=1h&timeout=1h"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> scopesInFlight("orders=1h") == 100);
        long signalled = System.nanoTime();

        process.destroy();

        assertThat(statuses(quick)).containsOnly(200);
        assertThat(statuses(slow)).containsOnly(503);
        assertThat(process.waitFor(GRACE.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
        long exitedMs = (System.nanoTime() - signalled) / 1_000_000;
        String err = stderr();
        assertThat(process.exitValue()).as(err).isZero();
        assertThat(err).contains("SIGTERM: not accepting new connections", "100 cancelled and answered 503")
                .doesNotContain("by the stop itself", "did not finish within the grace period");
        System.out.println("ServeProcessTest: 200 requests, SIGTERM with 100 in flight for 1h: exit 0 after " + exitedMs + " ms");
    }

    @Test
    void sigtermWithAStuckBackendAnswersItReportsItAndExits143() throws Exception {
        start();
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            slow.add(get("users=0ms&orders=1h&timeout=1h"));
        }
        var stuck = get("users=0ms&orders=0ms&ads=1h&stubborn=ads&timeout=1h");
        await().atMost(Duration.ofSeconds(60)).until(() -> scopesInFlight("=1h") == 21);
        long signalled = System.nanoTime();

        process.destroy();

        assertThat(statuses(slow)).containsOnly(503);
        assertThat(stuck.join().statusCode()).isEqualTo(503);
        assertThat(stuck.join().body()).contains("did not stop in time", "'ads' at Backend.sleepThroughInterrupts");
        assertThat(process.waitFor(GRACE.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
        long exitedMs = (System.nanoTime() - signalled) / 1_000_000;
        String err = stderr();
        assertThat(process.exitValue()).as(err).isEqualTo(143);
        assertThat(err).contains("21 cancelled and answered 503 (1 of them by the stop itself: their backends did not stop)",
                "did not finish within the grace period of 4s: 1 task is still running", "'ads'", "likely reason:",
                "exiting with status 143");
        System.out.println("ServeProcessTest: SIGTERM with a stuck backend: reported, exit 143 after " + exitedMs + " ms");
    }

    @Test
    void ctrlCStopsItTheSameWay() throws Exception {
        // SIGINT at its default disposition in the child (env --default-signal=INT), whatever we inherited
        try (ChildJvm child = ChildJvm.startDemo("serve", "--port", "0", "--grace", "4s", "--drain", "1s", "--quiet")) {
            child.awaitStdout("the listening line", lines -> lines.stream().anyMatch(l -> LISTENING.matcher(l).find()));
            Matcher m = LISTENING.matcher(child.stdout().stream().filter(l -> LISTENING.matcher(l).find()).findFirst().orElseThrow());
            assertThat(m.find()).isTrue();
            port = Integer.parseInt(m.group(1));
            var slow = get("users=0ms&orders=1h&timeout=1h");
            await().atMost(Duration.ofSeconds(60)).until(() -> scopesInFlight("orders=1h") == 1);

            child.kill("INT");

            assertThat(slow.join().statusCode()).isEqualTo(503);
            assertThat(slow.join().body()).contains("cancelled (SIGINT (Ctrl-C))");
            assertThat(child.awaitExit()).as(child.transcript()).isZero();
            assertThat(child.stderr()).anyMatch(l -> l.contains("SIGINT (Ctrl-C): not accepting new connections"));
        }
    }
}
