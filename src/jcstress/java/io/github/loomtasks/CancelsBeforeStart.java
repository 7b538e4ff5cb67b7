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
 * Two cancels, with different reasons, of a task that has not started; the arbiter then lets the
 * task's thread run, as it would once started. Exactly one cancel wins the PENDING -> CANCELLED
 * CAS; the other sees a terminal task and returns false; the body never runs. Also records whose
 * reason the task keeps: the reason is installed before the CAS that counts its request (so that
 * a counted request always has a reason), so the loser of a close race can leave its reason.
 */
@JCStressTest
@Description("concurrent cancels before the start: exactly one accepted, the body never runs")
@Outcome(id = "a=true, b=false, CANCELLED/1, ran=false, reason=a", expect = ACCEPTABLE, desc = "a won")
@Outcome(id = "a=false, b=true, CANCELLED/1, ran=false, reason=b", expect = ACCEPTABLE, desc = "b won")
@Outcome(id = {"a=true, b=false, CANCELLED/1, ran=false, reason=b", "a=false, b=true, CANCELLED/1, ran=false, reason=a"},
        expect = ACCEPTABLE_INTERESTING,
        desc = "one winner, but the kept reason is the refused call's: both installed-or-skipped the reason before racing the CAS")
@Outcome(expect = FORBIDDEN, desc = "two winners or none, a lost or extra request, a body that ran after a winning cancel")
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
        String reason = task.cancelReason().map(CancelReason::detail).orElse("none");
        r.r1 = "a=" + a + ", b=" + b + ", " + Outcomes.state(task) + ", ran=" + ran + ", reason=" + reason;
        Driven.close(scope);
    }
}
