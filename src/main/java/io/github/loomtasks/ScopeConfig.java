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
 */
public record ScopeConfig(String name, ThreadFactory threadFactory, @Nullable Duration timeout) {
    private static final ScopeConfig DEFAULTS = new ScopeConfig("", Thread.ofVirtual().factory(), null);

    /**
     * Creates a configuration.
     *
     * @throws NullPointerException if {@code name} or {@code threadFactory} is null
     */
    public ScopeConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(threadFactory, "threadFactory");
    }

    /**
     * Creates a configuration without a deadline.
     *
     * @param name the scope's name; empty means {@code Scope-<id>}
     * @param threadFactory makes one thread per task
     * @throws NullPointerException if an argument is null
     */
    public ScopeConfig(String name, ThreadFactory threadFactory) {
        this(name, threadFactory, null);
    }

    /** {@return no name, virtual threads, no deadline} */
    public static ScopeConfig defaults() {
        return DEFAULTS;
    }

    /** {@return this configuration with another name} */
    public ScopeConfig withName(String name) {
        return new ScopeConfig(name, threadFactory, timeout);
    }

    /**
     * {@return this configuration with another thread factory} Each task gets a new thread; a
     * factory that returns {@code null} makes fork throw
     * {@link java.util.concurrent.RejectedExecutionException}.
     */
    public ScopeConfig withThreadFactory(ThreadFactory threadFactory) {
        return new ScopeConfig(name, threadFactory, timeout);
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
        return new ScopeConfig(name, threadFactory, Objects.requireNonNull(timeout, "timeout"));
    }

    /** {@return this configuration without a deadline} */
    public ScopeConfig withoutTimeout() {
        return new ScopeConfig(name, threadFactory, null);
    }
}
