package io.github.loomtasks;

import io.github.loomtasks.internal.PaddedInt;
import io.github.loomtasks.internal.PaddedReference;
import io.github.loomtasks.internal.Timers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A structured scope of tasks, after the JDK's {@code StructuredTaskScope}: every task forked
 * into it runs on its own thread, and no task outlives the scope.
 *
 * {@snippet :
 * try (var scope = TaskScope.open()) {
 *     Task<String> user = scope.fork("user", () -> fetchUser(id));
 *     Task<Integer> orders = scope.fork("orders", () -> countOrders(id));
 *     scope.join();                       // waits for both
 *     return user.resultNow() + " has " + orders.resultNow() + " orders";
 * }                                       // close(): cancels what is left, waits for all of it
 * }
 *
 * <h2>Owner</h2>
 * The thread that opens a scope owns it. The owner, and the scope's own tasks (and their
 * descendants), may {@link #fork fork}; only the owner may {@link #join()} and {@link #close()},
 * otherwise {@link WrongThreadException}. Open scopes with try-with-resources so that they close in
 * the reverse order of opening.
 *
 * <h2>Cancellation</h2>
 * {@link #cancel()} cancels every task that is not terminal, and makes later forks return tasks
 * that are {@code CANCELLED} at once and never run. {@link #close()} cancels what is left and waits
 * until every task's thread has left its task, without giving up on interruption (it restores the
 * interrupt status).
 * A scope opened inside a task is that task's child: cancelling the task cancels the scope. A scope
 * opened while another scope of the same thread is open is that scope's child.
 *
 * <h2>Policy</h2>
 * The {@link Policy} chosen at {@link #open(Policy)} decides whether a task's completion
 * cancels the scope, and what {@link #join()} returns or throws.
 *
 * <h2>Registry</h2>
 * While the scope is open its tasks, finished ones included, are listed by {@link Tasks#all()};
 * when it closes they leave the registry.
 *
 * @param <R> what {@link #join()} returns, as decided by the policy
 */
public final class TaskScope<R extends @Nullable Object> extends Frame implements AutoCloseable {
    // Longer than the ~400 lines we aim for: its code is about 400 lines, the rest is the public
    // API's documentation. What is left is hot (fork, join, a task's end) or reads the private
    // state that fork and join race on; close()'s wait must stay here too, since stuck reports
    // recognise a closing scope by its frames (internal.StuckThreads).
    private static final AtomicLong IDS = new AtomicLong();

    /* Phases, owner-driven: OPEN -> JOINED -> CLOSED, or OPEN -> CLOSED. */
    private static final int OPEN = 0;
    private static final int JOINED = 1;
    private static final int CLOSED = 2;

    private final long id;
    private final String name;
    private final Thread owner;
    private final Policy<R> policy;
    private final ScopeConfig config;

    private volatile int phase;
    /** Set once, by the first cancel; new forks are born cancelled from then on. */
    private volatile @Nullable CancelReason cancelReason;
    // Every fork writes the newest task and every task's end the ended count, while both read this
    // scope's other fields: each of the two has cache lines of its own. Sharing one line with the
    // rest made the owner's forks about three times as expensive while carriers ran the tasks.
    /**
     * Every forked task, newest first, linked through {@link ForkedTask#next}; the newest task's
     * {@link ForkedTask#ordinal} is how many tasks were forked, so forks count themselves here.
     */
    private final PaddedReference<ForkedTask<?>> newest = new PaddedReference<>();
    /** Tasks whose end-of-task bookkeeping has run; {@link #unfinished()} is forked minus ended. */
    private final PaddedInt ended = new PaddedInt();
    /**
     * Whether the owner is parked (or about to park) waiting for {@link #unfinished()} to reach
     * zero. Set before the owner reads the counts, read by a task after it counted its end, so that
     * one of the two always sees the other; tasks that end while nobody waits skip the unpark.
     */
    private volatile boolean ownerWaiting;
    /** A policy that threw; join reports it. */
    private volatile @Nullable RuntimeException policyFailure;
    /** Set when close gave up on stuck tasks; the last one to end removes the scope from the registry. */
    private volatile boolean abandoned;

    /** The reason the scope's own deadline cancels it with; null without a deadline. */
    private final @Nullable CancelReason deadline;
    /** The deadline's timer, cancelled at close. */
    private @Nullable Future<?> deadlineTimer;
    /** When the deadline passes, in {@link System#nanoTime()}; meaningful only with a deadline. */
    private long deadlineNanos;

    private TaskScope(@Nullable Frame parent, Policy<R> policy, ScopeConfig config) {
        super(parent);
        this.id = IDS.incrementAndGet();
        this.name = config.name().isEmpty() ? "Scope-" + id : config.name();
        this.owner = Thread.currentThread();
        this.policy = policy;
        this.config = config;
        Duration timeout = config.timeout();
        this.deadline = timeout == null ? null
                : new CancelReason(CancelReason.Kind.DEADLINE, "deadline of scope '" + name + "' passed (" + timeout + ")");
    }

    /**
     * Opens a scope that waits for all of its tasks ({@link Policy#awaitAll()}), owned by the
     * current thread.
     *
     * @return the new scope; close it with try-with-resources
     */
    public static TaskScope<@Nullable Void> open() {
        return open(Policy.awaitAll(), ScopeConfig.defaults());
    }

    /**
     * Opens a scope with the given policy, owned by the current thread.
     *
     * @param policy decides on cancelling at each completion and what join returns; a policy
     *     object serves one scope
     * @return the new scope; close it with try-with-resources
     */
    public static <R extends @Nullable Object> TaskScope<R> open(Policy<R> policy) {
        return open(policy, ScopeConfig.defaults());
    }

    /**
     * Opens a scope with the given policy and configuration, owned by the current thread.
     *
     * @param policy decides on cancelling at each completion and what join returns
     * @param config name, thread factory and deadline
     * @return the new scope; close it with try-with-resources
     */
    public static <R extends @Nullable Object> TaskScope<R> open(Policy<R> policy, ScopeConfig config) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(config, "config");
        Frame parent = current();
        TaskScope<R> scope = new TaskScope<>(parent, policy, config);
        if (parent == null) {
            Registry.addRoot(scope);
        } else {
            parent.addChild(scope);
        }
        setCurrent(scope);
        // register, then check: a parent cancelled concurrently either sees us or we see it
        if (parent != null) {
            CancelReason parentCancelled = parent.cancelledBy();
            if (parentCancelled != null) {
                scope.cancel(new CancelReason(CancelReason.Kind.PARENT_CANCELLED,
                        parent.label() + " was cancelled: " + parentCancelled));
            }
        }
        CancelReason deadline = scope.deadline;
        Duration timeout = config.timeout();
        if (deadline != null && timeout != null) {
            long nanos = toNanos(timeout);
            scope.deadlineNanos = System.nanoTime() + nanos;
            scope.deadlineTimer = Timers.schedule(nanos, () -> scope.cancel(deadline));
        }
        return scope;
    }

    /**
     * Forks a task named {@code Task-<id>}.
     *
     * @see #fork(String, Callable)
     */
    public <T extends @Nullable Object> Task<T> fork(Callable<? extends T> body) {
        return forkNamed(null, Objects.requireNonNull(body, "body"));
    }

    /**
     * Forks a task: starts {@code body} on a new thread of the scope's thread factory. If the
     * scope is already cancelled the task is returned {@code CANCELLED} and its body never runs.
     *
     * @param name the task's name, shown in dumps
     * @param body the work; its result or exception becomes the task's outcome
     * @return the task, {@code PENDING} or already {@code RUNNING}
     * @throws IllegalStateException if the scope was joined or closed
     * @throws WrongThreadException if the caller is neither the owner nor one of the scope's tasks
     * @throws java.util.concurrent.CancellationException if the caller is a task whose
     *     cancellation is pending
     * @throws java.util.concurrent.RejectedExecutionException if the thread factory refused
     */
    public <T extends @Nullable Object> Task<T> fork(String name, Callable<? extends T> body) {
        return forkNamed(Objects.requireNonNull(name, "name"), Objects.requireNonNull(body, "body"));
    }

    private <T extends @Nullable Object> Task<T> forkNamed(@Nullable String name, Callable<? extends T> body) {
        checkCanFork();
        Frame.throwIfCancelledUnchecked();
        ForkedTask<T> task = new ForkedTask<>(this, name, body, config.threadFactory());
        for (;;) {
            ForkedTask<?> h = newest.get();
            task.linkAfter(h);
            if (newest.compareAndSet(h, task)) {
                break;
            }
        }
        CancelReason cancelled = cancelReason;
        if (cancelled != null) {
            task.cancelForScope(cancelled);
            task.releaseThread(); // never started
            taskEnded(task);
            return task;
        }
        try {
            task.start();
        } catch (RuntimeException | Error e) {
            task.failToStart(e);
            taskEnded(task);
            throw e;
        }
        return task;
    }

    private void checkCanFork() {
        int p = phase;
        if (p == CLOSED) {
            throw new IllegalStateException(this + " is closed: fork into an open scope");
        }
        Thread current = Thread.currentThread();
        if (current == owner) {
            if (p == JOINED) {
                throw new IllegalStateException(this + " was joined: fork every task before join()");
            }
            return;
        }
        for (Frame f = current(); f != null; f = f.parent) {
            if (f == this) {
                return;
            }
        }
        throw new WrongThreadException("only the owner of " + this + " (" + owner
                + ") and its tasks may fork into it, not " + current);
    }

    /**
     * Waits until every task forked into the scope is terminal, then returns what the policy
     * decides. With {@link Policy#cancelOnFailure()} a failure cancels the other tasks and this
     * method throws {@link TaskFailedException}.
     *
     * <p>If the scope's deadline ({@link ScopeConfig#withTimeout}) passes before join returns, it
     * cancels the scope with a {@link CancelReason.Kind#DEADLINE} reason, and join throws
     * {@link DeadlineExceededException} once every task is terminal.
     *
     * @return the policy's result ({@code null} for {@link Policy#awaitAll()})
     * @throws DeadlineExceededException if the scope's own deadline cancelled it
     * @throws InterruptedException if the owner is interrupted while waiting, or is a task whose
     *     cancellation is pending
     * @throws TaskFailedException as the policy decides
     * @throws IllegalStateException if the scope was already joined or is closed
     * @throws WrongThreadException if the caller is not the owner
     */
    public R join() throws InterruptedException {
        checkOwner("join");
        int p = phase;
        if (p == CLOSED) {
            throw new IllegalStateException(this + " is closed: join before close");
        }
        if (p == JOINED) {
            throw new IllegalStateException(this + " was already joined: join once, after the last fork");
        }
        Frame.throwIfCancelled();
        try {
            while (ownerMustWait()) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            ownerWaiting = false;
        }
        // a cancel of the owner reaches its scopes before its thread: the tasks may all have ended
        // of it while the owner's interrupt is still on its way; the pending cancel must win
        Frame.throwIfCancelled();
        phase = JOINED;
        settleDeadline();
        RuntimeException broken = policyFailure;
        if (broken != null) {
            throw new IllegalStateException("the policy of " + this + " threw", broken);
        }
        return policy.result();
    }

    /**
     * Once every task is terminal: a deadline that has passed cancels the scope if its timer has
     * not yet, the timer stops, and a scope the deadline cancelled throws.
     */
    private void settleDeadline() {
        CancelReason d = deadline;
        if (d != null && cancelReason == null && System.nanoTime() - deadlineNanos >= 0) {
            // the deadline is a time: its timer runs on a virtual thread, which may still wait
            // for a carrier when tasks that ignored nothing but took too long have all ended
            cancel(d);
        }
        Future<?> timer = deadlineTimer;
        if (timer != null) {
            timer.cancel(false); // the deadline bounds the wait; after it, there is nothing to cancel
        }
        if (d != null && cancelReason == d) {
            throw new DeadlineExceededException(this + ": " + d);
        }
    }

    /**
     * Cancels the scope: every task that is not terminal, and every scope opened inside them.
     *
     * @return {@code true} if this call cancelled the scope, {@code false} if it already was
     */
    public boolean cancel() {
        return cancel(CancelReason.requested());
    }

    /**
     * Cancels the scope for the given reason.
     *
     * @param reason kept by every task the call cancels
     * @return {@code true} if this call cancelled the scope, {@code false} if it already was
     */
    public boolean cancel(CancelReason reason) {
        Objects.requireNonNull(reason, "reason");
        if (cancelReason != null || !CANCEL_REASON.compareAndSet(this, null, reason)) {
            return false;
        }
        // With no task unfinished every task is terminal, and a fork racing this cancel reads the
        // reason set above after linking (counting) itself: the walk (a second pass over a joined scope of a
        // million tasks, when close() cancels) would only find tasks that refuse.
        if (unfinished() > 0) {
            for (ForkedTask<?> t = newest.get(); t != null; t = t.next) {
                t.cancelForScope(reason); // the reason set above: kept by the scope only
            }
        }
        cancelChildren(reason);
        return true;
    }

    /** {@return whether the scope was cancelled} */
    public boolean isCancelled() {
        return cancelReason != null;
    }

    /** {@return why the scope was cancelled: the first reason, if it was} */
    public Optional<CancelReason> cancelReason() {
        return Optional.ofNullable(cancelReason);
    }

    /**
     * Closes the scope: cancels every task that is not terminal, waits until each task's thread
     * has left its task, and removes the tasks from the registry. Idempotent. Waiting does not
     * stop on interruption; the interrupt status is restored afterwards.
     *
     * <p>Like the JDK's own scopes and executors, it waits for each thread to finish the task it
     * was made for, not for the thread to die: the thread ends a moment later, running only what
     * the thread factory wrapped around the task.
     *
     * @throws WrongThreadException if the caller is not the owner
     * @throws IllegalStateException after closing, if a scope opened inside this one was still
     *     open (it is closed first)
     * @throws StuckTasksException if the scope has a {@linkplain ScopeConfig#withCloseGrace close
     *     grace} and tasks were still running when it passed; they are named in the message
     */
    @Override
    public void close() {
        checkOwner("close");
        if (phase == CLOSED) {
            return;
        }
        TaskScope<?> leftOpen = firstChildScope();
        for (TaskScope<?> s = leftOpen; s != null; s = firstChildScope()) {
            s.closeAbandoned();
        }
        StuckTasksException stuck = closeAbandoned();
        if (leftOpen != null) {
            throw new IllegalStateException(leftOpen + " was still open when " + this
                    + " closed: close scopes in the reverse order of opening (try-with-resources does)");
        }
        if (stuck != null) {
            throw stuck;
        }
    }

    /** Closes without structure checks: for leftovers of a body or of an enclosing scope. */
    @Nullable StuckTasksException closeAbandoned() {
        for (TaskScope<?> s = firstChildScope(); s != null; s = firstChildScope()) {
            s.closeAbandoned();
        }
        Future<?> timer = deadlineTimer;
        if (timer != null) {
            timer.cancel(false);
        }
        Frame around = parent;
        CancelReason inherited = around == null ? null : around.reasonForChildren();
        // closed because the frame around it was cancelled: say so, as that cancel would have
        cancel(inherited != null ? inherited : new CancelReason(CancelReason.Kind.SCOPE_CLOSED, "scope '" + name + "' closed"));
        // every task's thread counts itself out as its last act in the task (as the JDK's scopes
        // wait for their threads to exit their container), so this waits for every thread
        boolean interrupted = awaitTasksUninterruptibly();
        StuckTasksException stuck = unfinished() > 0 ? stuckReport() : null;
        phase = CLOSED;
        Frame p = parent;
        if (p != null) {
            p.removeChild(this);
        }
        if (stuck == null) {
            Registry.removeRoot(this);
        } else {
            keepListedUntilStuckTasksEnd(p);
        }
        if (current() == this) {
            setCurrent(p);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return stuck;
    }

    /** Waits for every task, or until the close grace passes; {@return whether interrupted} */
    private boolean awaitTasksUninterruptibly() {
        boolean interrupted = false;
        Duration grace = config.closeGrace();
        long deadline = grace == null ? 0L : System.nanoTime() + toNanos(grace);
        while (ownerMustWait()) {
            if (grace == null) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
            interrupted |= Thread.interrupted();
        }
        ownerWaiting = false;
        return interrupted;
    }

    private StuckTasksException stuckReport() {
        List<Task<?>> stuck = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (Task<?> t : tasks()) {
            if (!t.isDone()) {
                stuck.add(t);
                StuckReport.describe(b, (ForkedTask<?>) t);
            }
        }
        String header = label() + " closed with " + stuck.size() + (stuck.size() == 1 ? " task" : " tasks")
                + " still running after the close grace of " + config.closeGrace()
                + "; they stay listed by Tasks.all() until they end:\n";
        return new StuckTasksException(header + b, stuck);
    }

    /**
     * A closed scope whose tasks would not stop stays in the registry, as a root, so that the
     * stuck tasks are reported and not hidden; the last of them to end takes it out.
     */
    private void keepListedUntilStuckTasksEnd(@Nullable Frame p) {
        if (p != null) {
            Registry.addRoot(this);
        }
        abandoned = true;
        if (unfinished() == 0) {
            Registry.removeRoot(this);
        }
    }

    private void checkOwner(String what) {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("only the owner of " + this + " (" + owner + ") may " + what
                    + " it, not " + Thread.currentThread());
        }
    }

    /** End-of-task bookkeeping, once per task: the policy sees it, then the owner may wake. */
    void taskEnded(ForkedTask<?> task) {
        try {
            if (policy.onComplete(task) && cancelReason == null) {
                cancel(policyReason(task));
            }
        } catch (RuntimeException e) {
            POLICY_FAILURE.compareAndSet(this, null, e);
            cancel(new CancelReason(CancelReason.Kind.POLICY, "the policy of scope '" + name + "' threw " + e));
        } finally {
            // unparking a platform thread that is not parked still costs a system call: in
            // fork_join, where tasks often end faster than the owner forks, it was ~5% of the CPU
            if (countEnded()) {
                if (ownerWaiting) {
                    LockSupport.unpark(owner);
                }
                if (abandoned) {
                    Registry.removeRoot(this);
                }
            }
        }
    }

    /**
     * Counts a task's end; {@return whether it was the last unfinished task and someone waits for
     * that: the owner, or the registry for an abandoned scope} Only then does it read the newest
     * task, whose cache line every fork writes.
     */
    boolean countEnded() {
        int e = ended.incrementAndGet();
        return (ownerWaiting || abandoned) && e == Objects.requireNonNull(newest.get()).ordinal;
    }

    /**
     * Announces that the owner is about to park until every task has ended; {@return whether it
     * must}: after this, the task whose end makes {@link #unfinished()} zero sees the announcement.
     */
    boolean ownerMustWait() {
        ownerWaiting = true;
        return unfinished() > 0;
    }

    /**
     * {@return how many tasks were forked and have not ended} Reads the ended count before the
     * newest task: a task ends only after it was linked, so the difference is never below the true
     * count at the moment of the second read, and zero means that every task had ended by then.
     * The two counts are ints that may wrap in a scope that lives for billions of forks; their
     * difference stays exact while fewer than 2^31 tasks are unfinished.
     */
    int unfinished() {
        int e = ended.get();
        ForkedTask<?> n = newest.get();
        return (n == null ? 0 : n.ordinal) - e;
    }

    private CancelReason policyReason(ForkedTask<?> task) {
        if (task.state() == Task.State.DONE && !task.cancelIgnored()) {
            try {
                Throwable failure = task.exceptionNow();
                return new CancelReason(CancelReason.Kind.SIBLING_FAILED, "sibling '" + task.name() + "' failed: "
                        + ForkedTask.describeException(failure));
            } catch (IllegalStateException succeeded) {
                return new CancelReason(CancelReason.Kind.POLICY, "sibling '" + task.name() + "' succeeded");
            }
        }
        return new CancelReason(CancelReason.Kind.POLICY, "policy stopped after " + task.label() + " ended " + task.state());
    }

    // ---- frame -------------------------------------------------------------------------------

    @Override
    @Nullable CancelReason cancelledBy() {
        return cancelReason;
    }

    @Override
    @Nullable CancelReason pendingForThread() {
        return null;
    }

    @Override
    boolean isThreadRoot() {
        return false;
    }

    @Override
    void cancelFromParent(CancelReason why) {
        cancel(why);
    }

    @Override
    String label() {
        return "scope '" + name + "'";
    }

    // ---- views -------------------------------------------------------------------------------

    /** {@return the scope's id, unique in this process} */
    public long id() {
        return id;
    }

    /** {@return the scope's name, {@code Scope-<id>} unless one was configured} */
    public String name() {
        return name;
    }

    /** {@return the thread that opened the scope} */
    public Thread owner() {
        return owner;
    }

    /**
     * {@return a snapshot of the scope's tasks in fork order, finished ones included} Safe to call
     * from any thread.
     */
    public List<Task<?>> tasks() {
        List<Task<?>> list = new ArrayList<>();
        for (ForkedTask<?> t = newest.get(); t != null; t = t.next) {
            list.add(t);
        }
        Collections.reverse(list);
        return list;
    }

    /** Tasks in fork order, for the registry. */
    void collectTasks(List<ForkedTask<?>> into) {
        int start = into.size();
        for (ForkedTask<?> t = newest.get(); t != null; t = t.next) {
            into.add(t);
        }
        Collections.reverse(into.subList(start, into.size()));
    }

    ScopeInfo.Phase phase() {
        return switch (phase) {
            case OPEN -> ScopeInfo.Phase.OPEN;
            case JOINED -> ScopeInfo.Phase.JOINED;
            default -> ScopeInfo.Phase.CLOSED;
        };
    }

    /** A snapshot of this scope with the given contents. */
    ScopeInfo info(String ownerName, List<TaskInfo> tasks, List<ScopeInfo> scopes) {
        return new ScopeInfo(id, name, phase(), ownerName, cancelReason, tasks, scopes);
    }

    /** {@return {@code <TaskScope OPEN #1 'name'>}, with {@code CANCELLED} and the reason once cancelled} */
    @Override
    public String toString() {
        return info(owner.getName(), List.of(), List.of()).toString();
    }

    static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static final VarHandle CANCEL_REASON;
    private static final VarHandle POLICY_FAILURE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CANCEL_REASON = l.findVarHandle(TaskScope.class, "cancelReason", CancelReason.class);
            POLICY_FAILURE = l.findVarHandle(TaskScope.class, "policyFailure", RuntimeException.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
