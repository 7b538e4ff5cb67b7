package io.github.loomtasks.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {

    @Test
    void defaultsAreTheTutorials() throws UsageException {
        Options o = CommandLine.parse("flat");
        assertThat(o.program()).contains(Options.Program.FLAT);
        assertThat(o.durations()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(o.interruptAfter()).isEmpty();
        assertThat(o.grace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.stuckTask()).isFalse();
        assertThat(o.help()).isFalse();
    }

    @Test
    void everyOptionInBothForms() throws UsageException {
        Options o = CommandLine.parse("--durations=0.1,0.25,2", "nested", "--interrupt-after", "1.3s", "--grace=500ms",
                "--stuck-task", "--verbose");
        assertThat(o.program()).contains(Options.Program.NESTED);
        assertThat(o.durations()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(2));
        assertThat(o.interruptAfter()).contains(Duration.ofMillis(1300));
        assertThat(o.grace()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.stuckTask()).isTrue();
        assertThat(o.verbose()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"1.3s, 1300", "500ms, 500", "PT1.3S, 1300", "pt2s, 2000", "2, 2000", "2m, 120000", "1h, 3600000", "0.5, 500", ".5s, 500", "0, 0"})
    void timesInEveryAcceptedSpelling(String text, long millis) throws UsageException {
        assertThat(CommandLine.parse("flat", "--interrupt-after", text).interruptAfter()).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                                  | missing subcommand: flat or nested",
        "--durations 1,2                     | missing subcommand",
        "fast                                | unknown subcommand 'fast': use flat or nested",
        "flat nested                         | unexpected argument 'nested'",
        "flat --frobnicate                   | unknown option '--frobnicate'",
        "flat --durations                    | option --durations needs a value",
        "flat --durations --grace 1s         | option --durations needs a value",
        "flat --durations=                   | option --durations needs a value",
        "flat --durations 1,-2,4             | --durations: '-2' is negative",
        "flat --durations 1,,4               | --durations: '' is not a number of seconds",
        "flat --durations 1,two,4            | --durations: 'two' is not a number of seconds",
        "flat --durations 1e3                | --durations: '1e3' is not a number of seconds",
        "flat --interrupt-after              | option --interrupt-after needs a value",
        "flat --interrupt-after -1s          | --interrupt-after: '-1s' is negative",
        "flat --interrupt-after PT-1S        | --interrupt-after: 'PT-1S' is negative",
        "flat --interrupt-after 1.3x         | --interrupt-after: '1.3x' is not a time",
        "flat --interrupt-after soon         | --interrupt-after: 'soon' is not a time",
        "flat --interrupt-after 5min         | --interrupt-after: '5min' is not a time",
        "flat --interrupt-after PTxS         | --interrupt-after: 'PTxS' is not a time",
        "flat --grace 1d                     | --grace: '1d' is not a time",
        "flat --grace 99999999999999999999s  | --grace: 99999999999999999999 s is too long",
    })
    void malformedArgumentsSayWhatIsWrong(String line, String message) {
        String[] args = splitArgs(line);
        assertThatThrownBy(() -> CommandLine.parse(args)).isInstanceOf(UsageException.class).hasMessageContaining(message);
    }

    @Test
    void mainPrintsTheProblemAndAHintAndReturns2() {
        Output out = new Output();
        Output err = new Output();
        assertThat(Main.run(new String[] {"flat", "--durations", "x"}, out.stream, err.stream)).isEqualTo(2);
        assertThat(out.text()).isEmpty();
        assertThat(err.text()).isEqualTo("""
                loomtasks: --durations: 'x' is not a number of seconds (as in 1,2,4 or 0.1,0.2,0.4)
                Run 'loomtasks --help' for usage.
                """);
    }

    @Test
    void helpPrintsTheUsageAndReturns0() {
        Output out = new Output();
        Output err = new Output();
        assertThat(Main.run(new String[] {"--help"}, out.stream, err.stream)).isZero();
        assertThat(out.text()).startsWith("Usage: loomtasks <flat|nested> [options]").contains("--interrupt-after TIME");
        assertThat(err.text()).isEmpty();
        assertThat(CommandLine.usage()).doesNotContain("--stuck-task");
    }

    private static String[] splitArgs(String line) {
        if (line.isEmpty()) {
            return new String[0];
        }
        return List.of(line.trim().split("\\s+")).toArray(String[]::new);
    }

    /** A PrintStream into memory. */
    private static final class Output {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        }
    }
}
