package io.github.loomtasks.demo.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one {@code GET /fanout} asks for: the deadline and the backends to call, each with its
 * latency and behaviour. The service's options give the defaults; the query overrides them:
 * {@code ?timeout=500ms&orders=2s&fail=users&stubborn=ads}.
 *
 * @param timeout the request's deadline, counted from the opening of its scope
 * @param backends the calls to fan out to, in order
 */
record FanoutRequest(Duration timeout, List<Backend> backends) {
    private static final Set<String> KEYWORDS = Set.of("timeout", "fail", "stubborn");

    FanoutRequest {
        backends = List.copyOf(backends);
    }

    /**
     * Reads a query against the service's defaults.
     *
     * @throws BadInputException for an unknown parameter, a bad time, or an unknown backend name
     */
    @SuppressWarnings("BadInstanceof") // the pattern looks the backend up and binds it in one step
    static FanoutRequest parse(Map<String, String> query, ServiceOptions defaults) throws BadInputException {
        Duration timeout = defaults.timeout();
        Map<String, Backend> backends = new LinkedHashMap<>();
        for (Backend b : defaults.backends()) {
            backends.put(b.name(), b);
        }
        for (Map.Entry<String, String> p : query.entrySet()) {
            String name = p.getKey();
            if (name.equals("timeout")) {
                timeout = Durations.parse("timeout", p.getValue());
            } else if (backends.get(name) instanceof Backend b) {
                backends.put(name, b.withLatency(Durations.parse(name, p.getValue())));
            } else if (!KEYWORDS.contains(name)) {
                throw new BadInputException("unknown parameter '" + name + "': use timeout, fail, stubborn, or a backend's name ("
                        + String.join(", ", backends.keySet()) + ")");
            }
        }
        mark(backends, query, "fail", Backend.Behaviour.FAIL);
        mark(backends, query, "stubborn", Backend.Behaviour.STUBBORN);
        return new FanoutRequest(timeout, new ArrayList<>(backends.values()));
    }

    private static void mark(Map<String, Backend> backends, Map<String, String> query, String param, Backend.Behaviour behaviour)
            throws BadInputException {
        String names = query.get(param);
        if (names == null) {
            return;
        }
        for (String n : names.split(",", -1)) {
            Backend b = backends.get(n.strip());
            if (b == null) {
                throw new BadInputException(param + ": '" + n + "' is not a backend: use one of " + String.join(", ", backends.keySet()));
            }
            if (b.behaviour() != Backend.Behaviour.NORMAL && b.behaviour() != behaviour) {
                throw new BadInputException("backend '" + n + "' cannot both fail and be stubborn: choose one");
            }
            backends.put(b.name(), b.withBehaviour(behaviour));
        }
    }
}
