package io.github.loomtasks.jcstress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;

/**
 * Runs jcstress and turns its verdict into an exit status: 1 if any result has a FORBIDDEN
 * outcome, an error, a timeout or a VM crash, or if a selected test got no samples at all (for
 * example because it could not be scheduled on this machine's CPUs); 0 otherwise. (jcstress 0.16
 * itself ends with an AssertionError for FORBIDDEN outcomes only, and with status 0 for the rest.)
 * Also 1 if jcstress wrote no results because it could start none of its test JVMs. Takes
 * jcstress's own options; prints one summary line per test.
 */
public final class RunJcstress {
    private RunJcstress() {}

    public static void main(String[] args) throws Exception {
        Options opts = new Options(args);
        if (!opts.parse()) {
            System.exit(2);
        }
        JCStress jcstress = new JCStress(opts);
        SortedSet<String> tests = jcstress.getTests();
        if (tests.isEmpty()) {
            System.err.println("jcstress: no test matches " + opts.getTestFilter() + ": were the tests compiled with <proc>full</proc>?");
            System.exit(1);
        }
        try {
            jcstress.run();
        } catch (AssertionError failed) {
            // jcstress's own report of FORBIDDEN outcomes (ExceptionReportPrinter); the summary below lists them
            System.out.println("jcstress reported: " + failed.getMessage().lines().findFirst().orElse(""));
        }

        if (!Files.isRegularFile(Path.of(opts.getResultFile()))) {
            // jcstress writes no result file when it found no JVM configuration it could start
            System.err.println("jcstress FAILED: no results (" + opts.getResultFile() + " was not written): jcstress"
                    + " could start none of its test JVMs; its probing output above says why");
            System.exit(1);
        }
        InProcessCollector collected = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(opts.getResultFile(), collected);
        reader.dump();
        reader.close();

        Map<String, long[]> perTest = new TreeMap<>();   // samples, results, bad results
        for (String test : tests) {
            perTest.put(test, new long[3]);
        }
        List<String> failures = new ArrayList<>();
        for (TestResult result : collected.getTestResults()) {
            long[] sums = perTest.computeIfAbsent(result.getName(), k -> new long[3]);
            sums[0] += result.getTotalCount();
            sums[1]++;
            boolean bad = result.status() != Status.NORMAL || !result.grading().isPassed;
            if (bad) {
                sums[2]++;
                failures.add(result.getName() + " [" + result.status() + ", " + result.getConfig() + "]: "
                        + String.join("; ", result.grading().failureMessages) + String.join("; ", result.getMessages()));
            }
        }
        System.out.println("jcstress summary (" + Runtime.version() + "):");
        long total = 0;
        for (Map.Entry<String, long[]> e : perTest.entrySet()) {
            long[] s = e.getValue();
            total += s[0];
            System.out.printf("  %-60s %,14d samples in %d runs, %d failed%n", e.getKey(), s[0], s[1], s[2]);
            if (s[0] == 0) {
                failures.add(e.getKey() + ": no samples (not run, or could not be scheduled)");
            }
        }
        System.out.printf("  %-60s %,14d samples%n", "total", total);
        if (!failures.isEmpty()) {
            System.out.println("jcstress FAILED:");
            failures.forEach(f -> System.out.println("  " + f));
            System.exit(1);
        }
        System.out.println("jcstress: no FORBIDDEN outcome, no error");
    }
}
