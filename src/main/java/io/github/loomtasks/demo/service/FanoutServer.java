package io.github.loomtasks.demo.service;

import com.sun.net.httpserver.HttpServer;
import io.github.loomtasks.CancelReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The example service: the JDK's HTTP server with one virtual thread per request, the
 * {@code /fanout} and {@code /tasks} endpoints, the disconnect watch, and the graceful stop.
 */
final class FanoutServer {
    /** Room for a burst of connections (the load test opens 2,000 at once); the kernel may cap it. */
    private static final int BACKLOG = 4096;
    private static final long STOP_BACKSTOP_SECONDS = 10;

    private final ServiceOptions options;
    private final RequestListener listener;
    private final InFlight inFlight = new InFlight();
    private final ConnectionWatch watch;
    private final HttpServer server;
    private final ExecutorService executor;

    private FanoutServer(ServiceOptions options, RequestListener listener, HttpServer server) {
        this.options = options;
        this.listener = listener;
        this.server = server;
        this.watch = ConnectionWatch.create(options.watchInterval());
        // one virtual thread per request, named so that dumps say which request owns a scope
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-", 1).factory());
        server.setExecutor(executor);
        server.createContext("/fanout", new FanoutHandler(options, inFlight, watch, listener));
        server.createContext("/tasks", new TasksHandler());
        server.createContext("/", exchange -> Replies.sendText(exchange, 404,
                "no such endpoint: use GET /fanout (?timeout=TIME&NAME=TIME&fail=NAME&stubborn=NAME) or GET /tasks (?format=text)",
                false));
    }

    /**
     * Binds the listening socket; {@link #start()} then serves.
     *
     * @throws IOException if the address cannot be bound (in use, not local)
     */
    static FanoutServer bind(ServiceOptions options, RequestListener listener) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), BACKLOG);
        return new FanoutServer(options, listener, server);
    }

    void start() {
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    ServiceOptions options() {
        return options;
    }

    ConnectionWatch watch() {
        return watch;
    }

    /** {@return how many requests are in flight} */
    int inFlight() {
        return inFlight.size();
    }

    /**
     * Stops gracefully: closes the listening socket, lets the requests in flight run until
     * {@code drainUntil}, cancels the rest with {@code reason} (their handlers answer 503), and at
     * {@code answerBy} answers 503 itself for those whose backends would not stop. Returns when
     * every request has its answer; it does not wait for stuck backends (the caller reports them).
     *
     * @param drainUntil {@link System#nanoTime()} until which requests may finish on their own
     * @param answerBy {@link System#nanoTime()} by which every request must have an answer
     */
    StopSummary stop(CancelReason reason, long drainUntil, long answerBy) {
        inFlight.stopAccepting();
        int atSignal = inFlight.size();
        // HttpServer.stop closes the listener at once, then waits (in whole seconds) for the
        // exchanges to end before it closes every connection: on its own thread, so that the
        // answers below can still be written. Every exchange gets its answer by answerBy, which
        // ends the wait; the delay is only a backstop, long enough that a late answer (a loaded
        // machine) is not cut off by the server closing its connection first.
        long delaySeconds = TimeUnit.NANOSECONDS.toSeconds(Math.max(0, answerBy - System.nanoTime())) + STOP_BACKSTOP_SECONDS;
        Thread closer = Thread.ofPlatform().name("http-server-stop").daemon().start(() -> server.stop((int) delaySeconds));
        int cancelled = 0;
        List<RequestOutcome> stuck = List.of();
        if (!inFlight.awaitEmpty(drainUntil)) {
            cancelled = inFlight.cancelAll(reason);
            if (!inFlight.awaitEmpty(answerBy)) {
                stuck = inFlight.answerRemaining(reason, listener);
            }
        }
        joinUninterruptibly(closer, answerBy);
        executor.shutdown(); // not close(): a handler stuck on a backend would hold it forever
        return new StopSummary(atSignal, cancelled, stuck);
    }

    private static void joinUninterruptibly(Thread thread, long untilNanos) {
        boolean interrupted = false;
        try {
            for (long left = untilNanos - System.nanoTime(); left > 0 && thread.isAlive(); left = untilNanos - System.nanoTime()) {
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
