package io.github.loomtasks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 A waiter registers two listeners against the task's completion. The end of a task writes nothing
 * into it when nobody waits; the first listener makes the waiter stack, and whichever of the two
 * sides comes second must see the other (the waiter re-reads the state after the stack is in place,
 * the end reads the stack after the state is terminal). A listener that never runs is a join that
 * never returns. Outcome: how often each listener ran, and the state each saw when it ran.
 */
@JCStressTest
@Description("two whenDone against completion: every listener runs exactly once, after the task is terminal")
@Outcome(id = "a=1/DONE, b=1/DONE", expect = ACCEPTABLE, desc = "each listener ran once, on a terminal task")
@Outcome(id = ".*=0/.*", expect = FORBIDDEN, desc = "a listener never ran: its waiter would wait forever")
@Outcome(expect = FORBIDDEN, desc = "a listener ran twice, or before the task was terminal")
@State
public class WaitVsCompletion {
    private final TaskScope<?> scope = Driven.openScope();
    private final ForkedTask<Integer> task = Driven.fork(scope, "task", () -> 42);
    private final AtomicInteger runsA = new AtomicInteger();
    private final AtomicInteger runsB = new AtomicInteger();
    private final AtomicReference<Task.State> sawA = new AtomicReference<>();
    private final AtomicReference<Task.State> sawB = new AtomicReference<>();

    @Actor
    public void taskThread() {
        Driven.runThreadSide(task);
    }

    @Actor
    public void waiter() {
        task.whenDone(() -> {
            sawA.set(task.state());
            runsA.incrementAndGet();
        });
        task.whenDone(() -> {
            sawB.set(task.state());
            runsB.incrementAndGet();
        });
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = "a=" + runsA.get() + "/" + sawA.get() + ", b=" + runsB.get() + "/" + sawB.get();
        Driven.close(scope);
    }
}
