package io.github.loomtasks.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The side-by-side benchmark: loomtasks against the raw virtual-thread executor (issue 6). See
 * docs/performance.md for what each figure means.
 *
 * <pre>
 * Bench [workload=N,N...]... [-rounds R] [-warmup W] [-repeat K] [-impls a,b] [-parking sleep|park]
 *       [-java /path/to/bin/java] [-jvmArgs -Xmx8g,-XX:...] [-json results.jsonl] [-md table.md] [-svg chart.svg]
 * Bench -summarize results.jsonl [-impls a,b] [-md table.md] [-svg chart.svg]
 * </pre>
 *
 * Each (workload, implementation, N) runs in a fresh JVM ({@link Runner}) so that its peak RSS is
 * its own and no JIT or heap state carries over; the implementations alternate order between
 * repeats so that drifting machine load hits both. Every result is one JSON line on stdout; the
 * medians follow as a Markdown table.
 */
public final class Bench {
    private static final String DEFAULT_SUITE =
            "spawn_cancel=1000,10000,100000,1000000 fork_join=1000,10000,100000,1000000 cancel_latency=10000 registry=100000";

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage() + "\n" + Options.usage());
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        List<Map<String, Object>> results = new ArrayList<>();
        if (o.summarize() != null) {
            // only the table and chart, from the JSON lines of earlier runs (or of their stdout)
            for (String line : Files.readAllLines(Path.of(o.summarize()), StandardCharsets.UTF_8)) {
                if (line.startsWith("{")) {
                    results.add(Json.read(line));
                }
            }
        }
        for (int repeat = 0; o.summarize() == null && repeat < o.repeat(); repeat++) {
            List<String> impls = new ArrayList<>(o.impls());
            if (repeat % 2 == 1) {
                java.util.Collections.reverse(impls);
            }
            for (Map.Entry<String, List<Integer>> w : o.workloads().entrySet()) {
                for (int n : w.getValue()) {
                    for (String impl : impls) {
                        results.addAll(runChild(o, w.getKey(), impl, n, out));
                    }
                }
            }
        }
        if (o.json() != null && o.summarize() == null) {
            List<String> lines = results.stream().map(Json::write).toList();
            Files.write(Path.of(o.json()), lines, StandardCharsets.UTF_8);
        }
        Summary summary = new Summary(results, o.impls());
        String table = summary.markdown();
        out.println();
        out.print(table);
        if (o.markdown() != null) {
            Files.writeString(Path.of(o.markdown()), table, StandardCharsets.UTF_8);
        }
        if (o.svg() != null) {
            Files.writeString(Path.of(o.svg()), new Chart(summary).svg(), StandardCharsets.UTF_8);
        }
        if (!summary.allChecksPassed()) {
            System.err.println("bench: a result check FAILED (ok=false above)");
            System.exit(1);
        }
    }

    /**
     * {@return {@code value} as an int of at least {@code min}} The command-line check of every
     * bench program.
     *
     * @throws IllegalArgumentException naming {@code what}, the value and the bound
     */
    static int atLeast(String value, int min, String what) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be an integer of at least " + min + ", not '" + value + "'");
    }

    private static List<Map<String, Object>> runChild(Options o, String workload, String impl, int n, PrintStream out)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(o.java());
        cmd.addAll(o.jvmArgs());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Runner.class.getName(), workload, impl,
                String.valueOf(n), String.valueOf(o.warmup()), String.valueOf(o.rounds()), o.parking()));
        System.err.println("bench: " + workload + " " + impl + " N=" + n);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Map<String, Object>> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.println(line);
                if (line.startsWith("{")) {
                    lines.add(Json.read(line));
                }
            }
        }
        int status = p.waitFor();
        if (status != 0) {
            throw new IOException("the benchmark JVM for " + workload + " " + impl + " N=" + n + " exited " + status
                    + ": " + String.join(" ", cmd));
        }
        return lines;
    }

    /** The command line, parsed. */
    record Options(Map<String, List<Integer>> workloads, int rounds, int warmup, int repeat, List<String> impls,
            String parking, String java, List<String> jvmArgs, String json, String markdown, String svg,
            String summarize) {
        static Options parse(String[] args) {
            Map<String, List<Integer>> workloads = new LinkedHashMap<>();
            Map<String, String> opts = new LinkedHashMap<>();
            opts.put("-rounds", "5");
            opts.put("-warmup", "2");
            opts.put("-repeat", "1");
            opts.put("-impls", "loomtasks,raw");
            opts.put("-parking", "sleep");
            opts.put("-java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            opts.put("-jvmArgs", "-Xmx8g");
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.startsWith("-")) {
                    if (!opts.containsKey(a) && !List.of("-json", "-md", "-svg", "-summarize").contains(a) || i + 1 == args.length) {
                        throw new IllegalArgumentException("unknown option or missing value: " + a);
                    }
                    opts.put(a, args[++i]);
                } else if (a.contains("=")) {
                    String[] kv = a.split("=", 2);
                    workloads.put(oneOf(kv[0], Runner.WORKLOADS, "workload"), sizes(kv[1], a));
                } else {
                    throw new IllegalArgumentException("expected workload=N,N... or an option, got " + a);
                }
            }
            if (workloads.isEmpty()) {
                for (String a : DEFAULT_SUITE.split(" ")) {
                    String[] kv = a.split("=", 2);
                    workloads.put(kv[0], sizes(kv[1], a));
                }
            }
            List<String> impls = List.of(opts.get("-impls").split(","));
            for (String impl : impls) {
                oneOf(impl, Runner.SUBJECTS, "implementation");
            }
            List<String> parkings = Stream.of(Parking.values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList();
            List<String> jvmArgs = List.of(opts.get("-jvmArgs").split(","));
            for (String arg : jvmArgs) {
                if (arg.startsWith(HEAP_MODE)) {
                    oneOf(arg.substring(HEAP_MODE.length()), Measure.HEAP_BETWEEN_ROUNDS, Measure.HEAP_BETWEEN_ROUNDS_PROPERTY);
                }
            }
            return new Options(workloads, count(opts, "-rounds", 1), count(opts, "-warmup", 0),
                    count(opts, "-repeat", 1), impls, oneOf(opts.get("-parking"), parkings, "-parking"),
                    opts.get("-java"), jvmArgs, opts.get("-json"), opts.get("-md"),
                    opts.get("-svg"), opts.get("-summarize"));
        }

        private static final String HEAP_MODE = "-D" + Measure.HEAP_BETWEEN_ROUNDS_PROPERTY + "=";

        private static String oneOf(String value, List<String> allowed, String what) {
            if (!allowed.contains(value)) {
                throw new IllegalArgumentException("unknown " + what + " '" + value + "': one of " + String.join(", ", allowed));
            }
            return value;
        }

        private static List<Integer> sizes(String list, String arg) {
            List<Integer> sizes = new ArrayList<>();
            for (String n : list.split(",")) {
                sizes.add(atLeast(n, 1, "each N of " + arg));
            }
            return sizes;
        }

        private static int count(Map<String, String> opts, String option, int min) {
            return atLeast(opts.get(option), min, option);
        }

        static String usage() {
            return "usage: Bench [workload=N,N...]... [-rounds 5] [-warmup 2] [-repeat 1] [-impls loomtasks,raw]"
                    + " [-parking sleep|park] [-java bin/java] [-jvmArgs -Xmx8g,...] [-json f] [-md f] [-svg f]\n"
                    + "       (-jvmArgs -D" + Measure.HEAP_BETWEEN_ROUNDS_PROPERTY + "=" + String.join("|", Measure.HEAP_BETWEEN_ROUNDS)
                    + ": how the heap is collected before each round; default " + Measure.HEAP_BETWEEN_ROUNDS.get(0) + ")\n"
                    + "       Bench -summarize results.jsonl [-impls a,b] [-md f] [-svg f]\n"
                    + "workloads: " + String.join(" ", Runner.WORKLOADS) + " (default: " + DEFAULT_SUITE + ")\n"
                    + "impls: " + String.join(" ", Runner.SUBJECTS);
        }
    }
}
