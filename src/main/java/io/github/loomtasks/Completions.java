package io.github.loomtasks;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Hands out tasks in the order they finish: what {@link Tasks#asCompleted} returns, asyncio's
 * {@code as_completed}. Like an {@link java.util.Iterator}, but {@link #next()} blocks and may be
 * interrupted or time out, so it is not one:
 *
 * {@snippet :
 * var completions = Tasks.asCompleted(tasks, Duration.ofSeconds(5));
 * while (completions.hasNext()) {
 *     Task<String> first = completions.next();   // blocks until one more task is terminal
 *     System.out.println(first.name() + ": " + first.state());
 * }
 * }
 *
 * Each task is handed out once, when it is {@code DONE} or {@code CANCELLED}; the task itself is
 * handed out, so its outcome is read with {@link Task#resultNow()} or {@link Task#join()}. The
 * optional timeout bounds the whole iteration, counted from {@link Tasks#asCompleted}; it cancels
 * nothing. Several threads may call {@link #next()}; each task goes to one of them.
 *
 * @param <T> the type of the tasks passed
 */
public final class Completions<T extends Task<?>> {
    private final LinkedBlockingDeque<T> finished = new LinkedBlockingDeque<>();
    private final AtomicInteger remaining;
    private final @Nullable Duration timeout;
    private final long deadline;

    Completions(List<T> tasks, @Nullable Duration timeout) {
        this.remaining = new AtomicInteger(tasks.size());
        this.timeout = timeout;
        this.deadline = System.nanoTime() + (timeout == null ? 0 : TaskScope.toNanos(timeout));
        Awaitable[] hooks = Waiting.hooks(tasks);
        for (int i = 0; i < hooks.length; i++) {
            T task = tasks.get(i);
            hooks[i].whenDone(() -> finished.add(task));
        }
    }

    /** {@return whether a task is left to hand out} Does not block. */
    public boolean hasNext() {
        return remaining.get() > 0;
    }

    /** {@return how many tasks are left to hand out} */
    public int remaining() {
        return Math.max(0, remaining.get());
    }

    /**
     * Waits for the next task to finish and returns it.
     *
     * @return a terminal task that was not handed out before
     * @throws NoSuchElementException if every task was handed out; check {@link #hasNext()}
     * @throws TimeoutException if the timeout given to {@link Tasks#asCompleted} passed first
     * @throws InterruptedException if the calling thread is interrupted while waiting, or is a
     *     task whose cancellation is pending
     */
    public T next() throws InterruptedException, TimeoutException {
        Frame.throwIfCancelled();
        if (remaining.getAndDecrement() <= 0) {
            remaining.incrementAndGet();
            throw new NoSuchElementException("every task was handed out: check hasNext() before next()");
        }
        boolean handedOut = false;
        try {
            T task = timeout == null ? finished.take()
                    : finished.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (task == null) {
                throw new TimeoutException(remaining() + 1 + " tasks did not finish within " + timeout);
            }
            try {
                Frame.throwIfCancelled(); // the caller's cancel may have ended the awaited task first
            } catch (InterruptedException e) {
                finished.addFirst(task); // not handed out: it stays first in line
                throw e;
            }
            handedOut = true;
            return task;
        } finally {
            if (!handedOut) {
                remaining.incrementAndGet();
            }
        }
    }

    @Override
    public String toString() {
        return "<Completions remaining=" + remaining() + " finished=" + finished.size() + ">";
    }
}
