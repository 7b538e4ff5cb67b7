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
 * The task's thread starting (PENDING -> RUNNING, body, -> DONE) against cancel(). The body never
 * looks at the request, so a cancel that arrives while it runs is recorded and ignored.
 * Outcome: cancel()'s result, the final state, whether the body ran, the request count, the result.
 */
@JCStressTest
@Description("start against cancel: one winner, a cancelled-before-start body never runs, no result lost")
@Outcome(id = "cancel=true, CANCELLED, ran=false, requests=1, result=-", expect = ACCEPTABLE,
        desc = "cancel won the start CAS: the task is CANCELLED and its body never ran")
@Outcome(id = "cancel=true, DONE, ran=true, requests=1, result=42", expect = ACCEPTABLE_INTERESTING,
        desc = "cancel came while the body ran; the body ignored it and returned: DONE with its value, request kept")
@Outcome(id = "cancel=false, DONE, ran=true, requests=0, result=42", expect = ACCEPTABLE,
        desc = "the task completed first: cancel() refused and recorded nothing")
@Outcome(expect = FORBIDDEN, desc = "breaks the contract: two winners, a body after a winning cancel, a lost result or request")
@State
public class StartVsCancel {
    private final TaskScope<?> scope = Driven.openScope();
    private boolean ran;
    private final ForkedTask<Integer> task = Driven.fork(scope, "task", () -> {
        ran = true;
        return 42;
    });
    private boolean accepted;

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
        r.r1 = "cancel=" + accepted + ", " + task.state() + ", ran=" + ran + ", requests=" + task.cancelRequests()
                + ", result=" + Outcomes.result(task);
        Driven.close(scope);
    }
}
