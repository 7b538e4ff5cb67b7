package io.github.loomtasks.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An SVG bar chart of the summary, written without any library: one panel per timed figure
 * (spawn, cancel, fork+join; wall time, then CPU time), in microseconds per task so that every N fits one linear scale, with
 * one bar per implementation for each N.
 */
final class Chart {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};
    private static final int PANEL_W = 300;
    private static final int PANEL_H = 220;
    private static final int MARGIN = 50;

    private record Panel(String workload, String figure, String title) {}

    private final Summary summary;

    Chart(Summary summary) {
        this.summary = summary;
    }

    String svg() {
        List<Panel> panels = new ArrayList<>();
        for (Panel p : List.of(new Panel("spawn_cancel", "spawn_ms", "spawn_cancel: spawn, wall µs/task"),
                new Panel("spawn_cancel", "cancel_ms", "spawn_cancel: cancel, wall µs/task"),
                new Panel("fork_join", "total_ms", "fork_join: fork+join, wall µs/task"),
                new Panel("spawn_cancel", "spawn_cpu_ms", "spawn_cancel: spawn, CPU µs/task"),
                new Panel("spawn_cancel", "cancel_cpu_ms", "spawn_cancel: cancel, CPU µs/task"),
                new Panel("fork_join", "total_cpu_ms", "fork_join: fork+join, CPU µs/task"))) {
            if (summary.workloads().contains(p.workload())) {
                panels.add(p);
            }
        }
        int columns = Math.min(3, Math.max(1, panels.size()));
        int rows = (panels.size() + columns - 1) / columns;
        int width = columns * (PANEL_W + MARGIN) + MARGIN;
        int height = rows * (PANEL_H + 2 * MARGIN) + 30;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
                width, height));
        for (int i = 0; i < panels.size(); i++) {
            panel(b, panels.get(i), MARGIN + i % columns * (PANEL_W + MARGIN), MARGIN + i / columns * (PANEL_H + 2 * MARGIN));
        }
        List<String> impls = summary.impls();
        for (int i = 0; i < impls.size(); i++) {
            int x = MARGIN + i * 160;
            int y = height - 18;
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y - 10, COLOURS[i % COLOURS.length], x + 16, y, impls.get(i)));
        }
        return b.append("</svg>\n").toString();
    }

    private void panel(StringBuilder b, Panel p, int x0, int y0) {
        List<Integer> ns = new ArrayList<>(summary.sizes(p.workload()));
        List<String> impls = summary.impls();
        double max = 0;
        for (int n : ns) {
            for (String impl : impls) {
                double v = perTask(p, n, impl);
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        double top = niceCeiling(max);
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>\n", x0, y0 - 12, p.title()));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n",
                x0, y0 + PANEL_H, x0 + PANEL_W, y0 + PANEL_H));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n",
                x0, y0, x0, y0 + PANEL_H));
        for (int t = 0; t <= 4; t++) {
            double v = top * t / 4;
            int y = y0 + PANEL_H - (int) Math.round(PANEL_H * t / 4.0);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                    x0 + 1, y, x0 + PANEL_W, y, x0 - 4, y + 4, trim(v)));
        }
        int groupW = PANEL_W / Math.max(1, ns.size());
        int barW = Math.max(4, (groupW - 16) / Math.max(1, impls.size()));
        for (int g = 0; g < ns.size(); g++) {
            int gx = x0 + g * groupW + 8;
            for (int i = 0; i < impls.size(); i++) {
                double v = perTask(p, ns.get(g), impls.get(i));
                if (Double.isNaN(v) || top == 0) {
                    continue;
                }
                int h = (int) Math.round(PANEL_H * v / top);
                b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s N=%d: %s µs/task</title></rect>\n", gx + i * barW, y0 + PANEL_H - h, barW - 1, h,
                        COLOURS[i % COLOURS.length], impls.get(i), ns.get(g), trim(v)));
            }
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">N=%s</text>\n",
                    gx + impls.size() * barW / 2, y0 + PANEL_H + 14, shortN(ns.get(g))));
        }
    }

    private double perTask(Panel p, int n, String impl) {
        return summary.median(p.workload(), n, impl, p.figure()) * 1000.0 / n;
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String trim(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }

    private static String shortN(int n) {
        return n >= 1_000_000 && n % 1_000_000 == 0 ? n / 1_000_000 + "M" : n >= 1000 && n % 1000 == 0 ? n / 1000 + "k" : String.valueOf(n);
    }
}
