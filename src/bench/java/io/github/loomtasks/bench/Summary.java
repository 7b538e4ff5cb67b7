package io.github.loomtasks.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Medians of the measured rounds, per workload, N, figure and implementation, and the range of the
 * per-JVM medians: at 100k a figure moves more from one JVM to the next than between the two sides
 * (docs/performance.md, "Which JVM you draw").
 */
final class Summary {
    /** The figures shown for each workload, in order; others stay in the JSON lines. */
    static final Map<String, List<String>> FIGURES = Map.of(
            "spawn_cancel", List.of("spawn_ms", "cancel_ms", "spawn_cpu_ms", "cancel_cpu_ms", "cancel_gc_pause_ms",
                    "cancel_gc_marking_pauses", "rss_rounds_mib", "rss_peak_mib", "heap_per_task_bytes"),
            "fork_join", List.of("total_ms", "total_cpu_ms", "rss_rounds_mib", "rss_peak_mib", "heap_per_task_bytes"),
            "cancel_latency", List.of("p50_us", "p99_us", "call_p50_us"),
            "registry", List.of("snapshot_ms", "dump_ms", "dump_chars"));

    private final List<Map<String, Object>> results;
    private final List<String> impls;

    Summary(List<Map<String, Object>> results, List<String> impls) {
        this.results = results;
        this.impls = impls;
    }

    List<String> impls() {
        return impls;
    }

    List<String> workloads() {
        List<String> w = new ArrayList<>();
        for (Map<String, Object> r : results) {
            String name = (String) r.get("workload");
            if (!w.contains(name)) {
                w.add(name);
            }
        }
        return w;
    }

    TreeSet<Integer> sizes(String workload) {
        TreeSet<Integer> ns = new TreeSet<>();
        for (Map<String, Object> r : results) {
            if (workload.equals(r.get("workload"))) {
                ns.add(((Number) r.get("n")).intValue());
            }
        }
        return ns;
    }

    /** All values of a figure (measured rounds, or the peak line for peak figures), or empty. */
    List<Double> values(String workload, int n, String impl, String figure) {
        List<Double> v = new ArrayList<>();
        for (Map<String, Object> r : results) {
            if (measured(r, workload, n, impl) && r.get(figure) instanceof Number x) {
                v.add(x.doubleValue());
            }
        }
        v.sort(null);
        return v;
    }

    /** {@return whether {@code r} is a measured line (a round or the peak) of this workload, N and side} */
    private static boolean measured(Map<String, Object> r, String workload, int n, String impl) {
        return workload.equals(r.get("workload")) && impl.equals(r.get("impl"))
                && ((Number) r.get("n")).intValue() == n && !"warmup".equals(r.get("round"));
    }

    /** {@return the median, or NaN without values} */
    double median(String workload, int n, String impl, String figure) {
        return median(values(workload, n, impl, figure));
    }

    private static double median(List<Double> sorted) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }

    /**
     * {@return the median of a figure in each JVM, sorted} A JVM's lines are consecutive and end with
     * its {@code peak} line, which holds its peak figures.
     */
    List<Double> jvmMedians(String workload, int n, String impl, String figure) {
        List<Double> medians = new ArrayList<>();
        List<Double> jvm = new ArrayList<>();
        for (Map<String, Object> r : results) {
            if (!measured(r, workload, n, impl)) {
                continue;
            }
            if (r.get(figure) instanceof Number x) {
                jvm.add(x.doubleValue());
            }
            if ("peak".equals(r.get("round"))) {
                if (!jvm.isEmpty()) {
                    jvm.sort(null);
                    medians.add(median(jvm));
                }
                jvm = new ArrayList<>();
            }
        }
        medians.sort(null);
        return medians;
    }

    boolean allChecksPassed() {
        return results.stream().noneMatch(r -> Boolean.FALSE.equals(r.get("ok")));
    }

    String markdown() {
        StringBuilder b = new StringBuilder("| workload | N | figure |");
        for (String impl : impls) {
            b.append(' ').append(impl).append(" |");
        }
        b.append(" ").append(impls.get(0)).append(" / ").append(impls.size() > 1 ? impls.get(1) : "-")
                .append(" | per-JVM medians, ").append(String.join(" · ", impls)).append(" |\n|---|--:|---|");
        b.append("--:|".repeat(impls.size() + 1)).append("---|\n");
        for (String w : workloads()) {
            for (int n : sizes(w)) {
                for (String fig : FIGURES.getOrDefault(w, List.of())) {
                    List<Double> medians = new ArrayList<>();
                    StringBuilder row = new StringBuilder();
                    List<String> jvms = new ArrayList<>();
                    for (String impl : impls) {
                        double m = median(w, n, impl, fig);
                        medians.add(m);
                        row.append(' ').append(format(m, spread(values(w, n, impl, fig), m))).append(" |");
                        jvms.add(range(jvmMedians(w, n, impl, fig)));
                    }
                    if (medians.stream().allMatch(d -> d.isNaN())) {
                        continue;
                    }
                    double ratio = medians.size() > 1 ? medians.get(0) / medians.get(1) : Double.NaN;
                    b.append("| ").append(w).append(" | ").append(n).append(" | ").append(fig).append(" |").append(row)
                            .append(' ').append(Double.isNaN(ratio) || Double.isInfinite(ratio) ? "-"
                                    : String.format(Locale.ROOT, "%.2f", ratio)).append(" | ")
                            .append(String.join(" · ", jvms)).append(" |\n");
                }
            }
        }
        for (Map<String, Object> r : results) {
            if (Boolean.FALSE.equals(r.get("ok"))) {
                b.append("\nFAILED CHECK: ").append(Json.write(r)).append('\n');
            }
        }
        return b.toString();
    }

    /** Half the range of the rounds, relative to the median: a rough noise figure. */
    private static double spread(List<Double> v, double median) {
        if (v.size() < 2 || median == 0) {
            return Double.NaN;
        }
        return (v.get(v.size() - 1) - v.get(0)) / 2 / median;
    }

    /** {@return "min–max" of the per-JVM medians, the one value if all JVMs agree, or "-"} */
    private static String range(List<Double> jvmMedians) {
        if (jvmMedians.isEmpty()) {
            return "-";
        }
        String lo = format(jvmMedians.get(0), Double.NaN);
        String hi = format(jvmMedians.get(jvmMedians.size() - 1), Double.NaN);
        return lo.equals(hi) ? lo : lo + "–" + hi;
    }

    private static String format(double m, double spread) {
        if (Double.isNaN(m)) {
            return "-";
        }
        String value = m >= 100 ? String.format(Locale.ROOT, "%.0f", m) : String.format(Locale.ROOT, "%.3g", m);
        return Double.isNaN(spread) ? value : value + String.format(Locale.ROOT, " ±%.0f%%", spread * 100);
    }
}
