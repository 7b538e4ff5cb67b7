package io.github.loomtasks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Who waits for something that happens once, the end of a task or a gather: threads parked in
 * a join, and the listeners of waits and gathers. A Treiber stack closed by a tombstone, like
 * {@code FutureTask}'s waiters: closing it wakes every thread and runs every listener, once, on
 * the closing thread; whoever comes after the close does not wait (a listener runs at once, on
 * its own thread). Waiters that gave up (a timeout, an interrupt, a forgotten listener) are
 * unlinked as {@code FutureTask} does.
 */
final class WaiterStack {
    /** A stack that is already closed: the waiters of a task that ended before anyone waited. */
    static final WaiterStack CLOSED = new WaiterStack(Node.TOMBSTONE);

    private volatile @Nullable Node head;

    WaiterStack() {}

    private WaiterStack(Node head) {
        this.head = head;
    }

    /**
     * Parks the current thread until the stack is closed; thread dumps show {@code blocker} as
     * what it waits for.
     *
     * @return false if {@code nanos} passed first (only when {@code timed})
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    boolean await(Object blocker, long nanos, boolean timed) throws InterruptedException {
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        Node w = new Node(Thread.currentThread());
        if (!push(w)) {
            return true;
        }
        while (head != Node.TOMBSTONE) {
            if (timed) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    forget(w);
                    return false;
                }
                LockSupport.parkNanos(blocker, remaining);
            } else {
                LockSupport.park(blocker);
            }
            if (Thread.interrupted()) {
                forget(w);
                throw new InterruptedException();
            }
        }
        return true;
    }

    /**
     * Runs {@code listener} at the close, or at once if the stack is closed.
     *
     * @return a handle for {@link #forget}, or null if the listener already ran
     */
    @Nullable Object whenDone(Runnable listener) {
        Node n = new Node(listener);
        if (!push(n)) {
            listener.run();
            return null;
        }
        return n;
    }

    /** Drops a waiter that gave up: it will not be woken or run. */
    void forget(Object handle) {
        ((Node) handle).target = null;
        removeDead();
    }

    /** Closes the stack: wakes every parked thread and runs every listener. Idempotent. */
    void close() {
        Node n = (Node) HEAD.getAndSet(this, Node.TOMBSTONE);
        for (; n != null && n != Node.TOMBSTONE; n = n.next) {
            n.fire();
        }
    }

    /** Pushes a waiter; false if the stack is closed (the waiter was not pushed). */
    private boolean push(Node n) {
        for (;;) {
            Node h = head;
            if (h == Node.TOMBSTONE) {
                return false;
            }
            n.next = h;
            if (HEAD.compareAndSet(this, h, n)) {
                return true;
            }
        }
    }

    /** Unlinks the waiters that gave up, as FutureTask.removeWaiter does. */
    private void removeDead() {
        retry:
        for (;;) {
            Node pred = null;
            Node q = head;
            if (q == Node.TOMBSTONE) {
                return;
            }
            while (q != null) {
                Node s = q.next;
                if (q.target != null) {
                    pred = q;
                } else if (pred != null) {
                    pred.next = s;
                    if (pred.target == null) {
                        continue retry;
                    }
                } else if (!HEAD.compareAndSet(this, q, s)) {
                    continue retry;
                }
                q = s;
            }
            return;
        }
    }

    /** A thread to unpark, or a listener to run; null once it gave up. */
    private static final class Node {
        static final Node TOMBSTONE = new Node("closed");

        volatile @Nullable Object target;
        volatile @Nullable Node next;

        Node(Object target) {
            this.target = target;
        }

        void fire() {
            Object t = target;
            if (t instanceof Thread thread) {
                LockSupport.unpark(thread);
            } else if (t instanceof Runnable listener) {
                listener.run();
            }
        }
    }

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(WaiterStack.class, "head", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
