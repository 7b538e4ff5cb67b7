package io.github.loomtasks.demo.service;

import com.sun.net.httpserver.HttpExchange;
import io.github.loomtasks.CancelReason;
import io.github.loomtasks.TaskScope;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One request in flight, as the rest of the service sees it: its scope (to cancel it from the
 * disconnect watch or the stop), and the single right to answer it.
 *
 * <p>Three threads may act on a request: its handler, the disconnect watch, and the stop. They
 * meet in two places only. {@link #cancel} and {@link #attach} both write, then read, so that a
 * cancel racing the scope's opening is applied by one of the two; {@link #claim} lets exactly one
 * of handler and stop write the response.
 */
final class RequestContext {
    private final long id;
    private final HttpExchange exchange;
    private final String target;
    private final String label;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final AtomicReference<@Nullable CancelReason> cancelled = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile @Nullable TaskScope<?> scope;

    RequestContext(long id, HttpExchange exchange) {
        this.id = id;
        this.exchange = exchange;
        this.target = exchange.getRequestMethod() + " " + exchange.getRequestURI();
        this.label = "request #" + id + " " + target;
    }

    long id() {
        return id;
    }

    HttpExchange exchange() {
        return exchange;
    }

    /** {@return {@code GET /fanout?orders=2s}} */
    String target() {
        return target;
    }

    /** {@return {@code request #12 GET /fanout?orders=2s}: the scope's name in dumps} */
    String label() {
        return label;
    }

    /** {@return the client's own id for this request (its X-Request-Id header), or empty} */
    String clientId() {
        String id = exchange.getRequestHeaders().getFirst("X-Request-Id");
        return id == null ? "" : id;
    }

    long startNanos() {
        return startNanos;
    }

    /** Makes the request's scope reachable by {@link #cancel}; applies a cancel that came first. */
    void attach(TaskScope<?> scope) {
        this.scope = scope;
        CancelReason early = cancelled.get();
        if (early != null) {
            scope.cancel(early);
        }
    }

    void detach() {
        scope = null;
    }

    /** {@return the request's open scope, if any} */
    @Nullable TaskScope<?> scope() {
        return scope;
    }

    /**
     * Cancels the request's scope, now or as soon as it opens. The first reason wins.
     *
     * @return whether this call was the first cancel
     */
    boolean cancel(CancelReason reason) {
        if (!cancelled.compareAndSet(null, reason)) {
            return false;
        }
        TaskScope<?> s = scope;
        if (s != null) {
            s.cancel(reason);
        }
        return true;
    }

    /** {@return why the service cancelled this request (client gone, stop), or null} */
    @Nullable CancelReason cancelReason() {
        return cancelled.get();
    }

    /** {@return true for the one caller that may answer the request} */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** The handler is done with the request (answered or not). */
    void end() {
        ended.countDown();
    }

    boolean awaitEnd(long nanos) throws InterruptedException {
        return ended.await(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return label;
    }
}
