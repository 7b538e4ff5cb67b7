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
 * The owner's decision to wait against a task that forks a child and ends. A scope counts its
 * unfinished tasks as forks (the newest task's ordinal) minus ends, two counts that the owner reads
 * one after the other. The parent's end always follows the child's fork, so the child, which only
 * the arbiter lets run, keeps the scope unfinished all along: read in the wrong order (forks, then
 * ends), the counts can say zero, and join() would return while the child still runs. Outcome:
 * whether the owner must wait, the unfinished count once both actors are done, and after the child.
 */
@JCStressTest
@Description("owner about to wait against a task that forks a child and ends: the child is always counted")
@Outcome(id = "wait=true, unfinished=1, after child=0", expect = ACCEPTABLE,
        desc = "the owner waits: the parent or the child was unfinished whenever it looked")
@Outcome(id = "wait=false.*", expect = FORBIDDEN,
        desc = "the owner saw no unfinished task while the child had not run")
@Outcome(expect = FORBIDDEN, desc = "a wrong count")
@State
public class OwnerWaitVsForkFromTask {
    private final TaskScope<?> scope = Driven.openScope();
    private ForkedTask<Integer> child;
    private final ForkedTask<Integer> parent = Driven.fork(scope, "parent", () -> {
        child = Driven.fork(scope, "child", () -> 2);
        return 1;
    });
    private boolean mustWait;

    @Actor
    public void parentThread() {
        Driven.runThreadSide(parent);
    }

    @Actor
    public void owner() {
        mustWait = scope.ownerMustWait();
    }

    @Arbiter
    public void arbiter(L_Result r) {
        int afterBoth = scope.unfinished();
        Driven.runThreadSide(child);
        r.r1 = "wait=" + mustWait + ", unfinished=" + afterBoth + ", after child=" + scope.unfinished();
        Driven.close(scope);
    }
}
