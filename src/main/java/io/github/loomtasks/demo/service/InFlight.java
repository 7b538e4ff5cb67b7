package io.github.loomtasks.demo.service;

import com.sun.net.httpserver.HttpExchange;
import io.github.loomtasks.CancelReason;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The requests in flight, and the stop's three moves on them: refuse new ones, cancel the ones
 * still running, answer the ones that will not end. A request is in here from its acceptance to
 * the end of its handler.
 */
final class InFlight {
    private final Map<Long, RequestContext> requests = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean stopping;

    /**
     * Accepts a request, unless the service is stopping.
     *
     * @return the request's context, or null when it must be refused
     */
    @Nullable RequestContext begin(HttpExchange exchange) {
        RequestContext ctx = new RequestContext(ids.incrementAndGet(), exchange);
        requests.put(ctx.id(), ctx);
        // put, then read: a stop that set the flag before our read sees us in its snapshot
        if (stopping) {
            requests.remove(ctx.id());
            return null;
        }
        return ctx;
    }

    void end(RequestContext ctx) {
        requests.remove(ctx.id());
        ctx.end();
    }

    /** From now on {@link #begin} refuses. */
    void stopAccepting() {
        stopping = true;
    }

    boolean isStopping() {
        return stopping;
    }

    int size() {
        return requests.size();
    }

    List<RequestContext> snapshot() {
        return new ArrayList<>(requests.values());
    }

    /**
     * Waits until every request's handler has ended, or the deadline passes. Does not give up on
     * an interrupt: the stop that calls it must still answer everyone. The interrupt status is
     * restored before returning.
     *
     * @return whether none is left
     */
    boolean awaitEmpty(long deadlineNanos) {
        boolean interrupted = false;
        try {
            for (;;) {
                List<RequestContext> left = snapshot();
                if (left.isEmpty()) {
                    return true;
                }
                for (RequestContext ctx : left) {
                    long remaining = deadlineNanos - System.nanoTime();
                    if (remaining <= 0) {
                        return requests.isEmpty();
                    }
                    try {
                        ctx.awaitEnd(remaining);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Cancels every request in flight; {@return how many this call cancelled} */
    int cancelAll(CancelReason reason) {
        int n = 0;
        for (RequestContext ctx : snapshot()) {
            if (ctx.cancel(reason)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Answers, from the caller's thread, every request whose handler has not answered yet: their
     * backends would not stop. The handler, when it gets there, finds the answer taken.
     *
     * @return the outcomes of the requests answered here
     */
    List<RequestOutcome> answerRemaining(CancelReason reason, RequestListener listener) {
        List<RequestOutcome> answered = new ArrayList<>();
        for (RequestContext ctx : snapshot()) {
            if (!ctx.claim()) {
                continue;
            }
            List<TaskView> tasks = new ArrayList<>();
            TaskScope<?> scope = ctx.scope();
            if (scope != null) {
                for (Task<?> t : scope.tasks()) {
                    tasks.add(TaskView.of(t));
                }
            }
            long running = tasks.stream().filter(t -> !t.state().isTerminal()).count();
            RequestOutcome outcome = new RequestOutcome(ctx.id(), ctx.clientId(), ctx.target(), RequestOutcome.Kind.SHUTDOWN, 503,
                    ctx.label() + ": the service is stopping (" + reason + ") and " + running + " backend call(s) did not stop in time;"
                            + " answered without them", tasks, Duration.ofNanos(System.nanoTime() - ctx.startNanos()));
            listener.finished(outcome);
            Replies.send(ctx.exchange(), 503, Replies.TEXT, Replies.body(outcome), true);
            answered.add(outcome);
        }
        return answered;
    }
}
