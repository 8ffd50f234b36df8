package org.kmsconf.app.demo;

/** A demo step did not do what the seed says; the message is one line for the user. */
public final class StepFailed extends Exception {
    private static final long serialVersionUID = 1L;

    public StepFailed(String message) {
        super(message);
    }

    /** Fails with {@code message} unless {@code condition} holds. */
    public static void check(boolean condition, String message) throws StepFailed {
        if (!condition) {
            throw new StepFailed(message);
        }
    }
}
