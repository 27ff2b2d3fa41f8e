package io.freehold.examples.common;

/**
 * The command line is wrong: an unknown option, a missing or bad value, an unexpected argument. The
 * message says which; the app prints it with its usage and exits 2.
 */
public final class UsageException extends IllegalArgumentException {

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
