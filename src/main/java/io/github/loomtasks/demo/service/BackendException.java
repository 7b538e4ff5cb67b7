package io.github.loomtasks.demo.service;

/** A simulated backend answered with an error: the request's policy turns it into a 502. */
final class BackendException extends Exception {
    private static final long serialVersionUID = 1L;

    BackendException(String message) {
        super(message);
    }
}
