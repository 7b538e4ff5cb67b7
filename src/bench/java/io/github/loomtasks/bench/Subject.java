package io.github.loomtasks.bench;

import java.util.Map;

/**
 * One implementation under test: loomtasks, or the raw JDK executor. Each method runs one round of
 * a workload and returns its figures (names as in docs/performance.md); the two implementations
 * are written side by side so that a reader can compare their code line by line.
 */
interface Subject {
    /** {@return the name printed in results: {@code loomtasks}, {@code raw}, ...} */
    String name();

    /**
     * Starts {@code n} tasks that park, waits until all have entered their bodies, cancels them
     * all and waits until every thread has ended. Figures: {@code submit_ms}, {@code spawn_ms}
     * (until all parked), {@code cancel_ms} (until every thread ended), {@code ok}.
     *
     * @param heapProbe when true, also measures the heap used while all are parked
     *     ({@code heap_per_task_bytes}, after a full GC: slow, so not on timed rounds)
     */
    Map<String, Object> spawnCancel(int n, Parking parking, boolean heapProbe) throws Exception;

    /**
     * Forks {@code n} tasks returning {@code i*2} and joins them. Figures: {@code total_ms}, {@code ok}.
     *
     * @param heapProbe when true, also measures the heap still held per task once all are joined
     *     and before the scope or executor closes ({@code heap_per_task_bytes})
     */
    Map<String, Object> forkJoin(int n, boolean heapProbe) throws Exception;

    /**
     * {@code rounds} times: start one parked task, cancel it, and measure from just before the
     * cancel until its body has ended. Figures: {@code p50_us}, {@code p99_us}, {@code max_us},
     * {@code call_p50_us} (the cancel call alone), {@code ok}.
     */
    Map<String, Object> cancelLatency(int rounds, Parking parking) throws Exception;

    /**
     * With {@code n} parked tasks, lists them: {@code snapshot_ms} (loomtasks' {@code Tasks.all()}),
     * {@code dump_ms} and {@code dump_chars} (the text dump), {@code ok}.
     */
    Map<String, Object> registry(int n, Parking parking) throws Exception;
}
