package io.github.loomtasks.demo.service;

import io.github.loomtasks.CancelReason;
import io.github.loomtasks.Policy;
import io.github.loomtasks.Runner;
import io.github.loomtasks.RunnerConfig;
import io.github.loomtasks.ScopeConfig;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * {@code loomtasks serve}: runs the example service until SIGTERM or Ctrl-C, under a
 * {@link Runner} that turns the signal into the cancel of the {@code http-server} task.
 *
 * <p>What runs, as {@code GET /tasks} shows it: a root scope {@code service} with the
 * {@code client-watch} task and, inside it, the runner's scope with the {@code http-server}
 * task, which parks until the signal and then performs the graceful stop; and one root scope per
 * request in flight, opened by its handler thread. Request scopes are not children of
 * {@code http-server}, on purpose: its cancel must not cancel them, they get the drain period.
 */
public final class ServeCommand {
    private static final int USAGE_ERROR = 2;
    private static final int CANNOT_START = 1;

    private ServeCommand() {}

    /**
     * Runs {@code serve} with the arguments that follow it.
     *
     * @return the exit status: 0, 1 (cannot listen), 2 (bad command line), or the runner's
     *     signal status when tasks were stuck at the end of the grace period
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        ServiceOptions options;
        try {
            options = ServeCommandLine.parse(args);
        } catch (BadInputException e) {
            err.println("loomtasks serve: " + e.getMessage());
            err.println("Run 'loomtasks serve --help' for usage.");
            return USAGE_ERROR;
        }
        if (options.help()) {
            out.print(ServeCommandLine.usage());
            return 0;
        }
        FanoutServer server;
        try {
            server = FanoutServer.bind(options, options.quiet() ? new RequestListener() { } : new AccessLog(out));
        } catch (IOException | RuntimeException e) {
            err.println("loomtasks serve: cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage());
            return CANNOT_START;
        }
        Runner runner = Runner.create(RunnerConfig.defaults().withGrace(options.grace()).withReport(err));
        return serve(server, runner, out, err);
    }

    static int serve(FanoutServer server, Runner runner, PrintStream out, PrintStream err) {
        try (TaskScope<@Nullable Void> service = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withName("service"))) {
            service.fork("client-watch", server.watch()::run);
            return runner.runTask("http-server", () -> serveUntilStopped(server, runner, out, err));
        }
    }

    /** The body of the {@code http-server} task. */
    private static @Nullable Void serveUntilStopped(FanoutServer server, Runner runner, PrintStream out, PrintStream err) {
        server.start();
        ServiceOptions o = server.options();
        out.println("loomtasks serve: listening on http://" + server.address().getHostString() + ":" + server.address().getPort()
                + "/ (GET /fanout, GET /tasks); deadline " + Durations.format(o.timeout()) + ", grace " + Durations.format(o.grace())
                + ", drain " + Durations.format(o.drain()) + (server.watch().available() ? ""
                : "; client disconnects are not detected here (no /proc/net/tcp): only deadlines bound abandoned requests"));
        out.flush();
        try {
            new CountDownLatch(1).await(); // until the signal: the runner cancels this task
            return null;
        } catch (InterruptedException e) {
            stopGracefully(server, reason(runner), out, err);
            // the interrupt was the stop request, and the stop is done: the task ends DONE and
            // the runner exits 0 unless tasks are still running after the grace period
            return null;
        }
    }

    private static CancelReason reason(Runner runner) {
        return runner.shutdownReason()
                .or(() -> Tasks.current().flatMap(Task::cancelReason))
                .orElse(new CancelReason(CancelReason.Kind.INTERRUPTED, "the http-server task was interrupted"));
    }

    private static void stopGracefully(FanoutServer server, CancelReason reason, PrintStream out, PrintStream err) {
        ServiceOptions o = server.options();
        long now = System.nanoTime();
        // answer everyone a little before the runner's grace period ends, when it reports and exits
        Duration margin = min(Duration.ofSeconds(1), o.grace().dividedBy(5));
        err.println("loomtasks serve: " + reason + ": not accepting new connections; " + server.inFlight()
                + " request(s) in flight get " + Durations.format(o.drain()) + " to finish");
        StopSummary summary = server.stop(reason, now + o.drain().toNanos(), now + o.grace().minus(margin).toNanos());
        err.println("loomtasks serve: " + summary.describe());
        for (RequestOutcome stuck : summary.answeredStuck()) {
            err.println("loomtasks serve: answered while stuck: " + stuck.detail());
        }
        out.flush();
        err.flush();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
