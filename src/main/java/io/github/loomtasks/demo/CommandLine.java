package io.github.loomtasks.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the demo's command line: a subcommand and {@code --option value} pairs. */
final class CommandLine {
    private static final Pattern AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)(ms|s|m|h)?");
    private static final List<Duration> DEFAULT_DURATIONS =
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private CommandLine() {}

    /** {@return the usage text, ending with a newline} */
    static String usage() {
        return """
                Usage: loomtasks <flat|nested> [options]
                       loomtasks serve [options]   (an HTTP service; see loomtasks serve --help)

                The two programs of the tutorial "stopping coroutines", on virtual threads.
                  flat     case 1: the main thread waits on three tasks; Ctrl-C lists every task
                           and cancels each one (three true, one false)
                  nested   case 2: a main task forks the three and waits on them; Ctrl-C cancels
                           the whole group at once
                  serve    an HTTP service with a scope per request, deadlines, a live /tasks
                           view and a graceful stop on SIGTERM or Ctrl-C

                Options:
                  --durations LIST        seconds each task sleeps, comma-separated
                                          (default 1,2,4; decimals allowed: 0.1,0.2,0.4)
                  --interrupt-after TIME  deliver the interrupt that Ctrl-C delivers, after TIME
                                          (1.3s, 500ms, 2m, PT1.3S, or plain seconds), for runs
                                          without a terminal
                  --grace TIME            how long shutdown may take before the tasks still
                                          running are reported and the program exits (default 5s)
                  --verbose               print each task's end to stderr, as the wait sees it
                  --help                  print this help

                Exit status: 0 when the program ran to its end or handled Ctrl-C (both handle
                it, as the tutorial's do); 2 for a bad command line; 130 (SIGINT) or 143
                (SIGTERM) when shutdown had to be forced; a second Ctrl-C exits at once with 130.
                """;
    }

    /**
     * Parses the arguments.
     *
     * @throws UsageException with a message that says what is wrong
     */
    static Options parse(String... args) throws UsageException {
        Optional<Options.Program> program = Optional.empty();
        List<Duration> durations = DEFAULT_DURATIONS;
        Optional<Duration> interruptAfter = Optional.empty();
        Duration grace = DEFAULT_GRACE;
        boolean stuck = false;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "--help", "-h" -> {
                    return new Options(Optional.empty(), durations, interruptAfter, grace, stuck, verbose, true);
                }
                case "--durations" -> durations = durationList(value(args, i));
                case "--interrupt-after" -> interruptAfter = Optional.of(duration(name, value(args, i)));
                case "--grace" -> grace = duration(name, value(args, i));
                case "--stuck-task" -> stuck = true;
                case "--verbose", "-v" -> verbose = true;
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option '" + arg + "'");
                    }
                    if (program.isPresent()) {
                        throw new UsageException("unexpected argument '" + arg + "': give one subcommand, flat or nested");
                    }
                    program = Optional.of(subcommand(arg));
                }
            }
            if (!arg.contains("=") && (name.equals("--durations") || name.equals("--interrupt-after") || name.equals("--grace"))) {
                i++;
            }
        }
        if (program.isEmpty()) {
            throw new UsageException("missing subcommand: flat or nested");
        }
        return new Options(program, durations, interruptAfter, grace, stuck, verbose, false);
    }

    private static String value(String[] args, int i) throws UsageException {
        String arg = args[i];
        int eq = arg.indexOf('=');
        if (eq >= 0) {
            String v = arg.substring(eq + 1);
            if (v.isEmpty()) {
                throw new UsageException("option " + arg.substring(0, eq) + " needs a value");
            }
            return v;
        }
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException("option " + arg + " needs a value");
        }
        return args[i + 1];
    }

    private static Options.Program subcommand(String arg) throws UsageException {
        return switch (arg) {
            case "flat" -> Options.Program.FLAT;
            case "nested" -> Options.Program.NESTED;
            default -> throw new UsageException("unknown subcommand '" + arg + "': use flat or nested");
        };
    }

    private static List<Duration> durationList(String text) throws UsageException {
        List<Duration> list = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String s = item.strip();
            if (s.startsWith("-")) {
                throw new UsageException("--durations: '" + s + "' is negative: give seconds of 0 or more");
            }
            if (!s.matches("\\d+(\\.\\d+)?|\\.\\d+")) {
                throw new UsageException("--durations: '" + s + "' is not a number of seconds (as in 1,2,4 or 0.1,0.2,0.4)");
            }
            list.add(seconds("--durations", new BigDecimal(s)));
        }
        return list;
    }

    /** Parses {@code 1.3s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code PT1.3S} or plain seconds. */
    static Duration duration(String option, String text) throws UsageException {
        String s = text.strip();
        if (s.startsWith("-") || s.toUpperCase(Locale.ROOT).startsWith("PT-")) {
            throw new UsageException(option + ": '" + text + "' is negative: give a time of 0 or more");
        }
        if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                Duration d = Duration.parse(s);
                if (d.isNegative()) {
                    throw new UsageException(option + ": '" + text + "' is negative: give a time of 0 or more");
                }
                return d;
            } catch (DateTimeParseException e) {
                throw malformed(option, text);
            }
        }
        Matcher m = AMOUNT.matcher(s);
        if (!m.matches()) {
            throw malformed(option, text);
        }
        BigDecimal amount = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return seconds(option, switch (unit) {
            case "ms" -> amount.movePointLeft(3);
            case "m" -> amount.multiply(BigDecimal.valueOf(60));
            case "h" -> amount.multiply(BigDecimal.valueOf(3600));
            default -> amount;
        });
    }

    private static UsageException malformed(String option, String text) {
        return new UsageException(option + ": '" + text + "' is not a time: write 1.3s, 500ms, 2m, PT1.3S or plain seconds");
    }

    private static Duration seconds(String option, BigDecimal seconds) throws UsageException {
        try {
            long nanos = seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
            return Duration.ofNanos(nanos);
        } catch (ArithmeticException e) {
            throw new UsageException(option + ": " + seconds.toPlainString() + " s is too long");
        }
    }
}
