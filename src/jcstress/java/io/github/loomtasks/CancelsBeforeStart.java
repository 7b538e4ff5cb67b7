package io.github.loomtasks;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Two cancels, with different reasons, of a task that has not started; the arbiter then lets the
 * task's thread run, as it would once started. Exactly one cancel wins the PENDING -> CANCELLED
 * CAS; the other sees a terminal task and returns false; the body never runs. The task keeps the
 * winner's reason: whoever installs the first reason is the only one that may count the first
 * request (before this, the refused call's reason was kept in about 0.4% of trials).
 */
@JCStressTest
@Description("concurrent cancels before the start: exactly one accepted, with its reason kept; the body never runs")
@Outcome(id = "a=true, b=false, CANCELLED/1, ran=false, reason=a", expect = ACCEPTABLE, desc = "a won")
@Outcome(id = "a=false, b=true, CANCELLED/1, ran=false, reason=b", expect = ACCEPTABLE, desc = "b won")
@Outcome(expect = FORBIDDEN, desc = "two winners or none, a lost or extra request, a body that ran after a winning cancel,"
        + " or the refused call's reason kept")
@State
public class CancelsBeforeStart {
    private final TaskScope<?> scope = Driven.openScope();
    private boolean ran;
    private final ForkedTask<Integer> task = Driven.fork(scope, "task", () -> {
        ran = true;
        return 42;
    });
    private boolean a;
    private boolean b;

    @Actor
    public void cancelA() {
        a = task.cancel(CancelReason.requested("a"));
    }

    @Actor
    public void cancelB() {
        b = task.cancel(CancelReason.requested("b"));
    }

    @Arbiter
    public void arbiter(L_Result r) {
        Driven.runThreadSide(task);
        r.r1 = "a=" + a + ", b=" + b + ", " + Outcomes.state(task) + ", ran=" + ran + ", reason=" + Outcomes.reason(task);
        Driven.close(scope);
    }
}
