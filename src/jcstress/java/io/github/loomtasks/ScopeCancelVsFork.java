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
 * The scope's cancel (the first step of close(): refuse new starts, cancel every task that is not
 * terminal) against a fork from one of the scope's tasks. The parent task's body forks a child.
 * The child's thread side runs only in the arbiter, after both actors, so the child cannot finish
 * before the cancel's walk reaches it: a fork racing the cancel must throw (the forking task's own
 * request is pending), return a task born CANCELLED, or link a task that the cancel then cancels.
 * A child that fork started and that is still PENDING with no request after the cancel escaped it.
 * Outcome: parent STATE/requests, what fork did, child STATE/requests after both actors, and
 * whether the child's body ran once its thread side was let run.
 */
@JCStressTest
@Description("scope cancel against fork: no task escapes a cancelled scope")
@Outcome(id = "parent=CANCELLED/1, fork=none, child=-", expect = ACCEPTABLE,
        desc = "the scope was cancelled before the parent started: its body never ran")
@Outcome(id = "parent=CANCELLED/1, fork=threw, child=-", expect = ACCEPTABLE,
        desc = "the parent's request was pending: fork threw CancellationException and the parent ended CANCELLED")
@Outcome(id = "parent=DONE/[01], fork=born-cancelled, child=CANCELLED/1/not-run", expect = ACCEPTABLE_INTERESTING,
        desc = "fork linked the child, then saw the scope cancelled: the child was born CANCELLED and never started")
@Outcome(id = "parent=DONE/[01], fork=started, child=CANCELLED/1/not-run", expect = ACCEPTABLE,
        desc = "fork started the child before the scope was cancelled; the cancel's walk found it and cancelled it")
@Outcome(id = ".*fork=started, child=PENDING/0/.*", expect = FORBIDDEN,
        desc = "the child escaped the cancel: fork missed the cancelled scope and the cancel missed the child")
@Outcome(expect = FORBIDDEN, desc = "a lost or extra request, a child body after a winning cancel, an unexpected state")
@State
public class ScopeCancelVsFork {
    private final TaskScope<?> scope = Driven.openScope();
    private String fork = "none";
    private ForkedTask<Integer> child;
    private boolean childRan;
    private final ForkedTask<Integer> parent = Driven.fork(scope, "parent", this::parentBody);

    private Integer parentBody() {
        fork = "threw";
        ForkedTask<Integer> c = Driven.fork(scope, "child", () -> {
            childRan = true;
            return 2;
        });
        fork = Driven.started(c) ? "started" : "born-cancelled";
        child = c;
        return 1;
    }

    @Actor
    public void parentThread() {
        Driven.runThreadSide(parent);
    }

    @Actor
    public void scopeCancel() {
        scope.cancel();
    }

    @Arbiter
    public void arbiter(L_Result r) {
        ForkedTask<Integer> c = child;
        String childPart = "-";
        if (c != null) {
            childPart = Outcomes.state(c);
            Driven.runThreadSide(c);
            childPart += "/" + (childRan ? "ran" : "not-run");
        }
        r.r1 = "parent=" + Outcomes.state(parent) + ", fork=" + fork + ", child=" + childPart;
        Driven.close(scope);
    }
}
