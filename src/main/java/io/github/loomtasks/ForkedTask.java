package io.github.loomtasks;

import io.github.loomtasks.internal.InterruptGate;
import io.github.loomtasks.internal.Interrupts;
import io.github.loomtasks.internal.StackFrames;
import io.github.loomtasks.internal.StackReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The task of a scope: one object that is the thread's runnable, the state core, the completion
 * cell and the waiter list.
 */
final class ForkedTask<T extends @Nullable Object> extends Frame implements Task<T>, Runnable, Awaitable {
    private static final AtomicLong IDS = new AtomicLong();

    /*
     * The whole lifecycle is one volatile long, changed only by CAS: the low two bits are the
     * state, the rest counts accepted cancel requests. Transitions:
     *   PENDING -> RUNNING               the task's thread, before the body (one CAS decides
     *                                    against a cancel-before-start)
     *   PENDING -> CANCELLED (+request)  cancel(); the body never runs
     *   RUNNING -> RUNNING (+request)    cancel(); then the thread is interrupted
     *   RUNNING -> DONE | CANCELLED      the task's thread, after it left the body
     * "Is it terminal" is the range check state >= DONE. Recording a request and reaching a
     * terminal state are ordered by the same CAS, so cancel() returns true only for a task that
     * was not terminal when the request was recorded.
     */
    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final int CANCELLED = 3;
    private static final long STATE_MASK = 3;
    private static final long ONE_REQUEST = 4;

    private volatile long ctl;

    /** First accepted reason; written before the CAS that counts its request. */
    private volatile @Nullable CancelReason reason;

    /**
     * The completion cell: the result ({@link #NIL} for null) or a {@link Failure}. Written only
     * by the task's thread, before the terminal CAS that publishes it; null for a task cancelled
     * before it started.
     */
    private @Nullable Object outcome;

    /** Treiber stack of {@link Waiter}s; {@link Waiter#TOMBSTONE} once the task is terminal. */
    private volatile @Nullable Waiter waiters;

    private final long id;
    /** The name given at fork, or null: {@link #name()} is then {@code Task-<id>}, made on demand. */
    private final @Nullable String givenName;
    private final TaskScope<?> scope;
    private final Thread thread;
    /** Every interrupt of a cancel goes through it, so that a shield can hold it back. */
    private final InterruptGate gate;
    private @Nullable Callable<? extends T> body;

    /** The scope's task list, newest first; set before the task is published. */
    @Nullable ForkedTask<?> next;

    ForkedTask(TaskScope<?> scope, @Nullable String name, Callable<? extends T> body, ThreadFactory factory) {
        super(scope);
        this.id = nextId();
        // Unnamed tasks build no name string and leave their thread unnamed, as the JDK's executors
        // do: "Task-" + id and setName took about a tenth of fork's CPU time (docs/performance.md).
        this.givenName = name;
        this.scope = scope;
        this.body = body;
        Thread t = factory.newThread(this);
        if (t == null) {
            throw new RejectedExecutionException("the thread factory of " + scope + " returned null for task '"
                    + name() + "': it refused to create a thread");
        }
        if (name != null && t.getName().isEmpty()) {
            t.setName(name);
        }
        this.thread = t;
        this.gate = new InterruptGate(t);
    }

    /** {@return a new task id; gathers share the sequence, so ids are unique among all tasks} */
    static long nextId() {
        return IDS.incrementAndGet();
    }

    // ---- the thread's side ------------------------------------------------------------------

    @Override
    public void run() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("task '" + name() + "' runs only on the thread its scope started for it");
        }
        runLifecycle();
    }

    /**
     * The thread's side of the lifecycle: start (or lose to a cancel-before-start), body,
     * completion, then the scope's bookkeeping. Only {@link #run()} calls it in the library; the
     * jcstress tests (src/jcstress) call it from their actor threads, which drive a task's thread
     * side without starting a thread per trial, and which cannot be the thread the factory made.
     */
    void runLifecycle() {
        try {
            if (CTL.compareAndSet(this, (long) PENDING, (long) RUNNING)) {
                runBody();
            }
        } finally {
            scope.taskEnded(this);
        }
    }

    private void runBody() {
        Callable<? extends T> b = Objects.requireNonNull(body);
        body = null;
        @Nullable Object result = null;
        @Nullable Throwable failure = null;
        CURRENT.set(this);
        try {
            result = b.call();
        } catch (Throwable t) {
            failure = t;
        } finally {
            closeLeftoverScopes();
            CURRENT.remove();
        }
        complete(result, failure);
    }

    /** A body that opened scopes without closing them must not leave their tasks behind. */
    private void closeLeftoverScopes() {
        for (TaskScope<?> s = firstChildScope(); s != null; s = firstChildScope()) {
            s.closeAbandoned();
        }
    }

    private void complete(@Nullable Object result, @Nullable Throwable failure) {
        outcome = failure != null ? new Failure(failure) : result == null ? NIL : result;
        for (;;) {
            long c = ctl;
            long requests = c >>> 2;
            int terminal = DONE;
            long added = 0;
            if (failure != null) {
                if (requests > 0) {
                    terminal = Interrupts.causedByCancel(failure) ? CANCELLED : DONE;
                } else if (Interrupts.isInterrupt(failure) || Interrupts.isSelfCancel(failure)) {
                    // a foreign Thread.interrupt(), or a body cancelling itself, counts as a request
                    terminal = CANCELLED;
                    added = ONE_REQUEST;
                    REASON.compareAndSet(this, null, Interrupts.isInterrupt(failure)
                            ? new CancelReason(CancelReason.Kind.INTERRUPTED, "thread interrupted")
                            : new CancelReason(CancelReason.Kind.SELF, "body threw CancellationException"));
                }
            }
            if (CTL.compareAndSet(this, c, (c & ~STATE_MASK) + added + terminal)) {
                break;
            }
        }
        signalWaiters();
    }

    // ---- cancellation -----------------------------------------------------------------------

    @Override
    public boolean cancel(CancelReason why) {
        Objects.requireNonNull(why, "reason");
        for (;;) {
            long c = ctl;
            int s = (int) (c & STATE_MASK);
            if (s >= DONE) {
                return false;
            }
            if (reason == null) {
                REASON.compareAndSet(this, null, why);
            }
            long next = s == PENDING ? c + ONE_REQUEST + CANCELLED : c + ONE_REQUEST;
            if (CTL.compareAndSet(this, c, next)) {
                if (s == PENDING) {
                    signalWaiters();
                } else {
                    // children first: once interrupted, the body may close the scopes it opened
                    // itself, and their tasks would keep "scope closed" instead of this reason
                    cancelChildren(why);
                    gate.request(0);
                }
                return true;
            }
        }
    }

    /** Marks a task whose thread could not start; its scope reports the error to the forker. */
    void failToStart(Throwable error) {
        outcome = new Failure(error);
        CTL.compareAndSet(this, (long) PENDING, (long) DONE);
        signalWaiters();
    }

    @Override
    public int cancelRequests() {
        return (int) Math.min(Integer.MAX_VALUE, ctl >>> 2);
    }

    @Override
    public Optional<CancelReason> cancelReason() {
        return (ctl >>> 2) > 0 ? Optional.ofNullable(reason) : Optional.empty();
    }

    @Override
    @Nullable CancelReason cancelledBy() {
        long c = ctl;
        return (c >>> 2) > 0 && (c & STATE_MASK) < DONE ? reason : null;
    }

    @Override
    @Nullable CancelReason pendingForThread() {
        return cancelledBy();
    }

    @Override
    boolean isThreadRoot() {
        return true;
    }

    @Override
    void cancelFromParent(CancelReason why) {
        cancel(why);
    }

    @Override
    long requestStamp() {
        return ctl >>> 2;
    }

    @Override
    String label() {
        return "task '" + name() + "'";
    }

    // ---- reading the outcome ----------------------------------------------------------------

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        String n = givenName;
        return n != null ? n : "Task-" + id;
    }

    @Override
    public State state() {
        return stateOf(ctl);
    }

    private static State stateOf(long c) {
        return switch ((int) (c & STATE_MASK)) {
            case PENDING -> State.PENDING;
            case RUNNING -> State.RUNNING;
            case DONE -> State.DONE;
            default -> State.CANCELLED;
        };
    }

    TaskScope<?> scope() {
        return scope;
    }

    Thread thread() {
        return thread;
    }

    InterruptGate gate() {
        return gate;
    }

    @Override
    public T resultNow() {
        long c = ctl;
        Object o = outcome;
        if ((c & STATE_MASK) != DONE || o instanceof Failure) {
            throw new IllegalStateException(label() + " has no result: it is " + describeOutcome(c, o)
                    + "; check state() first, or call join() to wait for it");
        }
        return unbox(o);
    }

    @Override
    public Throwable exceptionNow() {
        long c = ctl;
        if ((c & STATE_MASK) == DONE && outcome instanceof Failure f) {
            return f.exception;
        }
        throw new IllegalStateException(label() + " has no exception: it is " + describeOutcome(c, outcome)
                + "; check state() first, or call join() to wait for it");
    }

    private static String describeOutcome(long c, @Nullable Object o) {
        int s = (int) (c & STATE_MASK);
        return switch (s) {
            case PENDING -> "PENDING";
            case RUNNING -> "RUNNING";
            case CANCELLED -> "CANCELLED";
            default -> o instanceof Failure ? "DONE with an exception" : "DONE with a result";
        };
    }

    @Override
    public T join() throws InterruptedException {
        beforeWait();
        awaitTerminal(0, false);
        Frame.throwIfCancelled(); // the caller's cancel may have ended the joined task first
        return report();
    }

    @Override
    public T join(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        beforeWait();
        if (!awaitTerminal(TaskScope.toNanos(timeout), true)) {
            throw new TimeoutException(label() + " did not finish within " + timeout);
        }
        Frame.throwIfCancelled(); // the caller's cancel may have ended the joined task first
        return report();
    }

    private void beforeWait() throws InterruptedException {
        if (Thread.currentThread() == thread && !isTerminal(ctl)) {
            throw new IllegalStateException(label() + " cannot join itself: it would wait forever");
        }
        Frame.throwIfCancelled();
    }

    private T report() {
        long c = ctl;
        Object o = outcome;
        if ((c & STATE_MASK) == CANCELLED) {
            throw cancellationException();
        }
        if (o instanceof Failure f) {
            throw new TaskFailedException(label() + " failed: " + f.exception, f.exception);
        }
        return unbox(o);
    }

    @Override
    public CancellationException cancellationException() {
        CancelReason r = reason;
        CancellationException e = new CancellationException(label() + " was cancelled" + (r == null ? "" : ": " + r));
        if (outcome instanceof Failure f) {
            e.initCause(f.exception);
        }
        return e;
    }

    static boolean isTerminal(long c) {
        return (c & STATE_MASK) >= DONE;
    }

    // ---- waiting ----------------------------------------------------------------------------

    /**
     * Parks until terminal. Returns false on timeout. The blocker is this task, so dumps of the
     * waiting thread show what it waits for.
     */
    boolean awaitTerminal(long nanos, boolean timed) throws InterruptedException {
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        Waiter w = null;
        for (;;) {
            if (isTerminal(ctl)) {
                return true;
            }
            if (w == null) {
                w = new Waiter(Thread.currentThread());
                if (!push(w)) {
                    return true;
                }
                continue;
            }
            if (timed) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    w.target = null;
                    removeDeadWaiters();
                    return false;
                }
                LockSupport.parkNanos(this, remaining);
            } else {
                LockSupport.park(this);
            }
            if (Thread.interrupted()) {
                w.target = null;
                removeDeadWaiters();
                throw new InterruptedException();
            }
        }
    }

    @Override
    public @Nullable Object whenDone(Runnable listener) {
        Waiter w = new Waiter(listener);
        if (!push(w)) {
            listener.run();
            return null;
        }
        return w;
    }

    @Override
    public void forget(Object handle) {
        ((Waiter) handle).target = null;
        removeDeadWaiters();
    }

    /** Pushes a waiter; false if the task is already terminal (the waiter was not pushed). */
    private boolean push(Waiter w) {
        for (;;) {
            Waiter head = waiters;
            if (head == Waiter.TOMBSTONE) {
                return false;
            }
            w.next = head;
            if (WAITERS.compareAndSet(this, head, w)) {
                return true;
            }
        }
    }

    private void signalWaiters() {
        Waiter w = (Waiter) WAITERS.getAndSet(this, Waiter.TOMBSTONE);
        for (; w != null && w != Waiter.TOMBSTONE; w = w.next) {
            w.fire();
        }
    }

    /** Unlinks waiters that gave up (timeout or interrupt), as FutureTask does. */
    private void removeDeadWaiters() {
        retry:
        for (;;) {
            Waiter pred = null;
            Waiter q = waiters;
            if (q == Waiter.TOMBSTONE) {
                return;
            }
            while (q != null) {
                Waiter s = q.next;
                if (q.target != null) {
                    pred = q;
                } else if (pred != null) {
                    pred.next = s;
                    if (pred.target == null) {
                        continue retry;
                    }
                } else if (!WAITERS.compareAndSet(this, q, s)) {
                    continue retry;
                }
                q = s;
            }
            return;
        }
    }

    /** A thread to unpark, or an internal listener to run, when the task becomes terminal. */
    static final class Waiter {
        static final Waiter TOMBSTONE = new Waiter("terminal");

        volatile @Nullable Object target;
        volatile @Nullable Waiter next;

        Waiter(Object target) {
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

    private static final class Failure {
        final Throwable exception;

        Failure(Throwable exception) {
            this.exception = exception;
        }
    }

    private static final Object NIL = new Object();

    /** The result stored in the completion cell; T may be a nullable type, hence the suppression. */
    @SuppressWarnings({"unchecked", "NullAway"})
    private static <T extends @Nullable Object> T unbox(@Nullable Object o) {
        return (T) (o == NIL ? null : o);
    }

    // ---- description ------------------------------------------------------------------------

    @Override
    public String toString() {
        return info(List.of()).toString();
    }

    /** A snapshot of this task; {@code scopes} are the scopes its body has open, if wanted. */
    TaskInfo info(List<ScopeInfo> scopes) {
        long c = ctl;
        int s = (int) (c & STATE_MASK);
        String runningAt = null;
        String waitingFor = null;
        String result = null;
        String exception = null;
        if (s == RUNNING) {
            StackTraceElement[] stack = StackReader.shared().forDump(thread); // bounded: never hangs a dump
            int user = StackFrames.firstUserFrame(stack);
            runningAt = user >= 0 ? StackFrames.describe(stack[user]) : StackReader.unavailable(stack);
            waitingFor = LockSupport.getBlocker(thread) instanceof ForkedTask<?> other
                    ? "<Task #" + other.id + " '" + other.name() + "'>"
                    : StackFrames.waitingIn(stack, user);
        } else if (s == DONE) {
            Object o = outcome;
            if (o instanceof Failure f) {
                exception = describeException(f.exception);
            } else {
                result = describeValue(o == NIL ? null : o);
            }
        }
        long requests = c >>> 2;
        return new TaskInfo(id, name(), stateOf(c), runningAt, waitingFor, result, exception,
                (int) Math.min(Integer.MAX_VALUE, requests), requests > 0 ? reason : null, scopes);
    }

    static String describeException(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "()" : "('" + abbreviate(message) + "')");
    }

    private static String describeValue(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        String text = abbreviate(String.valueOf(value));
        return value instanceof CharSequence ? "'" + text + "'" : text;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static final VarHandle CTL;
    private static final VarHandle REASON;
    private static final VarHandle WAITERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CTL = l.findVarHandle(ForkedTask.class, "ctl", long.class);
            REASON = l.findVarHandle(ForkedTask.class, "reason", CancelReason.class);
            WAITERS = l.findVarHandle(ForkedTask.class, "waiters", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
