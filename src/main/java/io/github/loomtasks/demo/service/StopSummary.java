package io.github.loomtasks.demo.service;

import java.util.List;

/**
 * What a graceful stop did with the requests in flight at the signal.
 *
 * @param inFlight how many were in flight when the service stopped accepting
 * @param cancelled how many were still running at the end of the drain and were cancelled
 * @param answeredStuck the ones whose backends would not stop: answered 503 by the stop itself
 */
record StopSummary(int inFlight, int cancelled, List<RequestOutcome> answeredStuck) {
    StopSummary {
        answeredStuck = List.copyOf(answeredStuck);
    }

    /** {@return one line for the log} */
    String describe() {
        int finished = inFlight - cancelled;
        String stuck = answeredStuck.isEmpty() ? ""
                : " (" + answeredStuck.size() + " of them by the stop itself: their backends did not stop)";
        return inFlight + " request(s) in flight at the signal: " + Math.max(0, finished) + " finished within the drain period, "
                + cancelled + " cancelled and answered 503" + stuck;
    }
}
