package io.github.loomtasks;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The configuration of a {@link TaskScope}: one immutable record, changed with {@code withX}.
 *
 * {@snippet :
 * var config = ScopeConfig.defaults().withName("request-42");
 * try (var scope = TaskScope.open(Policy.cancelOnFailure(), config)) { ... }
 * }
 *
 * @param name the scope's name, shown in dumps; empty means {@code Scope-<id>}
 * @param threadFactory makes one thread per task; virtual threads by default
 */
public record ScopeConfig(String name, ThreadFactory threadFactory) {
    private static final ScopeConfig DEFAULTS = new ScopeConfig("", Thread.ofVirtual().factory());

    /**
     * Creates a configuration.
     *
     * @throws NullPointerException if an argument is null
     */
    public ScopeConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(threadFactory, "threadFactory");
    }

    /** {@return no name, virtual threads} */
    public static ScopeConfig defaults() {
        return DEFAULTS;
    }

    /** {@return this configuration with another name} */
    public ScopeConfig withName(String name) {
        return new ScopeConfig(name, threadFactory);
    }

    /**
     * {@return this configuration with another thread factory} Each task gets a new thread; a
     * factory that returns {@code null} makes fork throw
     * {@link java.util.concurrent.RejectedExecutionException}.
     */
    public ScopeConfig withThreadFactory(ThreadFactory threadFactory) {
        return new ScopeConfig(name, threadFactory);
    }
}
