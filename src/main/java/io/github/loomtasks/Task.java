package io.github.loomtasks;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work running on its own thread (a virtual thread by default) inside a
 * {@link TaskScope}: asyncio's {@code Task}, for blocking Java code.
 *
 * <h2>States</h2>
 * <pre>
 * PENDING --start--> RUNNING --body returns or throws--> DONE
 *    |                  |
 *    +--cancel()--------+--body ends because of the cancel--> CANCELLED
 * </pre>
 * {@link State#DONE} and {@link State#CANCELLED} are shown only after the task's thread has left
 * the body: a terminal task runs no more user code. Each task reaches exactly one terminal state,
 * once.
 *
 * <h2>Cancellation</h2>
 * {@link #cancel()} is a request, as in asyncio: it returns {@code false} once the task is
 * terminal, and otherwise records the request (with a {@link CancelReason}), interrupts the
 * task's thread if the body is running, and returns {@code true}. A body that ends with
 * {@link InterruptedException}, {@link CancellationException} or an exception caused by the
 * interrupt ends {@code CANCELLED}; a body that catches the request and returns a value ends
 * {@code DONE} with that value, and {@link #cancelIgnored()} keeps the fact. A {@code PENDING}
 * task that is cancelled never runs its body.
 *
 * <h2>Memory consistency</h2>
 * Actions of the body happen-before another thread observes the task terminal through
 * {@link #state()}, {@link #join()}, {@link #resultNow()} or {@link #exceptionNow()}.
 *
 * @param <T> the type of the body's result
 */
public interface Task<T extends @Nullable Object> {

    /** The lifecycle of a task, asyncio's future states. */
    enum State {
        /** Created; its body has not begun. */
        PENDING,
        /** The body is executing (parked in a blocking call counts as running). */
        RUNNING,
        /** The body finished, with a result or with an exception. */
        DONE,
        /** The body never ran, or ended because the task was cancelled. */
        CANCELLED;

        /** {@return whether this is {@code DONE} or {@code CANCELLED}} */
        public boolean isTerminal() {
            return this == DONE || this == CANCELLED;
        }
    }

    /** {@return the task's id, unique in this process} */
    long id();

    /** {@return the task's name, {@code Task-<id>} unless one was given at fork} */
    String name();

    /** {@return the task's current state} */
    State state();

    /** {@return whether the task is {@code DONE} or {@code CANCELLED}} */
    default boolean isDone() {
        return state().isTerminal();
    }

    /**
     * Requests cancellation with the reason {@link CancelReason#requested()}.
     *
     * @return {@code false} if the task is already {@code DONE} or {@code CANCELLED}, otherwise
     *     {@code true} (also for a repeated request)
     * @see #cancel(CancelReason)
     */
    default boolean cancel() {
        return cancel(CancelReason.requested());
    }

    /**
     * Requests cancellation for the given reason. A {@code PENDING} task becomes
     * {@code CANCELLED} at once and never runs its body; a {@code RUNNING} task's thread is
     * interrupted and the scopes its body opened are cancelled. The first reason is kept; every
     * accepted request is counted.
     *
     * @param reason why the task is cancelled; kept by the task and shown in dumps
     * @return {@code false} if the task is already {@code DONE} or {@code CANCELLED}, otherwise
     *     {@code true}
     */
    boolean cancel(CancelReason reason);

    /** {@return how many cancel requests the task accepted (asyncio's {@code cancelling()})} */
    int cancelRequests();

    /** {@return the reason of the first accepted cancel request, if there was one} */
    Optional<CancelReason> cancelReason();

    /**
     * {@return whether the body caught a cancel request and ended {@code DONE} anyway} Such a
     * task is reported in dumps and shutdown reports.
     */
    default boolean cancelIgnored() {
        return state() == State.DONE && cancelRequests() > 0;
    }

    /**
     * Waits until the task is terminal and returns its result.
     *
     * @return the body's result
     * @throws InterruptedException if the calling thread is interrupted while waiting, or is a
     *     task whose cancellation is pending
     * @throws TaskFailedException if the body threw; its cause is the body's exception
     * @throws CancellationException if the task was cancelled
     * @throws IllegalStateException if a task joins itself
     */
    T join() throws InterruptedException;

    /**
     * Waits at most {@code timeout} until the task is terminal and returns its result. The
     * timeout cancels nothing.
     *
     * @param timeout how long to wait; zero or negative means do not wait
     * @return the body's result
     * @throws TimeoutException if the task is not terminal when the timeout passes
     * @throws InterruptedException as {@link #join()}
     * @throws TaskFailedException if the body threw; its cause is the body's exception
     * @throws CancellationException if the task was cancelled
     */
    T join(Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * {@return the result of a task that is {@code DONE} without an exception}
     *
     * @throws IllegalStateException if the task is not terminal, failed, or was cancelled
     */
    T resultNow();

    /**
     * {@return the exception of a task that is {@code DONE} because its body threw}
     *
     * @throws IllegalStateException if the task is not terminal, succeeded, or was cancelled
     */
    Throwable exceptionNow();

    /**
     * {@return a description in the spirit of asyncio's task repr} It shows the id, name and
     * state; for a running task where its body is running ({@code Class.method(File.java:line)},
     * the first frame outside the JDK and loomtasks) and what it waits on; for a terminal task
     * its result, exception or cancel reason; and a pending cancel request with its reason.
     */
    @Override
    String toString();
}
