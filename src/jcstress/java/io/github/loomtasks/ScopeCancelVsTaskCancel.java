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
 * The scope's cancel against a cancel of its task with another reason, before the task started;
 * the arbiter then lets the task's thread run. The scope's request keeps its reason as a flag of
 * the task's state word, in the same CAS that counts it; the task's cancel() installs its reason
 * first, then counts. Exactly one of them wins the PENDING -> CANCELLED CAS, and the task must
 * report the winner's reason, never the refused call's. Outcome: the task's cancel(), the final
 * state and request count, whether the body ran, the reason reported.
 */
@JCStressTest
@Description("scope cancel against task cancel before the start: the winner's reason kept, never the refused one's")
@Outcome(id = "task=true, CANCELLED/1, ran=false, reason=task", expect = ACCEPTABLE, desc = "the task's cancel won")
@Outcome(id = "task=false, CANCELLED/1, ran=false, reason=scope", expect = ACCEPTABLE, desc = "the scope's cancel won")
@Outcome(expect = FORBIDDEN, desc = "the refused call's reason kept, a lost or extra request, or a body that ran")
@State
public class ScopeCancelVsTaskCancel {
    private static final CancelReason SCOPE = CancelReason.requested("scope");
    private static final CancelReason TASK = CancelReason.requested("task");

    private final TaskScope<?> scope = Driven.openScope();
    private boolean ran;
    private final ForkedTask<Integer> task = Driven.fork(scope, "task", () -> {
        ran = true;
        return 42;
    });
    private boolean taskAccepted;

    @Actor
    public void scopeCanceller() {
        scope.cancel(SCOPE);
    }

    @Actor
    public void taskCanceller() {
        taskAccepted = task.cancel(TASK);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        Driven.runThreadSide(task);
        r.r1 = "task=" + taskAccepted + ", " + Outcomes.state(task) + ", ran=" + ran
                + ", reason=" + Outcomes.reason(task);
        Driven.close(scope);
    }
}
