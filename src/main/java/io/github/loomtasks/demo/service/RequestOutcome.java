package io.github.loomtasks.demo.service;

import java.time.Duration;
import java.util.List;

/**
 * What became of one request: exactly one per request that the service accepted, recorded just
 * before its answer is written (so a client that has its answer can rely on it).
 *
 * @param id the service's number for the request
 * @param clientId the client's X-Request-Id, or empty
 * @param target the method and path with query
 * @param kind what happened
 * @param status the HTTP status sent; {@link Kind#CLIENT_GONE} sends 499 to nobody
 * @param detail one sentence: the reason, the failure, or the bad input
 * @param tasks the backend calls, in fork order; empty when none was made
 * @param elapsed from the start of handling to the answer
 */
record RequestOutcome(long id, String clientId, String target, Kind kind, int status, String detail,
        List<TaskView> tasks, Duration elapsed) {

    /** The ways a request ends, with their HTTP status. */
    enum Kind {
        /** Every backend answered: 200. */
        OK(200),
        /** The query or method was wrong: 400 or 405 (the status says which). */
        BAD_REQUEST(400),
        /** A backend failed; the policy cancelled the rest: 502. */
        FAILED(502),
        /** The deadline passed; the scope cancelled what was left: 504. */
        DEADLINE(504),
        /** The client went away; the scope was cancelled (nginx's 499: sent, but nobody reads it). */
        CLIENT_GONE(499),
        /** The service is stopping: cancelled by the signal, or arrived after it: 503. */
        SHUTDOWN(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    RequestOutcome {
        tasks = List.copyOf(tasks);
    }
}
