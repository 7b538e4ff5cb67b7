package io.github.loomtasks.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.CancelReason;
import io.github.loomtasks.Task;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service over a real HTTP client on loopback: one scope per request, and what ends it. */
class FanoutServiceTest {
    private ServiceFixture service;

    @BeforeEach
    void start() throws Exception {
        service = new ServiceFixture();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private static Map<String, TaskView> tasks(RequestOutcome outcome) {
        return outcome.tasks().stream().collect(Collectors.toMap(TaskView::name, Function.identity()));
    }

    private RequestOutcome outcome(String clientId) {
        RequestOutcome o = service.recorder.outcome(clientId);
        assertThat(o).as("outcome of %s", clientId).isNotNull();
        return o;
    }

    /** The scope closes before the answer is written: an answered request is out of the registry. */
    private void assertLeftTheRegistry(RequestOutcome o) {
        assertThat(ServiceFixture.registryHas("request #" + o.id() + " ")).as("scope of request #%s", o.id()).isFalse();
    }

    @Test
    void fanOutAnswersWithEveryBackendsResult() throws Exception {
        HttpResponse<String> r = service.get("/fanout?users=10ms&orders=20ms&ads=30ms", "ok");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("200 OK: request #").contains("3 backend(s) answered")
                .contains("<Task DONE", "'users' result='users: ok after 10ms'", "'orders' result='orders: ok after 20ms'",
                        "'ads' result='ads: ok after 30ms'");
        RequestOutcome o = outcome("ok");
        assertThat(o.kind()).isEqualTo(RequestOutcome.Kind.OK);
        assertThat(o.tasks()).extracting(TaskView::state).containsOnly(Task.State.DONE);
        assertLeftTheRegistry(o);
    }

    @Test
    void deadlineCancelsWhatIsLeftWithTheDeadlineAsReasonAndAnswers504() throws Exception {
        HttpResponse<String> r = service.get("/fanout?users=0ms&orders=1h&ads=1h&timeout=100ms", "late");

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).startsWith("504 Gateway Timeout: ").contains("the deadline of 100ms passed", "2 of 3");
        RequestOutcome o = outcome("late");
        assertThat(o.kind()).isEqualTo(RequestOutcome.Kind.DEADLINE);
        Map<String, TaskView> t = tasks(o);
        assertThat(t.get("users").state()).isEqualTo(Task.State.DONE);
        for (String slow : new String[] {"orders", "ads"}) {
            assertThat(t.get(slow).state()).isEqualTo(Task.State.CANCELLED);
            assertThat(t.get(slow).cancelReason()).extracting(CancelReason::kind).isEqualTo(CancelReason.Kind.DEADLINE);
        }
        assertLeftTheRegistry(o);
    }

    @Test
    void failingBackendCancelsItsSiblingsAndAnswers502() throws Exception {
        HttpResponse<String> r = service.get("/fanout?users=0ms&fail=users&orders=1h&ads=1h&timeout=1h", "fails");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).startsWith("502 Bad Gateway: ").contains("users answered 500");
        RequestOutcome o = outcome("fails");
        assertThat(o.kind()).isEqualTo(RequestOutcome.Kind.FAILED);
        Map<String, TaskView> t = tasks(o);
        assertThat(t.get("users").state()).isEqualTo(Task.State.DONE);
        assertThat(t.get("users").line()).contains("exception=BackendException");
        for (String sibling : new String[] {"orders", "ads"}) {
            assertThat(t.get(sibling).state()).isEqualTo(Task.State.CANCELLED);
            assertThat(t.get(sibling).cancelReason()).extracting(CancelReason::kind).isEqualTo(CancelReason.Kind.SIBLING_FAILED);
        }
        assertLeftTheRegistry(o);
    }

    @Test
    void stubbornBackendIsCancelledByTheDeadlineButAnswersAnywayAndTheScopeWaitsForIt() throws Exception {
        // the deadline must find ads running (a task cancelled before it starts never runs): half
        // a second is ample for a virtual thread to start
        HttpResponse<String> r = service.get("/fanout?users=0ms&orders=0ms&ads=1s&stubborn=ads&timeout=500ms", "stubborn");

        assertThat(r.statusCode()).isEqualTo(504);
        TaskView ads = tasks(outcome("stubborn")).get("ads");
        assertThat(ads.state()).isEqualTo(Task.State.DONE);
        assertThat(ads.cancelIgnored()).isTrue();
        assertThat(ads.cancelReason()).extracting(CancelReason::kind).isEqualTo(CancelReason.Kind.DEADLINE);
        assertThat(r.body()).contains("ignored_cancel=");
        assertLeftTheRegistry(outcome("stubborn"));
    }

    @Test
    void clientThatCancelsItsRequestHasTheScopeCancelled() throws Exception {
        var pending = service.getAsync("/fanout?users=0ms&orders=1h&ads=1h&timeout=1h", "gone");
        service.recorder.latch("gone").await();
        await().until(() -> ServiceFixture.registryHas("/fanout?users=0ms&orders=1h"));

        pending.cancel(true); // HttpClient aborts the exchange and closes the connection

        await().atMost(Duration.ofSeconds(30)).until(() -> service.recorder.outcome("gone") != null);
        RequestOutcome o = outcome("gone");
        assertThat(o.kind()).isEqualTo(RequestOutcome.Kind.CLIENT_GONE);
        Map<String, TaskView> t = tasks(o);
        for (String slow : new String[] {"orders", "ads"}) {
            assertThat(t.get(slow).state()).isEqualTo(Task.State.CANCELLED);
            assertThat(t.get(slow).cancelReason()).isNotNull();
            assertThat(t.get(slow).cancelReason().detail()).contains("disconnected");
        }
        assertLeftTheRegistry(o);
    }

    @Test
    @SuppressWarnings({"AddressSelection", "StringConcatToTextBlock"}) // the server's address; HTTP's CRLFs
    void rawSocketClosedMidRequestHasTheScopeCancelled() throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", service.server.address().getPort())) {
            socket.getOutputStream().write(("GET /fanout?orders=1h&timeout=1h HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "X-Request-Id: raw\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            service.recorder.latch("raw").await();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> service.recorder.outcome("raw") != null);
        RequestOutcome o = outcome("raw");
        assertThat(o.kind()).isEqualTo(RequestOutcome.Kind.CLIENT_GONE);
        assertThat(tasks(o).get("orders").state()).isEqualTo(Task.State.CANCELLED);
        assertLeftTheRegistry(o);
    }

    @Test
    void tasksEndpointShowsTheRequestInFlightAsJsonAndAsText() throws Exception {
        var pending = service.getAsync("/fanout?users=0ms&orders=1h&timeout=1h", "watched");
        service.recorder.latch("watched").await();
        await().until(() -> service.get("/tasks?format=text").body().contains("'orders' at Backend.call"));

        HttpResponse<String> json = service.get("/tasks");
        HttpResponse<String> text = service.get("/tasks?format=text");
        HttpResponse<String> accepted = service.client.send(java.net.http.HttpRequest.newBuilder(service.uri("/tasks"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(json.headers().firstValue("Content-Type")).hasValue(Replies.JSON);
        assertThat(json.body()).startsWith("{\"scopes\":[").contains("\"name\":\"request #", "\"name\":\"orders\",\"state\":\"RUNNING\"",
                "\"waitingFor\":\"Thread.sleep\"", "\"name\":\"users\",\"state\":\"DONE\"");
        assertThat(text.body()).contains("<TaskScope OPEN", "GET /fanout?users=0ms&orders=1h", "'orders' at Backend.call",
                "wait_for=Thread.sleep");
        assertThat(accepted.body()).contains("<TaskScope OPEN");
        pending.cancel(true);
    }

    @Test
    void badInputIsRefusedWithAMessage() throws Exception {
        assertThat(service.get("/fanout?bogus=1")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("unknown parameter 'bogus'", "users, orders, ads");
        });
        assertThat(service.get("/fanout?timeout=soon").body()).contains("timeout: 'soon' is not a time");
        assertThat(service.get("/fanout?timeout=1s&timeout=2s").body()).contains("given twice");
        assertThat(service.get("/fanout?fail=nobody").body()).contains("fail: 'nobody' is not a backend");
        assertThat(service.get("/fanout?orders=2h").body()).contains("longer than the limit of 3600s");
        assertThat(service.get("/tasks?format=xml").statusCode()).isEqualTo(400);
        assertThat(service.get("/nowhere").statusCode()).isEqualTo(404);
        var post = service.client.send(java.net.http.HttpRequest.newBuilder(service.uri("/fanout"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(ServiceFixture.requestScopes()).isEmpty();
    }
}
