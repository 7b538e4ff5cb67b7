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
 * Two cancels of a running task, one of them from inside the body (so it certainly lands while the
 * task is RUNNING), the other racing the task's start and completion. Every accepted request is
 * counted once: the request count equals the number of cancel() calls that returned true. The
 * body ignores the requests and returns. Outcome: the body's cancel() (- if the body never ran),
 * the other cancel(), the final state and request count, the result.
 */
@JCStressTest
@Description("concurrent cancels: each accepted request counted once, none accepted after the end")
@Outcome(id = "body=-, other=true, CANCELLED/1, result=-", expect = ACCEPTABLE,
        desc = "the other cancel won against the start: the body never ran")
@Outcome(id = "body=true, other=true, DONE/2, result=42", expect = ACCEPTABLE_INTERESTING,
        desc = "both requests landed while the body ran; both counted; the body ignored them and returned")
@Outcome(id = "body=true, other=false, DONE/1, result=42", expect = ACCEPTABLE,
        desc = "the other cancel came after completion and was refused")
@Outcome(expect = FORBIDDEN, desc = "a lost or extra request, a refused cancel of a running task, a body after a winning cancel")
@State
public class ConcurrentCancels {
    private final TaskScope<?> scope = Driven.openScope();
    private String bodyCancel = "-";
    private final ForkedTask<Integer> task = Driven.fork(scope, "task", this::body);
    private boolean other;

    private Integer body() {
        bodyCancel = String.valueOf(task.cancel());
        return 42;
    }

    @Actor
    public void taskThread() {
        Driven.runThreadSide(task);
    }

    @Actor
    public void canceller() {
        other = task.cancel();
    }

    @Arbiter
    public void arbiter(L_Result r) {
        r.r1 = "body=" + bodyCancel + ", other=" + other + ", " + Outcomes.state(task) + ", result=" + Outcomes.result(task);
        Driven.close(scope);
    }
}
