package io.github.loomtasks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * cancel() against the task's completion, with a body that honours a request it sees (as a body
 * that gets the interrupt does: it throws InterruptedException). The canceller first reads
 * whether the task is already terminal: terminal is permanent, so if it saw DONE or CANCELLED its
 * cancel() must return false. Outcome: what the canceller saw, cancel()'s result, the final state,
 * whether the body ran, the request count, the result.
 */
@JCStressTest
@Description("cancel against completion: cancel() is true only for a task that was not terminal, no result lost")
@Outcome(id = "saw=live, cancel=true, CANCELLED, ran=false, requests=1, result=-", expect = ACCEPTABLE,
        desc = "cancelled before the start: the body never ran")
@Outcome(id = "saw=live, cancel=true, CANCELLED, ran=true, requests=1, result=-", expect = ACCEPTABLE,
        desc = "cancelled while running: the body saw the request and threw InterruptedException")
@Outcome(id = "saw=live, cancel=true, DONE, ran=true, requests=1, result=42", expect = ACCEPTABLE_INTERESTING,
        desc = "the request came after the body's last look, before the thread left it: DONE, value kept, request kept")
@Outcome(id = "saw=(live|terminal), cancel=false, DONE, ran=true, requests=0, result=42", expect = ACCEPTABLE,
        desc = "the task completed before cancel(): refused, nothing recorded")
@Outcome(id = "saw=terminal, cancel=true, .*", expect = FORBIDDEN,
        desc = "cancel() returned true for a task that was already terminal")
@Outcome(expect = FORBIDDEN, desc = "breaks the contract: two winners, a body after a winning cancel, a lost result or request")
@State
public class CancelVsCompletion {
    private final TaskScope<?> scope = Driven.openScope();
    private boolean ran;
    private final ForkedTask<Integer> task = Driven.fork(scope, "task", this::body);
    private boolean sawTerminal;
    private boolean accepted;

    private Integer body() throws InterruptedException {
        ran = true;
        if (task.cancelRequests() > 0) {
            throw new InterruptedException("saw the cancel request");
        }
        return 42;
    }

    @Actor
    public void taskThread() {
        Driven.runThreadSide(task);
    }

    @Actor
    public void canceller() {
        sawTerminal = task.isDone();
        accepted = task.cancel();
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = "saw=" + (sawTerminal ? "terminal" : "live") + ", cancel=" + accepted + ", " + task.state()
                + ", ran=" + ran + ", requests=" + task.cancelRequests() + ", result=" + Outcomes.result(task);
        Driven.close(scope);
    }
}
