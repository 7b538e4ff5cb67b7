package io.github.loomtasks;

import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Listeners waiting for a completion that happens once: a Treiber stack closed by a tombstone.
 * A listener runs exactly once: when pushed after the end, at once by the pusher.
 */
final class ListenerStack {
    private static final Node CLOSED = new Node(() -> {});

    private final AtomicReference<@Nullable Node> head = new AtomicReference<>();

    /** @return a handle for {@link #forget}, or null if the stack was closed and the listener ran */
    @Nullable Object push(Runnable listener) {
        Node n = new Node(listener);
        for (;;) {
            Node h = head.get();
            if (h == CLOSED) {
                listener.run();
                return null;
            }
            n.next = h;
            if (head.compareAndSet(h, n)) {
                return n;
            }
        }
    }

    /** Drops a listener; it will not run. The node stays linked until the stack closes. */
    void forget(Object handle) {
        ((Node) handle).listener = null;
    }

    /** Closes the stack and runs every listener pushed so far. */
    void closeAndRun() {
        for (Node n = head.getAndSet(CLOSED); n != null && n != CLOSED; n = n.next) {
            Runnable r = n.listener;
            if (r != null) {
                r.run();
            }
        }
    }

    private static final class Node {
        volatile @Nullable Runnable listener;
        @Nullable Node next;

        Node(Runnable listener) {
            this.listener = listener;
        }
    }
}
