package io.github.loomtasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Passes null to every parameter of every public method and constructor of the API (one at a
 * time, the other arguments valid) and checks that each call throws NullPointerException whose
 * message names the parameter. Parameters annotated {@code @Nullable} are skipped. New API is
 * covered automatically; a parameter type without a sample value fails the test with a message
 * that says where to add one.
 */
class NullArgumentsTest {
    private static final List<Class<?>> API = List.of(Task.class, TaskScope.class, Tasks.class, Policy.class,
            ScopeConfig.class, CancelReason.class);

    @Test
    void everyPublicMethodRejectsNullNamingTheArgument() throws Exception {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        try (TaskScope<?> scope = TaskScope.open()) {
            Task<String> done = scope.fork("sample", () -> "x");
            done.join();
            for (Class<?> type : apiTypes()) {
                Object receiver = receiverFor(type, scope, done);
                for (Executable e : publicExecutables(type)) {
                    Parameter[] params = e.getParameters();
                    for (int i = 0; i < params.length; i++) {
                        if (params[i].getType().isPrimitive() || isNullable(params[i].getAnnotatedType())) {
                            continue;
                        }
                        checked++;
                        String problem = callWithNullAt(e, receiver, i, scope, done);
                        if (problem != null) {
                            problems.add(problem);
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThanOrEqualTo(15);
    }

    private static List<Class<?>> apiTypes() {
        List<Class<?>> types = new ArrayList<>();
        for (String name : List.of("ReturnWhen", "WaitResult", "AsCompleted", "Runner", "RunnerConfig", "Shutdown",
                "ShutdownConfig")) {
            try {
                types.add(Class.forName("io.github.loomtasks." + name));
            } catch (ClassNotFoundException absent) {
                // not every part of the API exists in every build of this test
            }
        }
        types.addAll(API);
        return types;
    }

    private static List<Executable> publicExecutables(Class<?> type) {
        List<Executable> list = new ArrayList<>();
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()
                    && !m.getName().equals("equals")
                    && !(type.isEnum() && m.getName().equals("valueOf"))) { // the JDK generates it
                list.add(m);
            }
        }
        if (!type.isInterface() && !type.isEnum() && !Modifier.isAbstract(type.getModifiers())) {
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers())) {
                    list.add(c);
                }
            }
        }
        return list;
    }

    private static @Nullable Object receiverFor(Class<?> type, TaskScope<?> scope, Task<String> done) {
        if (type == Task.class) {
            return done;
        }
        if (type == TaskScope.class) {
            return scope;
        }
        if (type == ScopeConfig.class) {
            return ScopeConfig.defaults();
        }
        if (type == CancelReason.class) {
            return CancelReason.requested();
        }
        if (type == Policy.class) {
            return Policy.awaitAll();
        }
        if (type == Runner.class) {
            return Runner.create(RunnerConfig.defaults().withHandleSignals(false));
        }
        if (type == RunnerConfig.class) {
            return RunnerConfig.defaults();
        }
        return null; // static methods only; an instance method on another type is reported below
    }

    private static @Nullable String callWithNullAt(Executable e, @Nullable Object receiver, int index,
            TaskScope<?> scope, Task<String> done) {
        Parameter[] params = e.getParameters();
        Object[] args = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            if (i != index) {
                args[i] = sample(params[i].getType(), scope, done, e);
            }
        }
        String where = e.getDeclaringClass().getSimpleName() + "." + e.getName() + "(" + params[index].getName() + ")";
        try {
            if (e instanceof Method m) {
                if (!Modifier.isStatic(m.getModifiers()) && receiver == null) {
                    return where + ": no receiver for an instance method: add one to receiverFor";
                }
                m.invoke(Modifier.isStatic(m.getModifiers()) ? null : receiver, args);
            } else {
                ((Constructor<?>) e).newInstance(args);
            }
            return where + ": accepted null";
        } catch (InvocationTargetException thrown) {
            Throwable cause = thrown.getCause();
            if (!(cause instanceof NullPointerException)) {
                return where + ": threw " + cause + " instead of NullPointerException";
            }
            if (!params[index].getName().equals(cause.getMessage())) {
                return where + ": NullPointerException's message is '" + cause.getMessage()
                        + "', not the parameter's name";
            }
            return null;
        } catch (ReflectiveOperationException unexpected) {
            return where + ": " + unexpected;
        }
    }

    private static Object sample(Class<?> type, TaskScope<?> scope, Task<String> done, Executable e) {
        if (type == String.class) {
            return "x";
        }
        if (type == Callable.class) {
            return (Callable<String>) () -> "x";
        }
        if (type == Runnable.class) {
            return (Runnable) () -> {};
        }
        if (type == Block.class) {
            return (Block<String, RuntimeException>) () -> "x";
        }
        if (type == Supplier.class) {
            return (Supplier<String>) () -> "x";
        }
        if (type == Duration.class) {
            return Duration.ofMillis(1);
        }
        if (type == Instant.class) {
            return Instant.now().plusSeconds(1);
        }
        if (type == TimeUnit.class) {
            return TimeUnit.MILLISECONDS;
        }
        if (type == CancelReason.class) {
            return CancelReason.requested();
        }
        if (type == Policy.class) {
            return Policy.awaitAll();
        }
        if (type == ScopeConfig.class) {
            return ScopeConfig.defaults();
        }
        if (type == ThreadFactory.class) {
            return Thread.ofVirtual().factory();
        }
        if (type == Task.class) {
            return done;
        }
        if (type == TaskScope.class) {
            return scope;
        }
        if (type == Collection.class || type == List.class || type == Iterable.class) {
            return List.of(done);
        }
        if (type.isArray() && type.getComponentType() == Task.class) {
            return new Task<?>[] {done};
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type == InterruptHandler.class) {
            return (InterruptHandler) (main, reason) -> {};
        }
        if (type == RunnerConfig.class) {
            return RunnerConfig.defaults();
        }
        if (type == java.io.PrintStream.class) {
            return System.err;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == boolean.class) {
            return false;
        }
        return fail("NullArgumentsTest has no sample value of " + type.getName() + " for " + e
                + ": add one to sample()");
    }

    private static boolean isNullable(AnnotatedType type) {
        return type.isAnnotationPresent(Nullable.class);
    }
}
