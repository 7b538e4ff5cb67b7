package io.github.loomtasks;

/**
 * The signals a {@link Runner} turns into an interrupt of the program's main work.
 */
public enum ShutdownSignal {
    /** SIGINT, what Ctrl-C in a terminal sends: asyncio's {@code KeyboardInterrupt}. */
    SIGINT("INT", 2, "SIGINT (Ctrl-C)"),
    /** SIGTERM, what {@code kill}, systemd and container runtimes send to stop a service. */
    SIGTERM("TERM", 15, "SIGTERM");

    private final String osName;
    private final int number;
    private final String description;

    ShutdownSignal(String osName, int number, String description) {
        this.osName = osName;
        this.number = number;
        this.description = description;
    }

    /** {@return the name without {@code SIG}, as {@code kill -s} takes it: {@code INT}, {@code TERM}} */
    public String osName() {
        return osName;
    }

    /** {@return the signal number on Linux and macOS: 2 for SIGINT, 15 for SIGTERM} */
    public int number() {
        return number;
    }

    /** {@return the reason a cancel caused by this signal carries} */
    public CancelReason reason() {
        return new CancelReason(CancelReason.Kind.SIGNAL, description);
    }

    /** {@return a short description, such as {@code SIGINT (Ctrl-C)}} */
    @Override
    public String toString() {
        return description;
    }
}
