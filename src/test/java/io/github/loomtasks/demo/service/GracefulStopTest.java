package io.github.loomtasks.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.loomtasks.CancelReason;
import io.github.loomtasks.ShutdownSignal;
import io.github.loomtasks.Task;
import io.github.loomtasks.Tasks;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The stop that SIGTERM starts, in process: drain, cancel, answer the stuck, refuse the new. */
class GracefulStopTest {

    private static boolean running(String backend, String scopeText) {
        return Tasks.snapshot().stream().filter(s -> s.name().contains(scopeText)).flatMap(s -> s.tasks().stream())
                .anyMatch(t -> t.name().equals(backend) && t.state() == Task.State.RUNNING && t.runningAt() != null
                        && t.runningAt().startsWith("Backend."));
    }

    @Test
    void everyRequestInFlightIsAnsweredAndNewOnesAreRefused() throws Exception {
        try (var service = new ServiceFixture()) {
            // quick ends within the drain; slow is cancelled by the signal; stuck ignores it, and
            // still runs when the stop answers for it (it ends by itself a few seconds later)
            CompletableFuture<HttpResponse<String>> quick = service.getAsync("/fanout?users=0ms&orders=0ms&ads=200ms&timeout=1h", "quick");
            CompletableFuture<HttpResponse<String>> slow = service.getAsync("/fanout?users=0ms&orders=1h&ads=0ms&timeout=1h", "slow");
            CompletableFuture<HttpResponse<String>> stuck = service.getAsync("/fanout?users=0ms&orders=0ms&ads=6s&stubborn=ads&timeout=1h", "stuck");
            for (String id : new String[] {"quick", "slow", "stuck"}) {
                service.recorder.latch(id).await();
            }
            await().until(() -> running("orders", "orders=1h") && running("ads", "stubborn=ads"));

            long now = System.nanoTime();
            StopSummary summary = service.server.stop(ShutdownSignal.SIGTERM.reason(),
                    now + Duration.ofSeconds(1).toNanos(), now + Duration.ofSeconds(2).toNanos());
            service.stopped();

            assertThat(quick.get().statusCode()).isEqualTo(200);
            assertThat(slow.get().statusCode()).isEqualTo(503);
            assertThat(slow.get().body()).contains("cancelled (SIGTERM)", "'orders' reason=<SIGTERM>");
            assertThat(stuck.get().statusCode()).isEqualTo(503);
            assertThat(stuck.get().body()).contains("did not stop in time", "'ads' at Backend.sleepThroughInterrupts");
            assertThat(summary.inFlight()).isEqualTo(3);
            assertThat(summary.cancelled()).isEqualTo(2);
            assertThat(summary.answeredStuck()).extracting(RequestOutcome::clientId).containsExactly("stuck");
            TaskView orders = service.recorder.outcome("slow").tasks().get(1);
            assertThat(orders.state()).isEqualTo(Task.State.CANCELLED);
            assertThat(orders.cancelReason()).extracting(CancelReason::kind).isEqualTo(CancelReason.Kind.SIGNAL);
            assertThatThrownBy(() -> service.get("/fanout")).isInstanceOf(ConnectException.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> ServiceFixture.requestScopes().isEmpty());
            assertThat(service.recorder.duplicates()).isZero();
        }
    }

    @Test
    void stopWithNothingInFlightReturnsAtOnce() throws Exception {
        try (var service = new ServiceFixture()) {
            assertThat(service.get("/fanout?users=0ms&orders=0ms&ads=0ms").statusCode()).isEqualTo(200);
            // the handler counts the request out after its reply is sent, so the client can be first
            await().until(() -> service.server.inFlight() == 0);
            long now = System.nanoTime();
            StopSummary summary = service.server.stop(ShutdownSignal.SIGINT.reason(), now + Duration.ofHours(1).toNanos(),
                    now + Duration.ofHours(1).toNanos());
            service.stopped();
            assertThat(summary.inFlight()).isZero();
            assertThat(summary.cancelled()).isZero();
            assertThatThrownBy(() -> service.get("/fanout")).isInstanceOf(ConnectException.class);
        }
    }
}
