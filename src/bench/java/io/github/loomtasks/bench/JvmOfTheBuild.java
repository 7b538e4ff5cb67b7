package io.github.loomtasks.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the home and class path of the JVM it runs in, one per line, to the file named by its
 * argument. bench/run has Maven start it with the JDK 21+ that the build discovers and the bench
 * profile's class path, then starts the benchmark on that JVM itself: so the benchmark's arguments
 * reach it unchanged and its exit status (2 for a wrong argument) reaches the shell, neither of
 * which Maven's exec passes on.
 */
final class JvmOfTheBuild {
    private JvmOfTheBuild() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JvmOfTheBuild FILE");
            System.exit(2);
        }
        Files.write(Path.of(args[0]),
                List.of(System.getProperty("java.home"), System.getProperty("java.class.path")), StandardCharsets.UTF_8);
    }
}
