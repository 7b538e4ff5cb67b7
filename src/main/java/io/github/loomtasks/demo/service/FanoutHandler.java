package io.github.loomtasks.demo.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.loomtasks.CancelReason;
import io.github.loomtasks.DeadlineExceededException;
import io.github.loomtasks.Policy;
import io.github.loomtasks.ScopeConfig;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskFailedException;
import io.github.loomtasks.TaskScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /fanout}: one scope per request, with the request's deadline, and one task per
 * backend. The scope is closed, so the request has left the registry, before the answer is
 * written.
 */
final class FanoutHandler implements HttpHandler {
    private final ServiceOptions options;
    private final InFlight inFlight;
    private final ConnectionWatch watch;
    private final RequestListener listener;

    FanoutHandler(ServiceOptions options, InFlight inFlight, ConnectionWatch watch, RequestListener listener) {
        this.options = options;
        this.inFlight = inFlight;
        this.watch = watch;
        this.listener = listener;
    }

    @Override
    public void handle(HttpExchange exchange) {
        RequestContext ctx = inFlight.begin(exchange);
        if (ctx == null) {
            Replies.sendText(exchange, 503, "the service is stopping: not accepting new requests", true);
            return;
        }
        try {
            listener.started(ctx);
            RequestOutcome outcome = outcome(ctx);
            if (ctx.claim()) {
                listener.finished(outcome);
                // a gone client gets its 499 too, into the void: the JDK server counts an exchange
                // closed without an answer as still running, and its stop would wait for it
                boolean gone = outcome.kind() == RequestOutcome.Kind.CLIENT_GONE;
                Replies.send(exchange, outcome.status(), Replies.TEXT, Replies.body(outcome), gone || inFlight.isStopping());
            }
        } finally {
            inFlight.end(ctx);
        }
    }

    private RequestOutcome outcome(RequestContext ctx) {
        HttpExchange exchange = ctx.exchange();
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            return done(ctx, RequestOutcome.Kind.BAD_REQUEST, 405, "use GET", List.of());
        }
        FanoutRequest request;
        try {
            request = FanoutRequest.parse(QueryParams.parse(exchange.getRequestURI().getRawQuery()), options);
        } catch (BadInputException e) {
            return done(ctx, RequestOutcome.Kind.BAD_REQUEST, 400, e.getMessage(), List.of());
        }
        ConnectionWatch.Registration watching = watch.watch(ctx);
        try {
            return fanOut(ctx, request);
        } finally {
            watching.close();
        }
    }

    /** The heart of the example: a scope with a deadline, a task per backend, join, close. */
    private RequestOutcome fanOut(RequestContext ctx, FanoutRequest request) {
        ScopeConfig config = ScopeConfig.defaults().withName(ctx.label()).withTimeout(request.timeout());
        List<Task<String>> calls = new ArrayList<>();
        RequestOutcome.Kind kind;
        String detail;
        try (TaskScope<@Nullable Void> scope = TaskScope.open(Policy.cancelOnFailure(), config)) {
            ctx.attach(scope);
            for (Backend backend : request.backends()) {
                calls.add(scope.fork(backend.name(), backend::call));
            }
            try {
                scope.join();
                CancelReason cancelled = ctx.cancelReason();
                boolean allAnswered = calls.stream().allMatch(t -> t.state() == Task.State.DONE);
                kind = allAnswered || cancelled == null ? RequestOutcome.Kind.OK : kindOf(cancelled);
                detail = kind == RequestOutcome.Kind.OK ? calls.size() + " backend(s) answered"
                        : "cancelled (" + cancelled + "); " + unfinished(calls);
            } catch (DeadlineExceededException e) {
                kind = RequestOutcome.Kind.DEADLINE;
                detail = "the deadline of " + Durations.format(request.timeout()) + " passed; " + unfinished(calls);
            } catch (TaskFailedException e) {
                kind = RequestOutcome.Kind.FAILED;
                detail = "a backend failed (" + describe(e.getCause()) + "); " + unfinished(calls);
            } catch (InterruptedException e) {
                // only a stop of the whole process interrupts a handler thread: keep the status
                Thread.currentThread().interrupt();
                kind = RequestOutcome.Kind.SHUTDOWN;
                detail = "the handler was interrupted";
            }
        } finally {
            ctx.detach();
        }
        List<TaskView> views = calls.stream().map(TaskView::of).toList();
        return done(ctx, kind, kind.status(), detail, views);
    }

    private static RequestOutcome.Kind kindOf(CancelReason reason) {
        return reason.kind() == CancelReason.Kind.SIGNAL ? RequestOutcome.Kind.SHUTDOWN : RequestOutcome.Kind.CLIENT_GONE;
    }

    private static String describe(@Nullable Throwable t) {
        return t == null ? "no cause" : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** {@return {@code 2 of 3 backend call(s) were cancelled}, and how many ignored the cancel} */
    private static String unfinished(List<Task<String>> calls) {
        long n = calls.stream().filter(t -> t.state() == Task.State.CANCELLED).count();
        long ignored = calls.stream().filter(Task::cancelIgnored).count();
        return n + " of " + calls.size() + " backend call(s) were cancelled"
                + (ignored == 0 ? "" : ", " + ignored + " ignored the cancel and answered anyway");
    }

    private static RequestOutcome done(RequestContext ctx, RequestOutcome.Kind kind, int status, String detail, List<TaskView> tasks) {
        return new RequestOutcome(ctx.id(), ctx.clientId(), ctx.target(), kind, status, ctx.label() + ": " + detail, tasks,
                Duration.ofNanos(System.nanoTime() - ctx.startNanos()));
    }
}
