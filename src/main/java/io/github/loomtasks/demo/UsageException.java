package io.github.loomtasks.demo;

/** A command line that cannot be run: the message says what is wrong. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
