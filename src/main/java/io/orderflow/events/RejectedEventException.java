package io.orderflow.events;

/**
 * A message that retrying cannot fix: it is dead-lettered at once with its reason.
 */
public class RejectedEventException extends RuntimeException {

    private final RejectReason reason;

    public RejectedEventException(RejectReason reason, String message) {
        this(reason, message, null);
    }

    public RejectedEventException(RejectReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
