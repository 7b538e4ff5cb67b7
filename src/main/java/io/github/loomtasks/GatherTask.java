package io.github.loomtasks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * asyncio's gathering future: a task without a thread or a body, whose result is the list of its
 * children's results in order. It is {@code RUNNING} until every child is terminal; its outcome is
 * decided then, once, from the children's outcomes and whether a cancel was accepted.
 *
 * @param <E> the type of the list's elements
 */
final class GatherTask<E extends @Nullable Object> implements Task<List<E>>, Awaitable {
    enum Mode { CONTINUE, CANCEL_OTHERS, RETURN_EXCEPTIONS }

    private final long id = ForkedTask.nextId();
    private final String name = "Gather-" + id;
    private final List<Task<?>> children;
    private final Mode mode;

    /*
     * Children not yet terminal, plus one per cancel() in progress (and one during construction).
     * Zero is final: cancel() enters only by raising a positive count, so every accepted request
     * is recorded before the count can reach zero, and the outcome is a function of what is
     * recorded at zero.
     */
    private volatile int remaining;
    private volatile int requests;
    private volatile @Nullable CancelReason reason;
    /** Children DONE with an exception, in completion order: the first is the cause. */
    private final ConcurrentLinkedQueue<Task<?>> failed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean othersCancelled = new AtomicBoolean();
    /** The outcome, set once {@code remaining} is zero: a {@link Outcome}. */
    private volatile @Nullable Outcome outcome;
    private final WaiterStack waiters = new WaiterStack();

    GatherTask(List<Task<?>> children, Mode mode) {
        this.children = children;
        this.mode = mode;
        Awaitable[] hooks = new Awaitable[children.size()];
        for (int i = 0; i < hooks.length; i++) {
            hooks[i] = Awaitable.of(children.get(i));
        }
        remaining = hooks.length + 1;
        for (int i = 0; i < hooks.length; i++) {
            Task<?> child = children.get(i);
            hooks[i].whenDone(() -> childDone(child));
        }
        release();
    }

    private void childDone(Task<?> child) {
        if (Failures.failed(child)) {
            failed.add(child);
            if (mode == Mode.CANCEL_OTHERS && othersCancelled.compareAndSet(false, true)) {
                CancelReason why = new CancelReason(CancelReason.Kind.SIBLING_FAILED, "sibling '" + child.name()
                        + "' of " + name + " failed: " + ForkedTask.describeException(child.exceptionNow()));
                for (Task<?> t : children) {
                    t.cancel(why);
                }
            }
        }
        release();
    }

    private void release() {
        if ((int) REMAINING.getAndAdd(this, -1) == 1) {
            outcome(); // decide now, so that listeners and readers find it
            waiters.close();
        }
    }

    // ---- cancellation -----------------------------------------------------------------------

    /**
     * Cancels the children that are not terminal; true if at least one accepted. An accepted
     * request makes the gather end {@code CANCELLED}, whatever the children do with it.
     */
    @Override
    public boolean cancel(CancelReason why) {
        Objects.requireNonNull(why, "reason");
        for (;;) {
            int r = remaining;
            if (r == 0) {
                return false;
            }
            if (REMAINING.compareAndSet(this, r, r + 1)) {
                break;
            }
        }
        boolean accepted = false;
        try {
            for (Task<?> child : children) {
                accepted |= child.cancel(why);
            }
            if (accepted) {
                REASON.compareAndSet(this, null, why);
                REQUESTS.getAndAdd(this, 1);
            }
        } finally {
            release();
        }
        return accepted;
    }

    @Override
    public int cancelRequests() {
        return requests;
    }

    @Override
    public Optional<CancelReason> cancelReason() {
        return requests > 0 ? Optional.ofNullable(reason) : Optional.empty();
    }

    // ---- outcome ------------------------------------------------------------------------------

    /** The decided outcome; null while children run. Pure in what is recorded at zero, so racing deciders agree. */
    private @Nullable Outcome outcome() {
        Outcome o = outcome;
        if (o != null || remaining != 0) {
            return o;
        }
        o = decide();
        OUTCOME.compareAndSet(this, null, o);
        return outcome;
    }

    private Outcome decide() {
        if (requests > 0) {
            return new Outcome(State.CANCELLED, null, null);
        }
        if (mode == Mode.RETURN_EXCEPTIONS) {
            List<@Nullable Object> values = new ArrayList<>(children.size());
            for (Task<?> child : children) {
                values.add(switch (child.state()) {
                    case DONE -> Failures.failed(child) ? child.exceptionNow() : child.resultNow();
                    default -> Awaitable.of(child).cancellationException();
                });
            }
            return new Outcome(State.DONE, Collections.unmodifiableList(values), null);
        }
        if (!failed.isEmpty()) {
            return new Outcome(State.DONE, null, List.copyOf(failed));
        }
        @Nullable Object[] values = new @Nullable Object[children.size()];
        for (int i = 0; i < values.length; i++) {
            Task<?> child = children.get(i);
            if (child.state() != State.DONE) {
                return new Outcome(State.CANCELLED, null, null, child);
            }
            values[i] = child.resultNow();
        }
        List<@Nullable Object> list = Arrays.asList(values);
        return new Outcome(State.DONE, Collections.unmodifiableList(list), null);
    }

    /** @param cancelledChild in the default modes, the child whose cancellation cancelled the gather */
    private record Outcome(State state, @Nullable List<@Nullable Object> values, @Nullable List<Task<?>> failures,
            @Nullable Task<?> cancelledChild) {
        Outcome(State state, @Nullable List<@Nullable Object> values, @Nullable List<Task<?>> failures) {
            this(state, values, failures, null);
        }
    }

    @Override
    public State state() {
        Outcome o = outcome();
        return o == null ? State.RUNNING : o.state();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<E> resultNow() {
        Outcome o = outcome();
        if (o == null || o.values() == null) {
            throw new IllegalStateException(label() + " has no result: it is " + describe(o)
                    + "; check state() first, or call join() to wait for it");
        }
        return (List<E>) (List<?>) Objects.requireNonNull(o.values());
    }

    @Override
    public Throwable exceptionNow() {
        Outcome o = outcome();
        List<Task<?>> f = o == null ? null : o.failures();
        if (f == null) {
            throw new IllegalStateException(label() + " has no exception: it is " + describe(o)
                    + "; check state() first, or call join() to wait for it");
        }
        return f.get(0).exceptionNow();
    }

    @Override
    public CancellationException cancellationException() {
        Outcome o = outcome();
        Task<?> child = o == null ? null : o.cancelledChild();
        CancelReason r = reason;
        String why = requests > 0 && r != null ? ": " + r
                : child != null ? ": " + child.name() + " was cancelled" : "";
        return new CancellationException(label() + " was cancelled" + why);
    }

    private static String describe(@Nullable Outcome o) {
        if (o == null) {
            return "RUNNING";
        }
        if (o.state() == State.CANCELLED) {
            return "CANCELLED";
        }
        return o.failures() != null ? "DONE with an exception" : "DONE with a result";
    }

    // ---- waiting ------------------------------------------------------------------------------

    @Override
    public @Nullable Object whenDone(Runnable listener) {
        return waiters.whenDone(listener);
    }

    @Override
    public void forget(Object handle) {
        waiters.forget(handle);
    }

    @Override
    public List<E> join() throws InterruptedException {
        Frame.throwIfCancelled();
        await(0, false);
        Frame.throwIfCancelled(); // the caller's cancel may have ended the children first
        return report();
    }

    @Override
    public List<E> join(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        Frame.throwIfCancelled();
        if (!await(TaskScope.toNanos(timeout), true)) {
            throw new TimeoutException(label() + " did not finish within " + timeout);
        }
        Frame.throwIfCancelled(); // the caller's cancel may have ended the children first
        return report();
    }

    private boolean await(long nanos, boolean timed) throws InterruptedException {
        return outcome() != null || waiters.await(this, nanos, timed);
    }

    private List<E> report() {
        Outcome o = Objects.requireNonNull(outcome());
        if (o.state() == State.CANCELLED) {
            throw cancellationException();
        }
        List<Task<?>> f = o.failures();
        if (f != null) {
            throw Failures.of(label() + " failed", f);
        }
        return resultNow();
    }

    // ---- description --------------------------------------------------------------------------

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    private String label() {
        return "gather '" + name + "'";
    }

    @Override
    public String toString() {
        Outcome o = outcome();
        StringBuilder b = new StringBuilder("<Gather ").append(o == null ? State.RUNNING : o.state())
                .append(" #").append(id).append(" '").append(name).append("' of ").append(children.size());
        if (o == null) {
            int done = 0;
            for (Task<?> child : children) {
                done += child.isDone() ? 1 : 0;
            }
            b.append(" done=").append(done);
            if (requests > 0) {
                b.append(" cancelling=").append(requests).append(" reason=<").append(reason).append('>');
            }
        } else if (o.state() == State.CANCELLED) {
            b.append(" reason=<").append(requests > 0 ? reason : o.cancelledChild() + " was cancelled").append('>');
        } else if (o.failures() != null) {
            b.append(" exception=").append(ForkedTask.describeException(exceptionNow()));
        }
        return b.append('>').toString();
    }

    private static final VarHandle REMAINING;
    private static final VarHandle REQUESTS;
    private static final VarHandle REASON;
    private static final VarHandle OUTCOME;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            REMAINING = l.findVarHandle(GatherTask.class, "remaining", int.class);
            REQUESTS = l.findVarHandle(GatherTask.class, "requests", int.class);
            REASON = l.findVarHandle(GatherTask.class, "reason", CancelReason.class);
            OUTCOME = l.findVarHandle(GatherTask.class, "outcome", Outcome.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
