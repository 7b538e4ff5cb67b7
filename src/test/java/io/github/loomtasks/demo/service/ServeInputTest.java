package io.github.loomtasks.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line, the query string, and the TCP table's names: bad input says what is wrong. */
class ServeInputTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int serve(String... args) {
        return ServeCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void badCommandLinesExitWith2AndSayWhy() {
        assertThat(serve("--port", "http")).isEqualTo(2);
        assertThat(serve("--grace", "5s", "--drain", "5s")).isEqualTo(2);
        assertThat(serve("--timeout")).isEqualTo(2);
        assertThat(serve("--backends", "a=1s,a=2s")).isEqualTo(2);
        assertThat(serve("--watch-interval", "0")).isEqualTo(2);
        assertThat(serve("extra")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--port: 'http' is not a port", "--drain (5s) must be shorter than --grace (5s)",
                        "option --timeout needs a value", "'a' is reserved or given twice", "--watch-interval: must be more than 0",
                        "unexpected argument 'extra'", "Run 'loomtasks serve --help' for usage.");
    }

    @Test
    void helpExitsWith0() {
        assertThat(serve("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: loomtasks serve [options]").contains("--grace TIME");
    }

    @Test
    @SuppressWarnings("AddressSelection") // the address the service binds by default
    void aPortInUseExitsWith1() throws Exception {
        try (var taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            assertThat(serve("--port", String.valueOf(taken.getLocalPort()))).isEqualTo(1);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot listen on 127.0.0.1:");
    }

    @Test
    void optionsAreParsed() throws Exception {
        ServiceOptions o = ServeCommandLine.parse("--port=0", "--timeout", "250ms", "--backends", "a=1s,b=PT0.5S", "--grace", "4s", "--quiet");
        assertThat(o.port()).isZero();
        assertThat(o.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(o.backends()).extracting(Backend::name).containsExactly("a", "b");
        assertThat(o.backends().get(1).latency()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.drain()).as("half the grace by default").isEqualTo(Duration.ofSeconds(2));
        assertThat(o.quiet()).isTrue();
    }

    @Test
    void durationsTakeUnitsAndRefuseTheRest() throws Exception {
        assertThat(Durations.parse("t", "1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("t", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("t", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThatThrownBy(() -> Durations.parse("t", "-1s")).hasMessage("t: '-1s' is negative: give a time of 0 or more");
        assertThatThrownBy(() -> Durations.parse("t", "PT-1S")).hasMessageContaining("is negative");
        assertThatThrownBy(() -> Durations.parse("t", "2h")).hasMessageContaining("longer than the limit");
        assertThatThrownBy(() -> Durations.parse("t", "soon")).hasMessageContaining("is not a time");
    }

    @Test
    void queriesOverrideTheDefaults() throws Exception {
        FanoutRequest r = FanoutRequest.parse(QueryParams.parse("timeout=2s&orders=10ms&fail=users&stubborn=ads"), ServiceOptions.DEFAULTS);
        assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.backends()).extracting(Backend::behaviour)
                .containsExactly(Backend.Behaviour.FAIL, Backend.Behaviour.NORMAL, Backend.Behaviour.STUBBORN);
        assertThat(r.backends().get(1).latency()).isEqualTo(Duration.ofMillis(10));
        assertThat(QueryParams.parse("a=%20b&&c=d")).isEqualTo(Map.of("a", " b", "c", "d"));
        assertThatThrownBy(() -> QueryParams.parse("a")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> QueryParams.parse("a=%zz")).hasMessageContaining("not a well-formed query part");
        assertThatThrownBy(() -> FanoutRequest.parse(Map.of("fail", "ads", "stubborn", "ads"), ServiceOptions.DEFAULTS))
                .hasMessageContaining("cannot both fail and be stubborn");
    }

    @Test
    @SuppressWarnings("AddressSelection") // the kernel's table holds IPv4 127.0.0.1 itself
    void tcpTableNamesAConnectionInBothOfItsForms() {
        var local = new InetSocketAddress("127.0.0.1", 8080);
        var remote = new InetSocketAddress("127.0.0.1", 54_321);
        String v4 = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "0100007F" : "7F000001";
        String v6 = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "0000000000000000FFFF00000100007F"
                : "00000000000000000000FFFF7F000001";
        assertThat(TcpTable.keys(local, remote)).containsExactly(v4 + ":1F90 " + v4 + ":D431", v6 + ":1F90 " + v6 + ":D431");
    }
}
