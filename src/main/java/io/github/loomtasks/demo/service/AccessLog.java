package io.github.loomtasks.demo.service;

import java.io.PrintStream;

/** One line per request on standard output: {@code #12 GET /fanout?orders=2s -> 504 in 1003 ms}. */
final class AccessLog implements RequestListener {
    private final PrintStream out;

    AccessLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void finished(RequestOutcome o) {
        // one println per line: PrintStream locks per call, so lines of concurrent requests do not mix
        out.println("#" + o.id() + " " + o.target() + " -> " + o.status() + " " + o.kind() + " in " + o.elapsed().toMillis() + " ms");
    }
}
