package io.github.loomtasks.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads other threads' stacks for dumps and reports, and never waits long for one.
 *
 * <p><b>Why.</b> {@link Thread#getStackTrace()} cannot be interrupted. For a virtual thread it
 * retries until the thread is in a state it can be read in, and where the JDK reads only parked or
 * mounted virtual threads (the JDK 19 and 20 previews, and builds with their code; not OpenJDK
 * 21.0.13 or 25), a runnable thread that waits for a carrier is not: while busy loops or pinned
 * threads hold every carrier, it may never get one. That is when a dump is wanted most. Every
 * thread goes through the reader, not only virtual ones: one rule, and a thread factory may hand
 * out threads of its own class.
 *
 * <p><b>How.</b> A caller never reads another thread's stack itself: it hands the thread to a
 * reader, one platform daemon thread shared by all callers, and waits. A dump hands over the
 * threads of all its running tasks at once ({@link #prefetching}): one hand-off per dump, not per
 * task. When the reader has spent {@link #PATIENCE} on one stack, a waiting caller gives that stack
 * up (it is reported as unavailable), retires the reader (it ends when its read returns, and the
 * result is dropped) and starts another for the rest. A thread that a retired reader is still
 * reading is not read again until that read returns. At most {@value #MAX_STUCK} retired readers
 * wait at a time; while that many do, no stack is read, so a starved process does not fill up
 * with readers that spin in the JDK's retry loop. A reader idle for a few seconds ends.
 */
public final class StackReader {
    /** How long a caller waits for the reader to finish one stack before it gives that stack up. */
    public static final Duration PATIENCE = Duration.ofMillis(500);

    /** How many retired readers may wait for a stack at a time. */
    static final int MAX_STUCK = 3;

    /** A stack that was given up, or that a retired reader is still reading. */
    private static final StackTraceElement[] NOT_READ = new StackTraceElement[0];

    /** A stack not read because {@value #MAX_STUCK} retired readers were waiting. */
    private static final StackTraceElement[] SKIPPED = new StackTraceElement[0];

    /** The batch that {@link #prefetching} reads for the dump this thread builds. */
    private static final ThreadLocal<@Nullable Job> PREFETCHED = new ThreadLocal<>();

    private static final StackReader SHARED = new StackReader(Thread::getStackTrace, PATIENCE, Duration.ofSeconds(2),
            Thread.ofPlatform().daemon().name("loomtasks-stack-reader").inheritInheritableThreadLocals(false).factory());

    private final Function<Thread, StackTraceElement[]> read;
    private final long patience;
    private final long keepAlive;
    private final ThreadFactory readers;
    private final LinkedBlockingDeque<Job> jobs = new LinkedBlockingDeque<>();
    private final AtomicReference<@Nullable Reader> current = new AtomicReference<>();
    /** The threads that retired readers are still reading, with how many readers each. */
    private final ConcurrentHashMap<Thread, Integer> stuck = new ConcurrentHashMap<>();
    private final AtomicInteger stuckReaders = new AtomicInteger();

    /** For tests, which read through a function of their own; the library uses {@link #shared()}. */
    StackReader(Function<Thread, StackTraceElement[]> read, Duration patience, Duration keepAlive,
            ThreadFactory readers) {
        this.read = read;
        this.patience = patience.toNanos();
        this.keepAlive = keepAlive.toNanos();
        this.readers = readers;
    }

    /** {@return the reader of the process, which reads with {@link Thread#getStackTrace()}} */
    public static StackReader shared() {
        return SHARED;
    }

    /**
     * {@return the stack of {@code thread}, or an empty one if it could not be read within
     * {@link #PATIENCE}} For reports, which print the stack.
     */
    public StackTraceElement[] stackOf(Thread thread) {
        return thread == Thread.currentThread() ? read.apply(thread) : readAlone(thread, false);
    }

    /**
     * {@return what a dump shows of {@code thread}'s stack: its first frame outside the JDK and
     * loomtasks, and the call above it} Empty if there is no such frame; {@link #unavailable} tells
     * whether the stack could not be read in time. Within {@link #prefetching}, a thread that was
     * handed over is looked up, not read again.
     */
    public StackTraceElement[] forDump(Thread thread) {
        if (thread == Thread.currentThread()) {
            return StackFrames.dumpFrames(read.apply(thread));
        }
        Job job = PREFETCHED.get();
        int i = job == null || job.reader() != this ? -1 : job.indexOf(thread);
        if (job == null || i < 0) {
            return readAlone(thread, true);
        }
        job.awaitOnce();
        return job.stack(i);
    }

    /**
     * Runs {@code work} (which builds a dump) while the reader reads the stacks of
     * {@code threads} as one batch; {@link #forDump} on this thread then looks them up.
     *
     * @return what {@code work} returns
     */
    public <T> T prefetching(List<Thread> threads, Supplier<T> work) {
        List<Thread> others = new ArrayList<>(threads.size());
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                others.add(t);
            }
        }
        if (others.isEmpty()) {
            return work.get();
        }
        Job job = new Job(others, true);
        submit(job);
        Job outer = PREFETCHED.get();
        PREFETCHED.set(job);
        try {
            return work.get();
        } finally {
            PREFETCHED.set(outer);
            job.drop();
        }
    }

    /**
     * {@return why a dump shows no location for a stack {@link #forDump} or {@link #stackOf}
     * returned, or null if it was read}
     */
    @SuppressWarnings("ReferenceEquality") // the markers are these arrays, not their (empty) contents
    public static @Nullable String unavailable(StackTraceElement[] stack) {
        if (stack == NOT_READ) {
            return "(location unavailable: its stack could not be read within " + PATIENCE.toMillis()
                    + " ms; the thread may be waiting for a carrier)";
        }
        if (stack == SKIPPED) {
            return "(location unavailable: not read, " + MAX_STUCK
                    + " earlier stack reads are still waiting for their threads)";
        }
        return null;
    }

    private StackTraceElement[] readAlone(Thread thread, boolean forDump) {
        Job job = new Job(List.of(thread), forDump);
        submit(job);
        job.await();
        return job.stack(0);
    }

    private void submit(Job job) {
        jobs.add(job);
        ensureReader();
    }

    private void ensureReader() {
        if (current.get() == null && !jobs.isEmpty()) {
            Reader fresh = new Reader();
            if (current.compareAndSet(null, fresh)) {
                boolean started = false;
                try {
                    readers.newThread(fresh).start();
                    started = true;
                } finally {
                    if (!started) {
                        current.compareAndSet(fresh, null); // the next caller tries again
                    }
                }
            }
        }
    }

    /**
     * Gives up the stack that the reader has been reading for {@link #PATIENCE}, if any, and
     * puts a fresh reader on the rest of its job. Any waiting caller may do it, once per stack:
     * the slot of the stack decides, between the caller giving it up and the reader filling it.
     *
     * @return nanoseconds until the reader's current stack is due, at most {@link #PATIENCE}
     */
    private long giveUpIfOverdue() {
        Reader r = current.get();
        Claim c = r == null ? null : r.reading;
        if (r == null || c == null) {
            ensureReader();
            return patience;
        }
        long overdue = System.nanoTime() - c.started - patience;
        if (overdue < 0) {
            return -overdue;
        }
        stuck.merge(c.thread, 1, Integer::sum); // before the slot: the retired reader undoes it after
        if (!c.job.fill(c.index, NOT_READ)) {
            unstuck(c.thread); // the reader filled it just in time
            return patience;
        }
        stuckReaders.incrementAndGet();
        jobs.addFirst(c.job); // the rest of the job goes first
        current.compareAndSet(r, null);
        ensureReader();
        return patience;
    }

    private void unstuck(Thread thread) {
        stuck.computeIfPresent(thread, (t, n) -> n == 1 ? null : n - 1);
    }

    /** Stacks to read, one slot each; the reader claims slots in order and fills them once. */
    private final class Job {
        final Thread[] threads;
        final boolean forDump;
        final AtomicReferenceArray<StackTraceElement @Nullable []> stacks;
        final AtomicInteger claimed = new AtomicInteger();
        final AtomicInteger filled = new AtomicInteger();
        /** The thread in {@link #await()}, which the last slot filled wakes up. */
        volatile @Nullable Thread waiter;
        /** Owner only: where each thread's slot is, built while the reader reads. */
        @Nullable IdentityHashMap<Thread, Integer> index;
        boolean awaited;

        Job(List<Thread> threads, boolean forDump) {
            this.threads = threads.toArray(new Thread[0]);
            this.forDump = forDump;
            this.stacks = new AtomicReferenceArray<>(this.threads.length);
        }

        StackReader reader() {
            return StackReader.this;
        }

        /** {@return the next slot to read, or -1 when every slot is claimed} */
        int claim() {
            int i = claimed.getAndIncrement();
            return i < threads.length ? i : -1;
        }

        /** Fills a slot, once; false if it was filled already (given up, for a reader). */
        boolean fill(int i, StackTraceElement[] stack) {
            if (!stacks.compareAndSet(i, null, stack)) {
                return false;
            }
            if (filled.incrementAndGet() == threads.length) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
            return true;
        }

        StackTraceElement[] stack(int i) {
            StackTraceElement[] s = stacks.get(i);
            return s == null ? NOT_READ : s;
        }

        int indexOf(Thread thread) {
            IdentityHashMap<Thread, Integer> map = index;
            if (map == null) {
                map = new IdentityHashMap<>(threads.length);
                for (int i = 0; i < threads.length; i++) {
                    map.put(threads[i], i);
                }
                index = map;
            }
            Integer i = map.get(thread);
            return i == null ? -1 : i;
        }

        void awaitOnce() {
            if (!awaited) {
                await();
                awaited = true;
            }
        }

        /**
         * Waits until every slot is filled, giving up stacks that are overdue. A dump does not
         * throw InterruptedException and its wait is bounded: an interrupt does not end it, and
         * is restored afterwards.
         */
        void await() {
            boolean interrupted = false;
            waiter = Thread.currentThread();
            try {
                while (filled.get() < threads.length) {
                    LockSupport.parkNanos(this, giveUpIfOverdue());
                    interrupted |= Thread.interrupted();
                }
            } finally {
                waiter = null;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** The owner needs no more slots: readers skip the rest. */
        void drop() {
            claimed.set(threads.length);
        }
    }

    /** The stack a reader is reading, since when. */
    private record Claim(Job job, int index, Thread thread, long started) {}

    private final class Reader implements Runnable {
        volatile @Nullable Claim reading;

        @Override
        public void run() {
            for (Job job = next(); job != null; job = next()) {
                if (!readAll(job)) {
                    return; // retired: a caller gave up the stack it was reading
                }
            }
        }

        /** {@return false if this reader was retired while it read} */
        private boolean readAll(Job job) {
            for (int i = job.claim(); i >= 0; i = job.claim()) {
                Thread t = job.threads[i];
                StackTraceElement[] stack;
                if (stuckReaders.get() >= MAX_STUCK) {
                    stack = SKIPPED;
                } else if (stuck.containsKey(t)) {
                    stack = NOT_READ;
                } else {
                    stack = readOne(job, i, t);
                }
                if (!job.fill(i, stack)) {
                    retired(t);
                    return false;
                }
            }
            return true;
        }

        /**
         * Reads one stack, published as {@link #reading} meanwhile. If the read throws (a JDK bug),
         * the stack is reported unavailable, a fresh reader takes over the job, and the exception
         * ends this reader, which reports it as uncaught.
         */
        private StackTraceElement[] readOne(Job job, int i, Thread t) {
            reading = new Claim(job, i, t, System.nanoTime());
            boolean done = false;
            try {
                StackTraceElement[] stack = read.apply(t);
                done = true;
                return job.forDump ? StackFrames.dumpFrames(stack) : stack;
            } finally {
                reading = null;
                if (!done) {
                    if (!job.fill(i, NOT_READ)) {
                        retired(t);
                    }
                    jobs.addFirst(job);
                    current.compareAndSet(this, null);
                    ensureReader();
                }
            }
        }

        /** This reader's read of {@code t} returned after a caller gave it up. */
        private void retired(Thread t) {
            unstuck(t);
            stuckReaders.decrementAndGet();
        }

        /** {@return the next job, or null when this reader ends: idle for the keep-alive, or interrupted} */
        private @Nullable Job next() {
            while (true) {
                Job job = null;
                try {
                    job = jobs.poll(keepAlive, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    current.compareAndSet(this, null); // asked to stop: it ends, another takes over
                    ensureReader();
                    return null;
                }
                if (job != null) {
                    return job;
                }
                // idle: end, unless a job came in while this reader was leaving
                current.compareAndSet(this, null);
                if (jobs.isEmpty() || !current.compareAndSet(null, this)) {
                    return null;
                }
            }
        }
    }
}
