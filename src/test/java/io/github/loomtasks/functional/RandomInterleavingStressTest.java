package io.github.loomtasks.functional;

import static io.github.loomtasks.testing.Bodies.awaitUninterruptibly;
import static io.github.loomtasks.testing.Bodies.sleepForever;

import io.github.loomtasks.Policy;
import io.github.loomtasks.ScopeConfig;
import io.github.loomtasks.Task;
import io.github.loomtasks.TaskScope;
import io.github.loomtasks.Tasks;
import io.github.loomtasks.testing.RecordingThreadFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rounds of random interleavings of start, completion, cancel, scope cancel, fork from tasks, join
 * and close, each checked against the contract's invariants:
 * <ul>
 *   <li>each task reaches exactly one terminal state, once, and only after its body has returned
 *       (an observer thread watches every task's state while the round runs);
 *   <li>cancel() returns false exactly when the task was already terminal: a caller that saw the
 *       task terminal before calling must get false, and a caller that got false must then see it
 *       terminal (terminal is permanent);
 *   <li>a body never runs after a winning cancel-before-start: a body that begins sees its own task
 *       RUNNING;
 *   <li>no result is lost: a DONE task holds its body's value or exception;
 *   <li>the request count equals the accepted requests: every cancel() that returned true, plus at
 *       most one from the scope's own cancel (explicit, or close's), and none from the scope for a
 *       task that was terminal before the scope was cancelled;
 *   <li>after close every task is terminal, none is listed by Tasks.all(), and every thread the
 *       scope made has run to its end.
 * </ul>
 * No sleeps order anything: bodies return, throw, spin a random while, or block until cancelled;
 * cancellers and the owner start together from a latch and act after random spins.
 *
 * <pre>
 * ./mvnw verify -Dloomtasks.test.groups=stress -Dtest=RandomInterleavingStressTest -Dloomtasks.stress.interleavings=100000
 * </pre>
 * A failure names the round's seed; {@code -Dloomtasks.stress.seed=<seed>} replays the same plans.
 */
@Tag("stress")
class RandomInterleavingStressTest {
    private static final int ROUNDS = Integer.getInteger("loomtasks.stress.interleavings", 1_000);
    private static final long SEED = Long.getLong("loomtasks.stress.seed", new Random().nextLong());

    private enum Kind { RETURN, THROW, SPIN_THEN_RETURN, BLOCK_UNTIL_CANCELLED, IGNORE_CANCEL, FORK_CHILDREN }

    private enum Ending { CLOSE, CANCEL_JOIN_CLOSE, JOIN_CLOSE }

    /** What one task's body and its callers saw. */
    private static final class Probe {
        final int index;
        final Kind kind;
        final int spins;
        volatile Task<?> task;
        final AtomicInteger accepted = new AtomicInteger();
        volatile boolean bodyBegan;
        volatile boolean bodyEnded;
        volatile Task.State stateAtBodyStart;
        boolean terminalBeforeScopeCancel;

        Probe(int index, Kind kind, int spins) {
            this.index = index;
            this.kind = kind;
            this.spins = spins;
        }
    }

    /** A body's exception, carrying which task threw it. */
    private static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int index;

        Boom(int index) {
            super("boom " + index, null, false, false);
            this.index = index;
        }
    }

    private static final class Round {
        final long seed;
        final SplittableRandom random;
        final List<Probe> probes = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        final AtomicInteger nextIndex = new AtomicInteger();
        volatile boolean over;

        Round(long seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
        }

        void fail(String what) {
            violations.add("seed " + seed + ": " + what);
        }
    }

    /** How often each interleaving showed up, so that a run shows it was not vacuous. */
    private enum Seen { CANCELLED_BEFORE_BODY, CANCELLED_IN_BODY, DONE, DONE_IGNORING_CANCEL, CANCEL_ACCEPTED, CANCEL_REFUSED }

    private static final EnumMap<Seen, LongAdder> SEEN = new EnumMap<>(Seen.class);

    static {
        for (Seen s : Seen.values()) {
            SEEN.put(s, new LongAdder());
        }
    }

    private static void seen(Seen what) {
        SEEN.get(what).increment();
    }

    @Test
    void randomCancelCompleteCloseInterleavingsKeepTheContract() throws Exception {
        var seeds = new SplittableRandom(SEED);
        long t0 = System.nanoTime();
        int tasks = 0;
        for (int i = 0; i < ROUNDS; i++) {
            tasks += round(new Round(seeds.nextLong()));
        }
        StringBuilder seen = new StringBuilder();
        for (Seen s : Seen.values()) {
            seen.append(seen.length() == 0 ? "" : ", ").append(s.name().toLowerCase(Locale.ROOT)).append(' ')
                    .append(SEEN.get(s).sum());
        }
        System.out.printf("RandomInterleavingStressTest: %,d rounds, %,d tasks, %,d ms, seed %d (Java %s); seen: %s%n",
                ROUNDS, tasks, (System.nanoTime() - t0) / 1_000_000, SEED, Runtime.version(), seen);
    }

    private static int round(Round r) throws Exception {
        SplittableRandom rnd = r.random;
        var threads = new RecordingThreadFactory(rnd.nextInt(4) == 0
                ? Thread.ofPlatform().daemon().factory() : Thread.ofVirtual().factory());
        int topLevel = 1 + rnd.nextInt(12);
        int cancellers = rnd.nextInt(4);
        Ending ending = Ending.values()[rnd.nextInt(Ending.values().length)];
        var go = new CountDownLatch(1);
        List<Thread> helpers = new ArrayList<>();
        IdentityHashMap<Task<?>, Probe> byTask = new IdentityHashMap<>();
        TaskScope<?> closed;
        boolean cancelledBeforeClose;
        try (var scope = TaskScope.open(Policy.awaitAll(), ScopeConfig.defaults().withName("round").withThreadFactory(threads))) {
            closed = scope;
            boolean blocking = false;
            for (int i = 0; i < topLevel; i++) {
                Probe p = newProbe(r, rnd, true);
                blocking |= p.kind == Kind.BLOCK_UNTIL_CANCELLED || p.kind == Kind.IGNORE_CANCEL || p.kind == Kind.FORK_CHILDREN;
                fork(r, scope, p);
            }
            for (int c = 0; c < cancellers; c++) {
                long seed = rnd.nextLong();
                boolean cancelsScope = rnd.nextInt(4) == 0;
                helpers.add(Thread.ofVirtual().start(() -> canceller(r, scope, go, new SplittableRandom(seed), cancelsScope)));
            }
            helpers.add(Thread.ofVirtual().start(() -> observer(r, go)));
            int ownerSpins = rnd.nextInt(2_000);
            go.countDown();
            spin(ownerSpins);
            if (ending == Ending.JOIN_CLOSE && blocking) {
                ending = Ending.CANCEL_JOIN_CLOSE;   // a blocking body ends only when cancelled
            }
            if (ending == Ending.CANCEL_JOIN_CLOSE) {
                snapshotTerminal(r);
                cancelledBeforeClose = scope.isCancelled();
                scope.cancel();
                scope.join();
            } else if (ending == Ending.JOIN_CLOSE) {
                scope.join();
                snapshotTerminal(r);
                cancelledBeforeClose = scope.isCancelled();
            } else {
                snapshotTerminal(r);
                cancelledBeforeClose = scope.isCancelled();
            }
        }
        r.over = true;
        for (Thread h : helpers) {
            h.join();
        }

        Set<Task<?>> listed = Collections.newSetFromMap(new IdentityHashMap<>());
        listed.addAll(Tasks.all());
        for (Probe p : r.probes) {
            byTask.put(p.task, p);
            check(r, p, cancelledBeforeClose, listed.contains(p.task));
        }
        List<Task<?>> inScope = closed.tasks();
        if (inScope.size() != byTask.size() || !byTask.keySet().containsAll(inScope)) {
            r.fail("the scope lists " + inScope.size() + " tasks, the round forked " + byTask.size());
        }
        // a task born CANCELLED (forked into a cancelled scope) has a thread that is never started
        if (!threads.awaitAllEnded() || threads.made() != inScope.size()) {
            r.fail("tasks " + inScope.size() + ", threads made " + threads.made() + ", started " + threads.began()
                    + ", ran to their end " + threads.ended() + ", alive " + threads.alive());
        }
        if (!r.violations.isEmpty()) {
            throw new AssertionError(r.violations.size() + " violation(s), ending " + ending + ":\n  "
                    + String.join("\n  ", r.violations));
        }
        return inScope.size();
    }

    private static Probe newProbe(Round r, SplittableRandom rnd, boolean mayFork) {
        Kind[] kinds = Kind.values();
        Kind kind = kinds[rnd.nextInt(mayFork ? kinds.length : kinds.length - 1)];
        return new Probe(r.nextIndex.getAndIncrement(), kind, rnd.nextInt(3_000));
    }

    /** Forks the probe's task; registers it only if fork returned (it throws if the forker is cancelled). */
    private static void fork(Round r, TaskScope<?> scope, Probe p) {
        long childSeed = r.random.nextLong();
        Task<?> t = scope.fork("t" + p.index, body(r, scope, p, childSeed));
        p.task = t;
        r.probes.add(p);
    }

    private static Callable<Object> body(Round r, TaskScope<?> scope, Probe p, long childSeed) {
        return () -> {
            p.stateAtBodyStart = Tasks.current().map(Task::state).orElse(null);
            p.bodyBegan = true;
            try {
                return switch (p.kind) {
                    case RETURN -> p.index;
                    case THROW -> throw new Boom(p.index);
                    case SPIN_THEN_RETURN -> {
                        spin(p.spins);
                        yield p.index;
                    }
                    case BLOCK_UNTIL_CANCELLED -> sleepForever();
                    case IGNORE_CANCEL -> {
                        try {
                            yield sleepForever();
                        } catch (InterruptedException cancelled) {
                            // asyncio's rule: a body that catches the request and returns ends DONE
                            Thread.currentThread().interrupt();
                            yield p.index;
                        }
                    }
                    case FORK_CHILDREN -> forkChildren(r, scope, p, childSeed);
                };
            } finally {
                p.bodyEnded = true;
            }
        };
    }

    /**
     * Forks children into the scope from a task: the forks race the scope's cancel. Fork throws
     * CancellationException once this task's own request is pending, which ends the body CANCELLED.
     */
    private static Object forkChildren(Round r, TaskScope<?> scope, Probe p, long seed) {
        var rnd = new SplittableRandom(seed);
        int children = 1 + rnd.nextInt(3);
        for (int i = 0; i < children; i++) {
            spin(rnd.nextInt(1_000));
            Probe child = newProbe(r, rnd, false);
            Task<?> t = scope.fork("t" + child.index, body(r, scope, child, rnd.nextLong()));
            child.task = t;
            r.probes.add(child);
        }
        return p.index;
    }

    /** cancel() as a user would call it, with what the caller saw before and after. */
    private static void canceller(Round r, TaskScope<?> scope, CountDownLatch go, SplittableRandom rnd, boolean cancelsScope) {
        awaitUninterruptibly(go);
        int calls = 1 + rnd.nextInt(12);
        int scopeCancelAt = cancelsScope ? rnd.nextInt(calls) : -1;
        for (int i = 0; i < calls; i++) {
            spin(rnd.nextInt(1_500));
            if (i == scopeCancelAt) {
                scope.cancel();
                continue;
            }
            List<Probe> probes = r.probes;
            Probe p = probes.get(rnd.nextInt(probes.size()));
            Task<?> t = p.task;
            Task.State before = t.state();
            boolean accepted = t.cancel();
            Task.State after = t.state();
            if (accepted) {
                p.accepted.incrementAndGet();
            }
            seen(accepted ? Seen.CANCEL_ACCEPTED : Seen.CANCEL_REFUSED);
            if (accepted && before.isTerminal()) {
                r.fail("cancel() returned true for t" + p.index + ", which was already " + before);
            }
            if (!accepted && !after.isTerminal()) {
                r.fail("cancel() returned false for t" + p.index + ", which is " + after + " after the call");
            }
        }
    }

    /** Watches every task's state while the round runs: forward only, terminal once, after the body. */
    private static void observer(Round r, CountDownLatch go) {
        awaitUninterruptibly(go);
        IdentityHashMap<Probe, Task.State> last = new IdentityHashMap<>();
        while (true) {
            boolean finalSweep = r.over;
            for (Probe p : r.probes) {
                Task.State now = p.task.state();
                boolean bodyBegan = p.bodyBegan;
                boolean bodyEnded = p.bodyEnded;
                Task.State before = last.put(p, now);
                if (before != null && (before.isTerminal() ? before != now : rank(now) < rank(before))) {
                    r.fail("t" + p.index + " went from " + before + " to " + now);
                }
                if (now.isTerminal() && bodyBegan && !bodyEnded) {
                    r.fail("t" + p.index + " was " + now + " while its body still ran");
                }
            }
            if (finalSweep) {
                return;
            }
            yieldCarrier();
        }
    }

    /** PENDING, then RUNNING, then a terminal state: the only direction a task moves. */
    private static int rank(Task.State s) {
        return switch (s) {
            case PENDING -> 0;
            case RUNNING -> 1;
            case DONE, CANCELLED -> 2;
        };
    }

    private static void snapshotTerminal(Round r) {
        for (Probe p : r.probes) {
            p.terminalBeforeScopeCancel = p.task.isDone();
        }
    }

    private static void check(Round r, Probe p, boolean cancelledBeforeClose, boolean listed) {
        Task<?> t = p.task;
        Task.State s = t.state();
        int requests = t.cancelRequests();
        int accepted = p.accepted.get();
        String name = "t" + p.index + " (" + p.kind + ", " + t + ", requests " + requests + ", accepted " + accepted + ")";
        if (!s.isTerminal()) {
            r.fail(name + " is not terminal after close");
        }
        if (listed) {
            r.fail(name + " is still listed by Tasks.all() after close");
        }
        if (p.bodyBegan && p.stateAtBodyStart != Task.State.RUNNING) {
            r.fail(name + " began its body while " + p.stateAtBodyStart);
        }
        if (p.bodyBegan && !p.bodyEnded) {
            r.fail(name + " body never returned");
        }
        if (requests < accepted || requests > accepted + 1) {
            r.fail(name + ": requests must be the accepted cancel() calls plus at most the scope's one");
        }
        if (requests > accepted && p.terminalBeforeScopeCancel && !cancelledBeforeClose) {
            r.fail(name + " was terminal before the scope was cancelled, yet the scope's cancel counted on it");
        }
        if (s == Task.State.CANCELLED && requests == 0) {
            r.fail(name + " is CANCELLED without a request");
        }
        if (s == Task.State.DONE && t.cancelIgnored() != (requests > 0)) {
            r.fail(name + " cancelIgnored() disagrees with its requests");
        }
        checkOutcome(r, p, s, name);
    }

    /** No result lost: what each kind of body must have left. */
    private static void checkOutcome(Round r, Probe p, Task.State s, String name) {
        Task<?> t = p.task;
        seen(s == Task.State.CANCELLED ? (p.bodyBegan ? Seen.CANCELLED_IN_BODY : Seen.CANCELLED_BEFORE_BODY)
                : (t.cancelRequests() > 0 ? Seen.DONE_IGNORING_CANCEL : Seen.DONE));
        if (s == Task.State.CANCELLED) {
            boolean interruptible = p.kind == Kind.BLOCK_UNTIL_CANCELLED || p.kind == Kind.FORK_CHILDREN;
            if (p.bodyBegan && !interruptible) {
                r.fail(name + " is CANCELLED although its body ran and did not end by the interrupt");
            }
            return;
        }
        if (!p.bodyBegan) {
            r.fail(name + " is DONE but its body never ran");
            return;
        }
        switch (p.kind) {
            case THROW -> {
                if (!(t.exceptionNow() instanceof Boom b) || b.index != p.index) {
                    r.fail(name + " lost its exception: " + t.exceptionNow());
                }
            }
            case BLOCK_UNTIL_CANCELLED -> r.fail(name + " is DONE although its body can only end by a cancel");
            case IGNORE_CANCEL -> {
                if (!Integer.valueOf(p.index).equals(t.resultNow()) || t.cancelRequests() == 0) {
                    r.fail(name + " lost its result or its ignored request");
                }
            }
            default -> {
                if (!Integer.valueOf(p.index).equals(t.resultNow())) {
                    r.fail(name + " lost its result: " + t.resultNow());
                }
            }
        }
    }

    /** The observer is a virtual thread: let the round's threads have the carrier between sweeps. */
    @SuppressWarnings("ThreadPriorityCheck")
    private static void yieldCarrier() {
        Thread.yield();
    }

    private static void spin(int n) {
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
    }
}
