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
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The owner's decision to park in join() or close() against the end of the scope's last task. The
 * owner announces that it waits, then reads the counts ({@code TaskScope.ownerMustWait}); the end
 * counts itself, then reads the announcement ({@code TaskScope.countEnded}, whose true makes
 * {@code taskEnded} unpark the owner). The two counts and the newest task live on cache lines of
 * their own, and the end reads the newest task only when someone waits: whichever side comes
 * second must still see the other, or the owner parks with nobody left to wake it. The task's end
 * is its count alone here (the lifecycle around it is covered by the tests above); outcome: whether
 * the end must wake the owner, whether the owner must wait.
 */
@JCStressTest
@Description("owner about to wait against the last task's end: no lost wake-up")
@Outcome(id = "false, false", expect = ACCEPTABLE,
        desc = "the end was counted before the owner looked: it does not wait, and nobody wakes it")
@Outcome(id = "true, true", expect = ACCEPTABLE,
        desc = "the owner looked first and waits; the end saw it waiting and wakes it")
@Outcome(id = "true, false", expect = ACCEPTABLE_INTERESTING,
        desc = "each saw the other: the owner does not wait, and the end's wake-up is a spare permit")
@Outcome(id = "false, true", expect = FORBIDDEN,
        desc = "lost wake-up: the owner waits for a task that has ended, and the end did not see it waiting")
@State
public class OwnerWaitVsLastEnd {
    private final TaskScope<?> scope = Driven.openScope();
    private final ForkedTask<Integer> task = Driven.fork(scope, "task", () -> 42);

    @Actor
    public void lastEnd(ZZ_Result r) {
        r.r1 = scope.countEnded();
    }

    @Actor
    public void owner(ZZ_Result r) {
        r.r2 = scope.ownerMustWait();
    }

    @Arbiter
    public void arbiter() {
        Driven.close(scope); // unfinished is zero: the close does not wait
    }
}
