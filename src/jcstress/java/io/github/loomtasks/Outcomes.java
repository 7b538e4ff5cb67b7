package io.github.loomtasks;

/** Renders what the arbiters record. */
final class Outcomes {
    private Outcomes() {}

    /** {@return the result of a DONE task, "failed:<exception>" for a failed one, "-" otherwise} */
    static String result(ForkedTask<?> task) {
        if (task.state() != Task.State.DONE) {
            return "-";
        }
        try {
            return String.valueOf(task.resultNow());
        } catch (IllegalStateException failed) {
            return "failed:" + task.exceptionNow().getClass().getSimpleName();
        }
    }

    /** {@return "STATE/requests"} */
    static String state(ForkedTask<?> task) {
        return task.state() + "/" + task.cancelRequests();
    }

    /** {@return the detail of the task's reported reason: one of the reasons the test used, or "none"} */
    static String reason(ForkedTask<?> task) {
        return task.cancelReason().map(CancelReason::detail).orElse("none");
    }
}
