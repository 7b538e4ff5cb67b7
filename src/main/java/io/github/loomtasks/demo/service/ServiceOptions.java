package io.github.loomtasks.demo.service;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The service's configuration, from {@code loomtasks serve} options.
 *
 * @param host the address to listen on
 * @param port the port; 0 picks a free one (printed at start)
 * @param timeout each request's default deadline
 * @param backends the default backends of {@code /fanout}, in order
 * @param grace how long a stop may take from the signal to the exit: after it, the tasks still
 *     running are reported and the process exits
 * @param drain how long in-flight requests may run on after the signal before they are cancelled;
 *     shorter than {@code grace}
 * @param watchInterval how often the client-disconnect watch looks at the connections
 * @param quiet whether to leave out the access log on standard output
 * @param help whether to print the usage and exit
 */
record ServiceOptions(
        String host,
        int port,
        Duration timeout,
        List<Backend> backends,
        Duration grace,
        Duration drain,
        Duration watchInterval,
        boolean quiet,
        boolean help) {

    static final ServiceOptions DEFAULTS = new ServiceOptions("127.0.0.1", 8080, Duration.ofSeconds(1),
            List.of(new Backend("users", Duration.ofMillis(50), Backend.Behaviour.NORMAL),
                    new Backend("orders", Duration.ofMillis(80), Backend.Behaviour.NORMAL),
                    new Backend("ads", Duration.ofMillis(120), Backend.Behaviour.NORMAL)),
            Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(100), false, false);

    ServiceOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(watchInterval, "watchInterval");
        backends = List.copyOf(backends);
    }

    ServiceOptions withPort(int port) {
        return new ServiceOptions(host, port, timeout, backends, grace, drain, watchInterval, quiet, help);
    }

    ServiceOptions withTimeout(Duration timeout) {
        return new ServiceOptions(host, port, timeout, backends, grace, drain, watchInterval, quiet, help);
    }

    ServiceOptions withBackends(List<Backend> backends) {
        return new ServiceOptions(host, port, timeout, backends, grace, drain, watchInterval, quiet, help);
    }

    ServiceOptions withStop(Duration grace, Duration drain) {
        return new ServiceOptions(host, port, timeout, backends, grace, drain, watchInterval, quiet, help);
    }

    ServiceOptions withWatchInterval(Duration watchInterval) {
        return new ServiceOptions(host, port, timeout, backends, grace, drain, watchInterval, quiet, help);
    }
}
