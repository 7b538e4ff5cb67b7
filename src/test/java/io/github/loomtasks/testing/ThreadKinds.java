package io.github.loomtasks.testing;

import io.github.loomtasks.ScopeConfig;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Runs a test with virtual and with platform threads, as the JDK's scope tests do. */
public final class ThreadKinds {
    private ThreadKinds() {}

    /** Argument source: a virtual-thread and a platform-thread scope configuration. */
    public static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of(ScopeConfig.defaults().withName("virtual")),
                Arguments.of(ScopeConfig.defaults().withName("platform")
                        .withThreadFactory(Thread.ofPlatform().daemon().factory())));
    }

    /** Argument source: a virtual-thread and a platform-thread builder. */
    public static Stream<Arguments> builders() {
        return Stream.of(Arguments.of(Thread.ofVirtual()), Arguments.of(Thread.ofPlatform().daemon()));
    }
}
