package io.github.loomtasks.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one workload on one subject in this JVM: warm-up rounds, then measured rounds, one JSON line
 * each on stdout, then a line with the process's peak RSS (and, for spawn_cancel, the heap per
 * parked task). {@link Bench} starts one fresh JVM per (workload, subject, N), so that the peak RSS
 * of one subject never includes the other's.
 */
final class Runner {
    private Runner() {}

    /** The workloads, as {@link #run} knows them. */
    static final List<String> WORKLOADS = List.of("spawn_cancel", "fork_join", "cancel_latency", "registry");
    /** The subjects, as {@link #subject} knows them. */
    static final List<String> SUBJECTS = List.of("loomtasks", "raw", "raw_shutdownNow");

    /** Arguments: workload subject n warmup rounds parking. */
    public static void main(String[] args) throws Exception {
        String workload = args[0];
        Subject subject = subject(args[1]);
        int n = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        Parking parking = Parking.valueOf(args[5].toUpperCase(java.util.Locale.ROOT));
        for (int round = -warmup; round < rounds; round++) {
            Measure.collectBetweenRounds(); // the previous round's garbage (a million dead threads) is not this round's cost
            Map<String, Object> figures = run(workload, subject, n, parking, false);
            Map<String, Object> line = header(workload, subject, n, parking);
            line.put("round", round < 0 ? "warmup" : String.valueOf(round + 1));
            line.putAll(figures);
            line.put("load1", Measure.loadAverage());
            System.out.println(Json.write(line));
        }
        // the peak of the rounds, before the probe below: its full GCs resize G1's heap, and the
        // peak resident set can then come from the probe rather than from the workload
        double roundsPeak = Measure.procStatusMiB("VmHWM");
        Map<String, Object> peak = header(workload, subject, n, parking);
        peak.put("round", "peak");
        // one more round, untimed, that measures the heap held per task (full GCs: slow)
        if (workload.equals("spawn_cancel")) {
            peak.putAll(subject.spawnCancel(n, parking, true));
        } else if (workload.equals("fork_join")) {
            peak.putAll(subject.forkJoin(n, true));
        }
        peak.keySet().removeIf(k -> k.endsWith("_ms"));
        peak.put("rss_rounds_mib", roundsPeak);
        peak.put("rss_peak_mib", Measure.procStatusMiB("VmHWM"));
        System.out.println(Json.write(peak));
    }

    static Subject subject(String name) {
        return switch (name) {
            case "loomtasks" -> new LoomSubject();
            case "raw" -> new RawSubject(false);
            case "raw_shutdownNow" -> new RawSubject(true);
            default -> throw new IllegalArgumentException("unknown subject '" + name + "': one of " + SUBJECTS);
        };
    }

    private static Map<String, Object> run(String workload, Subject s, int n, Parking parking, boolean heap)
            throws Exception {
        return switch (workload) {
            case "spawn_cancel" -> s.spawnCancel(n, parking, heap);
            case "fork_join" -> s.forkJoin(n, false);
            case "cancel_latency" -> s.cancelLatency(n, parking);
            case "registry" -> s.registry(n, parking);
            default -> throw new IllegalArgumentException("unknown workload '" + workload + "': one of " + WORKLOADS);
        };
    }

    private static Map<String, Object> header(String workload, Subject s, int n, Parking parking) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("workload", workload);
        line.put("impl", s.name());
        line.put("n", n);
        line.put("parking", parking.name().toLowerCase(java.util.Locale.ROOT));
        line.put("jdk", Runtime.version().toString());
        return line;
    }
}
