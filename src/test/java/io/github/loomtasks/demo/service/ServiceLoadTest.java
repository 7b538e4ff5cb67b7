package io.github.loomtasks.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many concurrent requests of every kind at once; every one is accounted for, on both sides.
 * Bounded for 2 shared cores: 2,000 requests by default ({@code -Dloomtasks.stress.requests=N}).
 */
@Tag("stress")
class ServiceLoadTest {
    private static final int REQUESTS = Integer.getInteger("loomtasks.stress.requests", 2_000);

    /** What each request asks for, and what must come of it. */
    private enum Kind {
        OK(13, 200, RequestOutcome.Kind.OK),
        DEADLINE(2, 504, RequestOutcome.Kind.DEADLINE),
        FAILED(1, 502, RequestOutcome.Kind.FAILED),
        CLIENT_CANCELS(2, -1, RequestOutcome.Kind.CLIENT_GONE),
        STUBBORN_DEADLINE(1, 504, RequestOutcome.Kind.DEADLINE),
        BAD(1, 400, RequestOutcome.Kind.BAD_REQUEST);

        final int share;
        final int status;
        final RequestOutcome.Kind outcome;

        Kind(int share, int status, RequestOutcome.Kind outcome) {
            this.share = share;
            this.status = status;
            this.outcome = outcome;
        }

        static Kind of(int i) {
            int slot = i % 20;
            for (Kind k : values()) {
                if (slot < k.share) {
                    return k;
                }
                slot -= k.share;
            }
            throw new AssertionError(i);
        }

        String query() {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            return switch (this) {
                case OK -> "users=" + r.nextInt(100) + "ms&orders=" + r.nextInt(100) + "ms&ads=" + r.nextInt(100) + "ms&timeout=1h";
                case DEADLINE -> "orders=1h&timeout=50ms";
                case FAILED -> "orders=10ms&fail=orders&ads=1h&timeout=1h";
                case CLIENT_CANCELS -> "orders=1h&timeout=1h";
                // a second of slack: under this load the deadline's timer may fire late, and a
                // scope whose tasks all end before it fires has met its deadline
                case STUBBORN_DEADLINE -> "users=0ms&orders=0ms&ads=1s&stubborn=ads&timeout=50ms";
                case BAD -> "timeout=never";
            };
        }
    }

    @Test
    void everyRequestIsAnsweredOrKnownCancelledAndNothingStaysInTheRegistry() throws Exception {
        try (var service = new ServiceFixture(ServiceOptions.DEFAULTS)) {
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>(REQUESTS);
            for (int i = 0; i < REQUESTS; i++) {
                Kind kind = Kind.of(i);
                String id = kind + "-" + i;
                CompletableFuture<HttpResponse<String>> call = service.getAsync("/fanout?" + kind.query(), id);
                calls.add(call);
                if (kind == Kind.CLIENT_CANCELS) {
                    // cancel once the server has the request, so that it is one the server must notice
                    Thread.ofVirtual().start(() -> {
                        try {
                            service.recorder.latch(id).await();
                            call.cancel(true);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            }
            Map<String, Integer> clientSide = clientView(calls);
            long answered = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> service.recorder.all().size() == REQUESTS);
            long accounted = System.nanoTime();

            assertEveryRequestAccountedFor(service, calls, clientSide);
            System.out.printf("ServiceLoadTest: %d requests, client side %s; all answered or cancelled in %d ms, all server"
                    + " outcomes in %d ms; server side %s%n", REQUESTS, clientSide, (answered - start) / 1_000_000,
                    (accounted - start) / 1_000_000, serverView(service));
        }
    }

    /** {@return status (or "cancelled") -> count}, after every call has ended */
    private static Map<String, Integer> clientView(List<CompletableFuture<HttpResponse<String>>> calls) throws InterruptedException {
        Map<String, Integer> view = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            view.merge(outcomeOf(call), 1, Integer::sum);
        }
        return view;
    }

    /**
     * {@return the status, {@code cancelled}, or {@code error ...}} HttpClient completes a
     * cancelled call either as cancelled or exceptionally with a CancellationException, depending
     * on where the exchange was.
     */
    private static String outcomeOf(CompletableFuture<HttpResponse<String>> call) throws InterruptedException {
        try {
            return String.valueOf(call.get().statusCode());
        } catch (CancellationException e) {
            return "cancelled";
        } catch (ExecutionException e) {
            return e.getCause() instanceof CancellationException ? "cancelled" : "error " + e.getCause();
        }
    }

    private static void assertEveryRequestAccountedFor(ServiceFixture service, List<CompletableFuture<HttpResponse<String>>> calls,
            Map<String, Integer> clientSide) throws Exception {
        int cancelled = 0;
        for (int i = 0; i < REQUESTS; i++) {
            Kind kind = Kind.of(i);
            RequestOutcome o = service.recorder.outcome(kind + "-" + i);
            assertThat(o).as("server outcome of %s-%d", kind, i).isNotNull();
            assertThat(o.kind()).as("%s-%d", kind, i).isEqualTo(kind.outcome);
            if (kind == Kind.CLIENT_CANCELS) {
                assertThat(outcomeOf(calls.get(i))).as("%s-%d", kind, i).isEqualTo("cancelled");
                cancelled++;
            } else {
                assertThat(calls.get(i).get().statusCode()).as("%s-%d", kind, i).isEqualTo(kind.status);
            }
        }
        assertThat(clientSide.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
        assertThat(clientSide).doesNotContainKey("error");
        assertThat(cancelled).isPositive();
        assertThat(service.recorder.duplicates()).isZero();
        assertThat(service.server.inFlight()).isZero();
        assertThat(ServiceFixture.requestScopes()).isEmpty();
    }

    private static Map<RequestOutcome.Kind, Integer> serverView(ServiceFixture service) {
        Map<RequestOutcome.Kind, Integer> view = new EnumMap<>(RequestOutcome.Kind.class);
        for (RequestOutcome o : service.recorder.all()) {
            view.merge(o.kind(), 1, Integer::sum);
        }
        return view;
    }
}
