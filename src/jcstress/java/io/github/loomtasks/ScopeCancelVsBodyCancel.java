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
 * The scope's cancel against a cancel that the task's body makes of its own task with another
 * reason (so it certainly lands while the task is RUNNING), racing the start and the completion;
 * the body ignores both requests and returns. The scope counts its request with a flag that says
 * "the reason is the scope's", the body's cancel() installs its reason and then counts. The task
 * must report the first counted request's reason. Outcome: the body's cancel() (- if the body never
 * ran), the final state and request count, the reason reported.
 */
@JCStressTest
@Description("scope cancel against the body's own cancel: the reason kept is the first counted request's")
@Outcome(id = "body=-, CANCELLED/1, reason=scope", expect = ACCEPTABLE,
        desc = "the scope's cancel came before the start: the body never ran")
@Outcome(id = "body=true, DONE/1, reason=body", expect = ACCEPTABLE,
        desc = "the scope's cancel came after the end: refused")
@Outcome(id = "body=true, DONE/2, reason=body", expect = ACCEPTABLE,
        desc = "both landed while the body ran, the body's first")
@Outcome(id = "body=true, DONE/2, reason=scope", expect = ACCEPTABLE_INTERESTING,
        desc = "both landed while the body ran, the scope's first (possibly while the body's reason was installed, not yet counted)")
@Outcome(expect = FORBIDDEN, desc = "a reason that does not match the requests counted, or a lost request")
@State
public class ScopeCancelVsBodyCancel {
    private static final CancelReason SCOPE = CancelReason.requested("scope");
    private static final CancelReason BODY = CancelReason.requested("body");

    private final TaskScope<?> scope = Driven.openScope();
    private String bodyCancel = "-";
    private final ForkedTask<Integer> task = Driven.fork(scope, "task", this::body);

    private Integer body() {
        bodyCancel = String.valueOf(task.cancel(BODY));
        return 42;
    }

    @Actor
    public void taskThread() {
        Driven.runThreadSide(task);
    }

    @Actor
    public void scopeCanceller() {
        scope.cancel(SCOPE);
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = "body=" + bodyCancel + ", " + Outcomes.state(task) + ", reason=" + Outcomes.reason(task);
        Driven.close(scope);
    }
}
