package io.github.loomtasks;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * The configuration of a {@link TaskScope}: one immutable record, changed with {@code withX}.
 *
 * {@snippet :
 * var config = ScopeConfig.defaults().withName("request-42").withTimeout(Duration.ofSeconds(2));
 * try (var scope = TaskScope.open(Policy.cancelOnFailure(), config)) { ... }
 * }
 *
 * @param name the scope's name, shown in dumps; empty means {@code Scope-<id>}
 * @param threadFactory makes one thread per task; virtual threads by default
 * @param timeout the scope's deadline, counted from {@link TaskScope#open}; null for none
 * @param closeGrace how long {@link TaskScope#close()} waits for tasks that do not stop when
 *     cancelled before it reports them with {@link StuckTasksException}; null to wait as long as
 *     it takes (the default, and the only way to guarantee that no task outlives its scope)
 */
public record ScopeConfig(String name, ThreadFactory threadFactory, @Nullable Duration timeout,
        @Nullable Duration closeGrace) {
    private static final ScopeConfig DEFAULTS = new ScopeConfig("", Thread.ofVirtual().factory(), null, null);

    /**
     * Creates a configuration.
     *
     * @throws NullPointerException if {@code name} or {@code threadFactory} is null
     */
    public ScopeConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(threadFactory, "threadFactory");
        if (closeGrace != null && closeGrace.isNegative()) {
            throw new IllegalArgumentException("closeGrace must not be negative: " + closeGrace);
        }
    }

    /**
     * Creates a configuration without a deadline.
     *
     * @param name the scope's name; empty means {@code Scope-<id>}
     * @param threadFactory makes one thread per task
     * @throws NullPointerException if an argument is null
     */
    public ScopeConfig(String name, ThreadFactory threadFactory) {
        this(name, threadFactory, null, null);
    }

    /** {@return no name, virtual threads, no deadline} */
    public static ScopeConfig defaults() {
        return DEFAULTS;
    }

    /** {@return this configuration with another name} */
    public ScopeConfig withName(String name) {
        return new ScopeConfig(name, threadFactory, timeout, closeGrace);
    }

    /**
     * {@return this configuration with another thread factory} Each task gets a new thread; a
     * factory that returns {@code null} makes fork throw
     * {@link java.util.concurrent.RejectedExecutionException}.
     */
    public ScopeConfig withThreadFactory(ThreadFactory threadFactory) {
        return new ScopeConfig(name, threadFactory, timeout, closeGrace);
    }

    /**
     * {@return this configuration with a deadline} When {@code timeout} has passed since the scope
     * opened and {@link TaskScope#join()} has not returned, the scope is cancelled with a
     * {@link CancelReason.Kind#DEADLINE} reason and {@link TaskScope#join()} throws
     * {@link DeadlineExceededException}. Zero or negative: the deadline passes at once.
     *
     * @param timeout the time allowed from open to join
     * @throws NullPointerException if {@code timeout} is null
     */
    public ScopeConfig withTimeout(Duration timeout) {
        return new ScopeConfig(name, threadFactory, Objects.requireNonNull(timeout, "timeout"), closeGrace);
    }

    /** {@return this configuration without a deadline} */
    public ScopeConfig withoutTimeout() {
        return new ScopeConfig(name, threadFactory, null, closeGrace);
    }

    /**
     * {@return this configuration with a grace period for {@link TaskScope#close()}} Close cancels
     * the tasks that are left and waits at most {@code closeGrace} for them; tasks still running
     * then (a busy loop, uninterruptible I/O, a {@code synchronized} entry) are named, each with its
     * likely reason and stack, by the {@link StuckTasksException} that close throws. They stay in
     * the registry until they end.
     *
     * @param closeGrace how long close waits; not negative
     * @throws IllegalArgumentException if {@code closeGrace} is negative
     */
    public ScopeConfig withCloseGrace(Duration closeGrace) {
        return new ScopeConfig(name, threadFactory, timeout, Objects.requireNonNull(closeGrace, "closeGrace"));
    }

    /** {@return this configuration with a close that waits for every task, however long} */
    public ScopeConfig withoutCloseGrace() {
        return new ScopeConfig(name, threadFactory, timeout, null);
    }
}
