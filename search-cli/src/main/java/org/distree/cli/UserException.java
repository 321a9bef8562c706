package org.distree.cli;

/**
 * A failure the user can act on: printed as one line, with no stack trace, and the exit code
 * given ({@link Distree#EXIT_FAILURE} or {@link Distree#EXIT_USAGE}).
 */
public final class UserException extends RuntimeException {
    private final int exitCode;

    public UserException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A failure (exit code 1). */
    public static UserException failure(String message) {
        return new UserException(message, Distree.EXIT_FAILURE);
    }

    /** A usage error (exit code 2). */
    public static UserException usage(String message) {
        return new UserException(message, Distree.EXIT_USAGE);
    }

    public int exitCode() {
        return exitCode;
    }
}
