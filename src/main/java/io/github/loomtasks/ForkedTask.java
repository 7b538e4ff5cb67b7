package io.github.loomtasks;

import io.github.loomtasks.internal.InterruptGate;
import io.github.loomtasks.internal.Spins;
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
 *
 * <p>It is longer than the ~400 lines we aim for, on purpose: every extra object per task shows in
 * the benchmarks (docs/performance.md), so state, outcome and frame live in this one object, and
 * the code that reads its private state stays beside it, as in the JDK's {@code FutureTask}. What
 * does not need that state lives apart: {@link WaiterStack}, {@link InterruptGate}, the stack
 * reads of {@code internal.StackReader}.
 *
 * <p>It is also its thread's uncaught-exception handler: that is how loomtasks calls made by the
 * body find their task ({@link #ofCurrentThread()}) without a {@code ThreadLocal}, whose map cost
 * 136 bytes per task, more than the task itself (docs/performance.md; {@code ScopedValue} is a
 * preview API on JDK 21). The handler passes any uncaught exception on to the one the thread
 * factory set, or to the thread group, so uncaught exceptions are reported as before.
 */
final class ForkedTask<T extends @Nullable Object> extends Frame
        implements Task<T>, Runnable, Awaitable, Thread.UncaughtExceptionHandler {
    private static final AtomicLong IDS = new AtomicLong();

    /*
     * The whole lifecycle is one volatile long, changed only by atomic updates: the low two bits
     * are the state, then two flags (INTERRUPTING, SCOPE_REASON, below), and the rest counts
     * accepted cancel requests. Transitions:
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
    /**
     * Set while a canceller interrupts a thread that has no {@link InterruptGate}: the making of
     * the gate waits for it to clear, so an interrupt never lands in the first shield or deadline.
     */
    private static final long INTERRUPTING = 4;
    /**
     * The first accepted request was the scope's: its reason is the scope's own, not kept in
     * {@link #reason}. Flags rather than references: a cancel that writes references into a
     * million old tasks makes G1 refine their cards, a third of what cancelling them cost more
     * than raw (docs/performance.md).
     */
    private static final long SCOPE_REASON = 8;
    private static final int REQUEST_SHIFT = 4;
    private static final long ONE_REQUEST = 1L << REQUEST_SHIFT;

    private volatile long ctl;

    /**
     * The reason of the first accepted request, unless that was the scope's ({@link #SCOPE_REASON}).
     * Whoever installs it (a cancel() call, or the task's thread for a foreign interrupt) is the
     * only one that may count the first request, besides the scope, which counts its own with the
     * flag in one step; others wait the few instructions until it is counted or the task ended. So
     * a counted request always has its reason, and the reason kept is the first accepted call's,
     * never a refused one's ({@link #reasonOf}).
     */
    private volatile @Nullable CancelReason reason;

    /**
     * The body until the task starts; then the completion cell: the result ({@link #NIL} for
     * null) or a {@link Failure}, or null for a CANCELLED task. Written only by the task's thread
     * (the outcome before the terminal CAS that publishes it), and read as an outcome only in
     * state DONE.
     */
    private @Nullable Object cell;

    /**
     * Who waits for the task's end: null until someone does (most tasks are joined through their
     * scope, and then nothing is written here at all); {@link WaiterStack#CLOSED} once the task is
     * terminal, if someone did ({@link #waiters()}).
     */
    private volatile @Nullable WaiterStack waiters;

    private final long id;
    /** The name given at fork, or null: {@link #name()} is then {@code Task-<id>}, made on demand. */
    private final @Nullable String givenName;
    /**
     * The task's thread until it has left the task: a task holds no thread once it ended (a
     * million finished tasks of an open scope kept 260 MB of dead threads). Set before the task
     * is published, cleared by the thread itself as its last act; racing readers may see either.
     */
    private @Nullable Thread thread;
    /**
     * The thread's {@link InterruptGate}, through which every interrupt of a cancel goes once the
     * thread has one, so that a shield can hold it back; made by the first shield or deadline the
     * body opens, so most tasks never have one: until then a canceller interrupts the thread under
     * {@link #INTERRUPTING}. Written only by the task's thread.
     */
    private volatile @Nullable InterruptGate gate;
    /** The handler the thread factory set, to which uncaught exceptions go; null: the thread group. */
    private final Thread.@Nullable UncaughtExceptionHandler factoryHandler;
    /**
     * The innermost frame of this task's thread while the body runs: the task itself, or the
     * newest scope or block the body opened. Read and written only by that thread.
     */
    private @Nullable Frame innermost;

    /** The scope's task list, newest first; set before the task is published. */
    @Nullable ForkedTask<?> next;
    /**
     * How many tasks the scope had forked once this one was linked, itself included: the newest
     * task's ordinal is the scope's count of forks (an int that wraps, see TaskScope#unfinished).
     * Set with {@link #next}; it fills a gap in the object's layout, which stays 80 bytes.
     */
    int ordinal;

    ForkedTask(TaskScope<?> scope, @Nullable String name, Callable<? extends T> body, ThreadFactory factory) {
        super(scope);
        this.id = nextId();
        // Unnamed tasks build no name string and leave their thread unnamed, as the JDK's executors
        // do: "Task-" + id and setName took about a tenth of fork's CPU time (docs/performance.md).
        this.givenName = name;
        this.cell = body;
        Thread t = factory.newThread(this);
        if (t == null) {
            throw new RejectedExecutionException("the thread factory of " + scope + " returned null for task '"
                    + name() + "': it refused to create a thread");
        }
        if (name != null && t.getName().isEmpty()) {
            t.setName(name);
        }
        this.thread = t;
        Thread.UncaughtExceptionHandler h = t.getUncaughtExceptionHandler();
        this.factoryHandler = h == t.getThreadGroup() ? null : h;
        t.setUncaughtExceptionHandler(this);
    }

    /** {@return the task whose own thread is the current thread, or null} */
    static @Nullable ForkedTask<?> ofCurrentThread() {
        Thread t = Thread.currentThread();
        return t.getUncaughtExceptionHandler() instanceof ForkedTask<?> task && task.thread == t ? task : null;
    }

    /** Passes an exception that escaped {@link #run()} on, as if this task were not the handler. */
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        Thread.UncaughtExceptionHandler h = factoryHandler;
        if (h == null) {
            h = t.getThreadGroup();
        }
        if (h != null) {
            h.uncaughtException(t, e);
        }
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
        // one method, the body called from it: every frame under the body is walked again by the
        // fillInStackTrace of each InterruptedException a cancel causes (docs/performance.md)
        try {
            if (!CTL.compareAndSet(this, (long) PENDING, (long) RUNNING)) {
                cell = null; // cancelled before it started: the body is never run, let it go
                return;
            }
            @SuppressWarnings("unchecked")
            Callable<? extends T> b = (Callable<? extends T>) Objects.requireNonNull(cell);
            cell = null;
            @Nullable Object result = null;
            @Nullable Throwable failure = null;
            setCurrent(this);
            try {
                result = b.call();
            } catch (Throwable t) {
                failure = t;
            } finally {
                closeLeftoverScopes();
                setCurrent(null);
            }
            complete(result, failure);
        } finally {
            if (Thread.currentThread() == thread) {
                releaseThread(); // before taskEnded's count, which is what close() waits for
            }
            scope().taskEnded(this);
        }
    }

    /** A body that opened scopes without closing them must not leave their tasks behind. */
    private void closeLeftoverScopes() {
        for (TaskScope<?> s = firstChildScope(); s != null; s = firstChildScope()) {
            s.closeAbandoned();
        }
    }

    private void complete(@Nullable Object result, @Nullable Throwable failure) {
        CancelReason own = null;
        for (int spins = 0;; spins++) {
            long c = ctl;
            long requests = requests(c);
            int terminal = DONE;
            long added = 0;
            if (failure != null) {
                if (requests > 0) {
                    terminal = Interrupts.causedByCancel(failure) ? CANCELLED : DONE;
                } else if (Interrupts.isInterrupt(failure) || Interrupts.isSelfCancel(failure)) {
                    // a foreign Thread.interrupt(), or a body cancelling itself, counts as a request
                    if (own == null) {
                        own = Interrupts.isInterrupt(failure)
                                ? new CancelReason(CancelReason.Kind.INTERRUPTED, "thread interrupted")
                                : new CancelReason(CancelReason.Kind.SELF, "body threw CancellationException");
                    }
                    if (!claimFirstRequest(own, spins)) {
                        continue; // a cancel() installed its reason first: it is being counted
                    }
                    terminal = CANCELLED;
                    added = ONE_REQUEST;
                }
            }
            // A cancelled task keeps its reason, not the exception that ended its body (as a
            // cancelled Future): keeping a million InterruptedExceptions with their stack traces
            // until the scope closed tripled the cost of cancelling them (docs/performance.md).
            cell = terminal == CANCELLED ? null : failure != null ? new Failure(failure) : result == null ? NIL : result;
            if (CTL.compareAndSet(this, c, (c & ~STATE_MASK) + added + terminal)) {
                break;
            }
        }
        signalWaiters();
    }

    // ---- cancellation -----------------------------------------------------------------------

    @Override
    public boolean cancel(CancelReason why) {
        return request(Objects.requireNonNull(why, "reason"), false);
    }

    /**
     * Cancels the task for its scope's reason, {@code scopeReason}, which the scope has set before:
     * what the scope's cancel and a fork into a cancelled scope call. The task then reads its reason
     * from the scope, and no reference is written into it.
     */
    boolean cancelForScope(CancelReason scopeReason) {
        return request(scopeReason, true);
    }

    /** Records a cancel request for {@code why}, which is the scope's own if {@code byScope}. */
    private boolean request(CancelReason why, boolean byScope) {
        for (int spins = 0;; spins++) {
            long c = ctl;
            int s = (int) (c & STATE_MASK);
            if (s >= DONE) {
                return false;
            }
            long next = s == PENDING ? c + ONE_REQUEST + CANCELLED : c + ONE_REQUEST;
            if (requests(c) == 0) {
                if (byScope) {
                    next |= SCOPE_REASON;
                } else if (!claimFirstRequest(why, spins)) {
                    continue;
                }
            }
            if (CTL.compareAndSet(this, c, next)) {
                if (s == PENDING) {
                    signalWaiters();
                } else {
                    // children first: once interrupted, the body may close the scopes it opened
                    // itself, and their tasks would keep "scope closed" instead of this reason
                    cancelChildren(why);
                    interruptThread();
                }
                return true;
            }
        }
    }

    /**
     * While no request is counted: installs {@code why} as the reason of the first request, or
     * finds it installed. {@return whether the caller may now count the first request} False
     * after a short back-off when another caller installed its own reason and is about to count
     * it (or to find the task ended): the caller then reads the state again.
     */
    private boolean claimFirstRequest(CancelReason why, int spins) {
        CancelReason r = reason;
        if (r == null && REASON.compareAndSet(this, null, why)) {
            return true;
        }
        if (r == why || reason == why) {
            return true;
        }
        Spins.backOff(spins);
        return false;
    }

    /** Marks a task whose thread could not start; its scope reports the error to the forker. */
    void failToStart(Throwable error) {
        cell = new Failure(error);
        releaseThread();
        CTL.compareAndSet(this, (long) PENDING, (long) DONE);
        signalWaiters();
    }

    @Override
    public int cancelRequests() {
        return (int) Math.min(Integer.MAX_VALUE, requests(ctl));
    }

    @Override
    public Optional<CancelReason> cancelReason() {
        return Optional.ofNullable(reasonOf(ctl));
    }

    @Override
    @Nullable CancelReason cancelledBy() {
        long c = ctl;
        return (c & STATE_MASK) < DONE ? reasonOf(c) : null;
    }

    private static long requests(long c) {
        return c >>> REQUEST_SHIFT;
    }

    /** {@return the reason of the first accepted request, as {@code c} counts them, or null} */
    private @Nullable CancelReason reasonOf(long c) {
        if (requests(c) == 0) {
            return null;
        }
        return (c & SCOPE_REASON) != 0 ? scope().cancelledBy() : reason;
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
        return requests(ctl);
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

    /** {@return the scope the task was forked into: its parent frame} */
    TaskScope<?> scope() {
        return (TaskScope<?>) Objects.requireNonNull(parent);
    }

    @Nullable Frame innermost() {
        return innermost;
    }

    void innermost(@Nullable Frame frame) {
        innermost = frame;
    }

    /** Makes this task the one forked after {@code previous}, before the scope publishes it. */
    void linkAfter(@Nullable ForkedTask<?> previous) {
        next = previous;
        ordinal = previous == null ? 1 : previous.ordinal + 1;
    }

    /** {@return the task's thread, or null once the thread has left the task} */
    @Nullable Thread thread() {
        return thread;
    }

    /** Lets go of the thread, which has left the task or was never started, and of its gate. */
    void releaseThread() {
        thread = null;
        gate = null;
    }

    /** Starts the task's thread; called once, by fork. */
    void start() {
        Objects.requireNonNull(thread).start();
    }

    /**
     * {@return the gate of the task's thread, made now if it has none, or null once the thread has
     * left the task} Called by the thread itself when its body opens a shield or a deadline: from
     * then on every cancel interrupts through the gate.
     */
    @Nullable InterruptGate gate() {
        InterruptGate g = gate;
        if (g != null) {
            return g;
        }
        Thread t = thread;
        if (t == null) {
            return null;
        }
        g = new InterruptGate(t);
        gate = g;
        // A canceller sets INTERRUPTING, then reads the gate (interruptThread); this thread writes
        // the gate, then reads the flag. So a canceller that found no gate set its flag before the
        // write above, and this read sees it: its interrupt comes first, before any shield opens.
        for (int spins = 0; (ctl & INTERRUPTING) != 0; spins++) {
            Spins.backOff(spins);
        }
        return g;
    }

    /**
     * Interrupts the task's thread for a request of the task itself (shield level 0): through its
     * gate if it has one, else under {@link #INTERRUPTING}, which keeps the thread from finishing
     * the making of its gate, and so from opening a shield, until the interrupt has landed.
     * Nothing if the thread has left the task, which is ending anyway.
     */
    private void interruptThread() {
        for (int spins = 0;; spins++) {
            InterruptGate g = gate;
            if (g != null) {
                g.request(0);
                return;
            }
            Thread t = thread;
            if (t == null) {
                return;
            }
            if (((long) CTL.getAndBitwiseOr(this, INTERRUPTING) & INTERRUPTING) == 0) {
                try {
                    g = gate; // made since the look above: a shield may be open, so go through it
                    if (g == null) {
                        t.interrupt();
                    }
                } finally {
                    CTL.getAndBitwiseAnd(this, ~INTERRUPTING);
                }
                if (g != null) {
                    g.request(0);
                }
                return;
            }
            Spins.backOff(spins); // another canceller is interrupting: this request interrupts again after it
        }
    }

    @Override
    public T resultNow() {
        long c = ctl;
        Object o = cell;
        if ((c & STATE_MASK) != DONE || o instanceof Failure) {
            throw new IllegalStateException(label() + " has no result: it is " + describeOutcome(c, o)
                    + "; check state() first, or call join() to wait for it");
        }
        return unbox(o);
    }

    @Override
    public Throwable exceptionNow() {
        long c = ctl;
        if ((c & STATE_MASK) == DONE && cell instanceof Failure f) {
            return f.exception;
        }
        throw new IllegalStateException(label() + " has no exception: it is " + describeOutcome(c, cell)
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
        Object o = cell;
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
        CancelReason r = reasonOf(ctl);
        return new CancellationException(label() + " was cancelled" + (r == null ? "" : ": " + r));
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
        return isTerminal(ctl) || waiters().await(this, nanos, timed);
    }

    @Override
    public @Nullable Object whenDone(Runnable listener) {
        return waiters().whenDone(listener);
    }

    @Override
    public void forget(Object handle) {
        waiters().forget(handle);
    }

    /**
     * {@return who waits for this task; made by the first who does} The task's end writes
     * nothing here when nobody waits, so the two sides check each other: the end makes the
     * state terminal, then reads this field ({@link #signalWaiters()}); a waiter writes or reads
     * the field, then reads the state, and closes the stack itself if the task has ended. One of
     * them sees the other, so nobody waits on a stack that stays open.
     */
    private WaiterStack waiters() {
        WaiterStack w = waiters;
        if (w == null) {
            if (isTerminal(ctl)) {
                return WaiterStack.CLOSED;
            }
            w = new WaiterStack();
            WaiterStack witness = (WaiterStack) WAITERS.compareAndExchange(this, (WaiterStack) null, w);
            if (witness != null) {
                w = witness;
            }
        }
        if (w != WaiterStack.CLOSED && isTerminal(ctl)) {
            w.close(); // the end may have missed this stack: close it (closing is idempotent)
        }
        return w;
    }

    /** Wakes the waiters of a task that has just become terminal, if anyone waits. */
    private void signalWaiters() {
        if (waiters == null) {
            return; // nobody waited: write nothing into the task (a reference write into an old
                     // task makes G1 refine its card, docs/performance.md); see waiters()
        }
        WaiterStack w = (WaiterStack) WAITERS.getAndSet(this, WaiterStack.CLOSED);
        if (w != null) {
            w.close();
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
    @SuppressWarnings({"unchecked", "NullAway", "TypeParameterUnusedInFormals"})
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
        Thread t = thread;
        if (s == RUNNING && t != null) {
            StackTraceElement[] stack = StackReader.shared().forDump(t); // bounded: never hangs a dump
            int user = StackFrames.firstUserFrame(stack);
            runningAt = user >= 0 ? StackFrames.describe(stack[user]) : StackReader.unavailable(stack);
            waitingFor = LockSupport.getBlocker(t) instanceof ForkedTask<?> other
                    ? "<Task #" + other.id + " '" + other.name() + "'>"
                    : StackFrames.waitingIn(stack, user);
        } else if (s == DONE) {
            Object o = cell;
            if (o instanceof Failure f) {
                exception = describeException(f.exception);
            } else {
                result = describeValue(o == NIL ? null : o);
            }
        }
        return new TaskInfo(id, name(), stateOf(c), runningAt, waitingFor, result, exception,
                (int) Math.min(Integer.MAX_VALUE, requests(c)), reasonOf(c), scopes);
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
            WAITERS = l.findVarHandle(ForkedTask.class, "waiters", WaiterStack.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
