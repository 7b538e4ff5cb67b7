package io.github.loomtasks.demo.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Linux's table of TCP connections ({@code /proc/net/tcp} and {@code tcp6}): the one place where a
 * process can see, without reading from a socket, that the peer of a connection has closed it.
 *
 * <p>A connection is named by {@link #keys}: its local and remote address in the table's own hex
 * form (each 32-bit word of an address in the machine's byte order, the port in big-endian). An
 * IPv4 connection is listed in {@code tcp}, or in {@code tcp6} as an IPv4-mapped address when the
 * server's socket is dual-stack, so it has two names.
 */
final class TcpTable {
    /** The peer closed its side (we got its FIN) and we have not closed ours. */
    static final int CLOSE_WAIT = 0x08;
    /** Both sides are closing. */
    static final int LAST_ACK = 0x09;
    static final int CLOSE = 0x07;

    private static final List<Path> FILES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private TcpTable() {}

    /** {@return whether the table can be read here} */
    static boolean available() {
        return Files.isReadable(FILES.get(0));
    }

    /** {@return the names of the connection between {@code local} and {@code remote} in the table} */
    static List<String> keys(InetSocketAddress local, InetSocketAddress remote) {
        InetAddress l = local.getAddress();
        InetAddress r = remote.getAddress();
        String v6 = hex(mapped(l)) + ":" + port(local) + " " + hex(mapped(r)) + ":" + port(remote);
        if (l instanceof Inet4Address && r instanceof Inet4Address) {
            return List.of(hex(l.getAddress()) + ":" + port(local) + " " + hex(r.getAddress()) + ":" + port(remote), v6);
        }
        return List.of(v6);
    }

    /** Hands each connection of the table to {@code sink} as (name, state). */
    static void read(BiConsumer<String, Integer> sink) throws IOException {
        for (Path file : FILES) {
            if (!Files.exists(file)) {
                continue;
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
                in.readLine(); // the header
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    entry(line, sink);
                }
            }
        }
    }

    /** {@code "  12: 0100007F:1F90 0100007F:D3A2 08 ..."}: fields 1 and 2 name it, field 3 is the state. */
    private static void entry(String line, BiConsumer<String, Integer> sink) {
        String[] f = line.strip().split("\\s+", 5);
        if (f.length < 4) {
            return;
        }
        try {
            sink.accept(f[1] + " " + f[2], Integer.parseInt(f[3], 16));
        } catch (NumberFormatException e) {
            // not an entry (a format this code does not know): nothing to learn from it
        }
    }

    private static byte[] mapped(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16) {
            return b;
        }
        byte[] m = new byte[16];
        m[10] = (byte) 0xff;
        m[11] = (byte) 0xff;
        System.arraycopy(b, 0, m, 12, 4);
        return m;
    }

    private static String hex(byte[] address) {
        byte[] words = address.clone();
        if (LITTLE_ENDIAN) {
            for (int i = 0; i < words.length; i += 4) {
                swap(words, i, i + 3);
                swap(words, i + 1, i + 2);
            }
        }
        return HexFormat.of().formatHex(words).toUpperCase(Locale.ROOT);
    }

    private static void swap(byte[] b, int i, int j) {
        byte t = b[i];
        b[i] = b[j];
        b[j] = t;
    }

    private static String port(InetSocketAddress a) {
        return String.format(Locale.ROOT, "%04X", a.getPort());
    }
}
