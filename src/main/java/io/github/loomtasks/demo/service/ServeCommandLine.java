package io.github.loomtasks.demo.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Parses {@code loomtasks serve [options]}. */
final class ServeCommandLine {
    private ServeCommandLine() {}

    static String usage() {
        return """
                Usage: loomtasks serve [options]

                An HTTP service on the JDK's own server, one virtual thread per request. Each
                GET /fanout opens a scope with a deadline and calls the backends in parallel:
                  200 all answered, 504 the deadline passed (the rest were cancelled), 502 a
                  backend failed (the rest were cancelled), 503 the service is stopping.
                  A client that disconnects has its request's scope cancelled (Linux).
                GET /tasks shows the live registry as JSON (?format=text or Accept: text/plain
                for the text dump). SIGTERM or Ctrl-C stops it gracefully.

                Query of /fanout: timeout=TIME, NAME=TIME (a backend's latency), fail=NAME,...,
                  stubborn=NAME,... (ignores the cancel and answers at its own pace)
                  e.g. curl 'http://127.0.0.1:8080/fanout?orders=2s&timeout=500ms'

                Options:
                  --host ADDR             address to listen on (default 127.0.0.1)
                  --port N                port, 0 for any free one (default 8080)
                  --timeout TIME          default deadline of a request (default 1s)
                  --backends LIST         default backends, NAME=TIME,... (default
                                          users=50ms,orders=80ms,ads=120ms)
                  --grace TIME            how long a stop may take, signal to exit (default 10s)
                  --drain TIME            how long in-flight requests may finish after the
                                          signal before they are cancelled (default: half the
                                          grace period; less than --grace)
                  --watch-interval TIME   how often to look for clients that went away (100ms)
                  --quiet                 no access log on standard output
                  --help                  print this help
                TIME is 1.5s, 500ms, 2m, 1h (the limit), PT1.5S or plain seconds.

                Exit status: 0 after a stop in which every task ended; 143 (SIGTERM) or 130
                (SIGINT) when tasks were still running at the end of the grace period (they are
                reported on stderr); 1 when the server cannot start; 2 for a bad command line.
                """;
    }

    /**
     * Parses the options after {@code serve}.
     *
     * @throws BadInputException with a message that says what is wrong
     */
    static ServiceOptions parse(String... args) throws BadInputException {
        ServiceOptions o = ServiceOptions.DEFAULTS;
        Duration grace = o.grace();
        Duration drain = null;
        String host = o.host();
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "--help", "-h" -> {
                    return new ServiceOptions(host, o.port(), o.timeout(), o.backends(), grace, o.drain(), o.watchInterval(), quiet, true);
                }
                case "--quiet", "-q" -> quiet = true;
                case "--host" -> host = host(value(args, i));
                case "--port" -> o = o.withPort(port(value(args, i)));
                case "--timeout" -> o = o.withTimeout(Durations.parse(name, value(args, i)));
                case "--backends" -> o = o.withBackends(backends(value(args, i)));
                case "--grace" -> grace = Durations.parse(name, value(args, i));
                case "--drain" -> drain = Durations.parse(name, value(args, i));
                case "--watch-interval" -> o = o.withWatchInterval(positive(name, Durations.parse(name, value(args, i))));
                default -> throw new BadInputException(arg.startsWith("-") ? "unknown option '" + arg + "'"
                        : "unexpected argument '" + arg + "': serve takes options only");
            }
            if (!arg.contains("=") && !name.equals("--quiet") && !name.equals("-q")) {
                i++;
            }
        }
        Duration d = drain != null ? drain : grace.dividedBy(2);
        if (d.compareTo(grace) >= 0) {
            throw new BadInputException("--drain (" + Durations.format(d) + ") must be shorter than --grace ("
                    + Durations.format(grace) + "): the rest of the grace period cancels and answers what is left");
        }
        return new ServiceOptions(host, o.port(), o.timeout(), o.backends(), grace, d, o.watchInterval(), quiet, false);
    }

    private static String value(String[] args, int i) throws BadInputException {
        String arg = args[i];
        int eq = arg.indexOf('=');
        if (eq >= 0) {
            if (eq == arg.length() - 1) {
                throw new BadInputException("option " + arg.substring(0, eq) + " needs a value");
            }
            return arg.substring(eq + 1);
        }
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new BadInputException("option " + arg + " needs a value");
        }
        return args[i + 1];
    }

    private static String host(String text) throws BadInputException {
        try {
            InetAddress.getByName(text);
            return text;
        } catch (UnknownHostException e) {
            throw new BadInputException("--host: '" + text + "' is not an address of this machine's resolver");
        }
    }

    private static int port(String text) throws BadInputException {
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new BadInputException("--port: '" + text + "' is not a port: give 0..65535 (0 picks a free one)");
    }

    private static Duration positive(String option, Duration d) throws BadInputException {
        if (d.isZero()) {
            throw new BadInputException(option + ": must be more than 0");
        }
        return d;
    }

    private static List<Backend> backends(String text) throws BadInputException {
        List<Backend> list = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String item : text.split(",", -1)) {
            int eq = item.indexOf('=');
            String name = eq < 0 ? item.strip() : item.substring(0, eq).strip();
            if (eq < 0 || !name.matches("[A-Za-z][A-Za-z0-9_-]*")) {
                throw new BadInputException("--backends: '" + item + "' is not NAME=TIME (a name of letters, digits, _ and -)");
            }
            if (name.equals("timeout") || name.equals("fail") || name.equals("stubborn") || !names.add(name)) {
                throw new BadInputException("--backends: the name '" + name + "' is reserved or given twice");
            }
            list.add(new Backend(name, Durations.parse("--backends " + name, item.substring(eq + 1)), Backend.Behaviour.NORMAL));
        }
        return list;
    }
}
