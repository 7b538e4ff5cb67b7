package io.github.loomtasks.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one place that touches {@code sun.misc.Signal}, loaded reflectively: javac warns about
 * {@code sun.misc} under {@code --release} and the warning cannot be silenced, and a jlink image
 * without the {@code jdk.unsupported} module has no such class at all.
 *
 * <p>What HotSpot does, measured on JDK 21 and 25 (Linux):
 * <ul>
 *   <li>SIGINT at its default disposition: the JVM's own handler (which runs shutdown hooks and
 *       exits 130) is replaced by ours; {@code handle} returns the JVM's handler.
 *   <li>SIGINT inherited as ignored ({@code SigIgn} bit 2 in {@code /proc/self/status}; a
 *       background job of a non-interactive shell, or {@code trap '' INT}): the JVM leaves it
 *       ignored, {@code handle} returns {@code SIG_IGN} <em>without installing ours</em>, and
 *       SIGINT then does nothing at all, not even shutdown hooks.
 *   <li>{@code -Xrs}: {@code handle} throws {@code IllegalArgumentException} ("Signal already
 *       used by VM or OS"); SIGINT and SIGTERM take the OS default action and kill the JVM
 *       without running shutdown hooks.
 * </ul>
 */
public final class Signals {
    private Signals() {}

    /** How an attempt to handle a signal ended. */
    public enum Status {
        /** Our handler is installed. */
        INSTALLED,
        /** The signal was inherited as ignored; the JVM keeps it ignored and ours is not installed. */
        IGNORED,
        /** {@code sun.misc.Signal} is missing or refused the signal. */
        UNAVAILABLE
    }

    /**
     * The outcome of {@link #install}; {@link #restore()} puts the previous handler back.
     */
    public static final class Installation {
        private final String name;
        private final Status status;
        private final String detail;
        private final @Nullable Object signal;
        private final @Nullable Object previous;

        Installation(String name, Status status, String detail, @Nullable Object signal, @Nullable Object previous) {
            this.name = name;
            this.status = status;
            this.detail = detail;
            this.signal = signal;
            this.previous = previous;
        }

        /** {@return the signal's name without {@code SIG}, such as {@code INT}} */
        public String name() {
            return name;
        }

        /** {@return whether our handler was installed, and if not, why} */
        public Status status() {
            return status;
        }

        /** {@return why the handler could not be installed, or an empty string} */
        public String detail() {
            return detail;
        }

        /** Puts the previous handler back; does nothing unless ours was installed. */
        public void restore() {
            if (status == Status.INSTALLED && signal != null && previous != null) {
                try {
                    handleMethod().invoke(null, signal, previous);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // the JVM is shutting down or the class went away: nothing left to restore
                }
            }
        }
    }

    /**
     * Installs {@code handler} for the signal {@code name} ({@code INT}, {@code TERM}). The
     * handler runs on the JVM's signal dispatch thread, a platform thread; it must be quick.
     *
     * @param name the signal's name without {@code SIG}
     * @param handler what to run when the signal arrives
     * @return whether it was installed, and how to restore the previous handler
     */
    @SuppressWarnings("ReferenceEquality") // SIG_IGN is a singleton: identity is what the JDK compares too
    public static Installation install(String name, Runnable handler) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Object proxy = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    new Forwarder(name, handler));
            Object previous = handleMethod().invoke(null, signal, proxy);
            if (previous == handlerClass.getField("SIG_IGN").get(null)) {
                return new Installation(name, Status.IGNORED, "SIG" + name + " is ignored in this process", null, null);
            }
            return new Installation(name, Status.INSTALLED, "", signal, previous);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            return unavailable(name, String.valueOf(cause != null ? cause : e));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return unavailable(name, e.toString());
        }
    }

    private static Installation unavailable(String name, String why) {
        return new Installation(name, Status.UNAVAILABLE, why, null, null);
    }

    private static Method handleMethod() throws ReflectiveOperationException {
        Class<?> signalClass = Class.forName("sun.misc.Signal");
        return signalClass.getMethod("handle", signalClass, Class.forName("sun.misc.SignalHandler"));
    }

    /** The {@code sun.misc.SignalHandler} proxy: forwards the signal callback, and is equal only to itself. */
    private record Forwarder(String name, Runnable handler) implements InvocationHandler {
        @Override
        @SuppressWarnings("ReferenceEquality") // a proxy's equals is identity
        public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) {
            return switch (method.getName()) {
                case "handle" -> {
                    handler.run();
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> args != null && proxy == args[0];
                default -> "loomtasks handler for SIG" + name;
            };
        }
    }
}
