package io.github.loomtasks.internal;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Finds where a task's body is running: the first stack frame outside the JDK and loomtasks,
 * and the blocking call it is in.
 */
public final class StackFrames {
    private static final String LIBRARY = "io.github.loomtasks.";
    private static final String INTERNAL = "internal.";
    private static final String[] JDK_PREFIXES = {"java.", "javax.", "jdk.", "sun.", "com.sun."};
    private static final StackTraceElement[] NONE = new StackTraceElement[0];

    private StackFrames() {}

    /** {@return the index of the first frame that is neither JDK nor loomtasks code, or -1} */
    public static int firstUserFrame(StackTraceElement[] stack) {
        for (int i = 0; i < stack.length; i++) {
            if (!isLibraryOrJdk(stack[i].getClassName())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@return what the body waits in: the frame just above its first user frame, when that is a
     * JDK or loomtasks call} Shown as {@code Class.method}, for example {@code Thread.sleep}.
     */
    public static @Nullable String waitingIn(StackTraceElement[] stack, int userFrame) {
        if (userFrame <= 0) {
            return null;
        }
        StackTraceElement call = stack[userFrame - 1];
        return simpleClassName(call.getClassName()) + "." + call.getMethodName();
    }

    /**
     * {@return the frames of {@code stack} that a dump shows: the first user frame and the call
     * above it, or none if there is no user frame} {@link #firstUserFrame} and {@link #waitingIn}
     * give the same answers on them as on the whole stack; a dump of many tasks holds all their
     * stacks at once, so it keeps only these.
     */
    public static StackTraceElement[] dumpFrames(StackTraceElement[] stack) {
        int user = firstUserFrame(stack);
        return user < 0 ? NONE : Arrays.copyOfRange(stack, Math.max(0, user - 1), user + 1);
    }

    /** {@return the frame as {@code Class.method(File.java:line)}, with the simple class name} */
    public static String describe(StackTraceElement frame) {
        String file = frame.getFileName();
        String location = file == null
                ? "Unknown Source"
                : frame.getLineNumber() >= 0 ? file + ":" + frame.getLineNumber() : file;
        return simpleClassName(frame.getClassName()) + "." + frame.getMethodName() + "(" + location + ")";
    }

    /**
     * {@return whether the class belongs to the JDK or to the loomtasks library} The library is
     * the API package and {@code internal}; other packages under {@code io.github.loomtasks} (the
     * demos, tests) are user code.
     */
    public static boolean isLibraryOrJdk(String className) {
        if (className.startsWith(LIBRARY)) {
            String rest = className.substring(LIBRARY.length());
            return rest.indexOf('.') < 0 || rest.startsWith(INTERNAL);
        }
        for (String prefix : JDK_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String simpleClassName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
