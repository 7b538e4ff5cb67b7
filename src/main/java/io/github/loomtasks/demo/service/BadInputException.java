package io.github.loomtasks.demo.service;

/**
 * Input that cannot be used, from a command line (exit status 2) or a query string (400). The
 * message says what is wrong and what would be right.
 */
final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String message;

    BadInputException(String message) {
        super(message);
        this.message = message;
    }

    /** {@return what is wrong; never null, unlike {@link Throwable#getMessage()}} */
    @Override
    public String getMessage() {
        return message;
    }
}
