package io.github.loomtasks.demo.service;

import io.github.loomtasks.CancelReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notices clients that went away while their request runs, and cancels the request's scope.
 *
 * <p>{@code com.sun.net.httpserver} gives a handler no way to see the connection: a GET's body
 * stream ends at its (empty) body, not at the client's close, and the server itself does not
 * read the socket while a handler runs. So one watch for the whole service looks at the
 * kernel's TCP table every interval: a connection in {@code CLOSE_WAIT} (the client sent its
 * FIN) or missing from the table for {@link #MISSES} looks in a row (reset) is gone. Linux
 * only; elsewhere {@link #available()} is false and only the deadline bounds an abandoned
 * request. A client that half-closes its side but still waits for the answer looks gone too;
 * HTTP/1.1 clients do not do that.
 */
final class ConnectionWatch {
    /** The table is read in pieces and may skip a line that moves: trust an absence only when it repeats. */
    static final int MISSES = 3;

    private final Duration interval;
    private final boolean available;
    private final Map<String, Watched> byKey = new ConcurrentHashMap<>();

    /** A watched request; {@code misses} and {@code seen} belong to the watch's thread. */
    private static final class Watched {
        final RequestContext request;
        final String description;
        int misses;
        boolean seen;

        Watched(RequestContext request, String description) {
            this.request = request;
            this.description = description;
        }
    }

    /** Ends the watch of one request. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    ConnectionWatch(Duration interval, boolean available) {
        this.interval = interval;
        this.available = available;
    }

    /** {@return a watch that works where the TCP table can be read} */
    static ConnectionWatch create(Duration interval) {
        return new ConnectionWatch(interval, TcpTable.available());
    }

    boolean available() {
        return available;
    }

    /** Watches the request's connection until the registration is closed. */
    Registration watch(RequestContext request) {
        if (!available) {
            return () -> { };
        }
        InetSocketAddress local = request.exchange().getLocalAddress();
        InetSocketAddress remote = request.exchange().getRemoteAddress();
        Watched w = new Watched(request, "client " + remote.getAddress().getHostAddress() + ":" + remote.getPort());
        List<String> keys = TcpTable.keys(local, remote);
        for (String k : keys) {
            byKey.put(k, w);
        }
        return () -> keys.forEach(k -> byKey.remove(k, w));
    }

    /**
     * The watch: the body of the service's {@code client-watch} task. Ends when cancelled.
     *
     * @throws InterruptedException when cancelled
     */
    Void run() throws InterruptedException {
        if (!available) {
            return null;
        }
        for (;;) {
            Thread.sleep(interval);
            if (!byKey.isEmpty()) {
                look();
            }
        }
    }

    /** One look at the table. */
    void look() {
        List<Watched> watched = List.copyOf(byKey.values());
        watched.forEach(w -> w.seen = false);
        try {
            TcpTable.read((key, state) -> seen(key, state));
        } catch (IOException e) {
            return; // no verdict without a table: the next look tries again
        }
        for (Watched w : watched) {
            if (w.seen) {
                w.misses = 0;
            } else if (++w.misses >= MISSES) {
                gone(w);
            }
        }
    }

    private void seen(String key, int state) {
        Watched w = byKey.get(key);
        if (w == null) {
            return;
        }
        if (state == TcpTable.CLOSE_WAIT || state == TcpTable.LAST_ACK || state == TcpTable.CLOSE) {
            gone(w);
        } else {
            w.seen = true;
        }
    }

    private void gone(Watched w) {
        byKey.values().removeIf(x -> x == w);
        w.request.cancel(CancelReason.requested(w.description + " disconnected"));
    }
}
