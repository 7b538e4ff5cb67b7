package io.github.loomtasks.demo;

import io.github.loomtasks.Runner;
import io.github.loomtasks.RunnerConfig;
import io.github.loomtasks.demo.service.ServeCommand;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The jar's main class: {@code loomtasks flat} and {@code loomtasks nested} run the tutorial's
 * two programs. {@code --help} prints the usage.
 */
public final class Main {
    /** Exit status for a command line that cannot be run. */
    static final int USAGE_ERROR = 2;

    private Main() {}

    /**
     * Runs the program named by the first argument and exits with its status.
     *
     * @param args the command line; see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** {@return the exit status} Runs the program, or prints the usage or the command line's error. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("serve")) {
            return ServeCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        Options options;
        try {
            options = CommandLine.parse(args);
        } catch (UsageException e) {
            err.println("loomtasks: " + e.getMessage());
            err.println("Run 'loomtasks --help' for usage.");
            return USAGE_ERROR;
        }
        if (options.help()) {
            out.print(CommandLine.usage());
            return 0;
        }
        Runner runner = Runner.create(RunnerConfig.defaults().withGrace(options.grace()).withReport(err));
        Tutorial tutorial = new Tutorial(options, runner, out, err);
        return switch (options.program().orElseThrow()) {
            case FLAT -> tutorial.flat();
            case NESTED -> tutorial.nested();
        };
    }
}
