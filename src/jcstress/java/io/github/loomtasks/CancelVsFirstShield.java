package io.github.loomtasks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.loomtasks.internal.InterruptGate;
import java.util.Objects;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * cancel() against the body opening its first shield. A task's thread has no interrupt gate until
 * its body opens a shield or a deadline; a canceller interrupts a thread without one under a mark
 * kept in the task, and the body cannot make its gate while the mark is held. So an interrupt
 * lands before the shield opens, or the shield holds the request back: never after the shield
 * opened. The body opens the shield and never closes it (closing would deliver the held request);
 * it records whether its thread was interrupted just after the open, the arbiter whether it was
 * at the end. The thread is the unstarted thread object of {@link Driven}, whose interrupt status
 * is only a flag.
 */
@JCStressTest
@Description("cancel against the first shield: an interrupt lands before the shield opens, or is held back; never inside")
@Outcome(id = "cancel=true, ran=false, atOpen=-, atEnd=false", expect = ACCEPTABLE,
        desc = "cancelled before the start: the body never ran")
@Outcome(id = "cancel=true, ran=true, atOpen=true, atEnd=true", expect = ACCEPTABLE,
        desc = "the interrupt landed before the body made its gate and opened the shield")
@Outcome(id = "cancel=true, ran=true, atOpen=false, atEnd=false", expect = ACCEPTABLE,
        desc = "the shield was open: the request is held back until it closes")
@Outcome(id = "cancel=false, ran=true, atOpen=false, atEnd=false", expect = ACCEPTABLE,
        desc = "the task had ended: cancel() refused, nothing interrupted")
@Outcome(id = ".*, atOpen=false, atEnd=true", expect = FORBIDDEN,
        desc = "an interrupt landed inside the shield")
@Outcome(expect = FORBIDDEN, desc = "breaks the contract")
@State
public class CancelVsFirstShield {
    private final TaskScope<?> scope = Driven.openScope();
    private final ForkedTask<Void> task = Driven.fork(scope, "task", this::body);
    private final Thread thread = Objects.requireNonNull(task.thread());
    private boolean ran;
    private boolean interruptedAtOpen;
    private boolean accepted;

    private Void body() {
        ran = true;
        InterruptGate gate = Objects.requireNonNull(task.gate(), "the running task has its thread");
        gate.open();
        interruptedAtOpen = thread.isInterrupted();
        return null;
    }

    @Actor
    public void taskThread() {
        Driven.runThreadSide(task);
    }

    @Actor
    public void canceller() {
        accepted = task.cancel();
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = "cancel=" + accepted + ", ran=" + ran + ", atOpen=" + (ran ? String.valueOf(interruptedAtOpen) : "-")
                + ", atEnd=" + thread.isInterrupted();
        Driven.close(scope);
    }
}
