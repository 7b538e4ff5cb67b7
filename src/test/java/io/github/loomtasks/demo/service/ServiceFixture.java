package io.github.loomtasks.demo.service;

import static org.awaitility.Awaitility.await;

import io.github.loomtasks.Policy;
import io.github.loomtasks.ScopeConfig;
import io.github.loomtasks.ScopeInfo;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/** A service on 127.0.0.1 and an ephemeral port, a recorder, and an HTTP/1.1 client. */
final class ServiceFixture implements AutoCloseable {
    final Recorder recorder = new Recorder();
    final FanoutServer server;
    final HttpClient client;
    /** Runs the disconnect watch, as {@code loomtasks serve} does; owned by the test's thread. */
    private final TaskScope<@Nullable Void> watchScope;
    private boolean stopped;

    ServiceFixture(ServiceOptions options) throws IOException {
        server = FanoutServer.bind(options.withPort(0), recorder);
        watchScope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withName("test-service"));
        watchScope.fork("client-watch", server.watch()::run);
        server.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    ServiceFixture() throws IOException {
        this(ServiceOptions.DEFAULTS.withWatchInterval(Duration.ofMillis(20)));
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + pathAndQuery);
    }

    HttpRequest request(String pathAndQuery, String clientId) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).header("X-Request-Id", clientId).build();
    }

    HttpResponse<String> get(String pathAndQuery, String clientId) throws IOException, InterruptedException {
        return client.send(request(pathAndQuery, clientId), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery, String clientId) {
        return client.sendAsync(request(pathAndQuery, clientId), HttpResponse.BodyHandlers.ofString());
    }

    /** {@return the open scopes of this test's requests: their names start with {@code request #}} */
    static List<ScopeInfo> requestScopes() {
        return Tasks.snapshot().stream().filter(s -> s.name().startsWith("request #")).toList();
    }

    /** {@return whether the registry still has a scope whose name contains {@code text}} */
    static boolean registryHas(String text) {
        return Tasks.snapshot().stream().anyMatch(s -> s.name().contains(text));
    }

    void stopped() {
        stopped = true;
    }

    @Override
    public void close() {
        if (!stopped) {
            server.stop(io.github.loomtasks.CancelReason.requested("test ended"), System.nanoTime(), System.nanoTime());
        }
        client.close();
        watchScope.close();
        // a stubborn backend may still be on its way out; no test leaves one running for long
        await().atMost(Duration.ofSeconds(30)).until(() -> requestScopes().isEmpty());
    }
}
