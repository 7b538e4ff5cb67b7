package io.github.loomtasks.demo.service;

/**
 * Sees each request start and end: the access log, and the tests' window on the service. Called on
 * the request's handler thread (or the stop's); must not block.
 */
interface RequestListener {
    /** The request was accepted; its scope opens next. */
    default void started(RequestContext request) {}

    /** The request's outcome, just before its answer is written. */
    default void finished(RequestOutcome outcome) {}
}
