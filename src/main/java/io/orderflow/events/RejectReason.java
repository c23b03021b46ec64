package io.orderflow.events;

/** Why a message can never be applied as it is; the code travels in the dead letter's headers. */
public enum RejectReason {
    UNREADABLE("unreadable"),
    TOO_LARGE("too-large"),
    UNSUPPORTED_CONTENT_TYPE("unsupported-content-type"),
    UNKNOWN_TYPE("unknown-type"),
    UNSUPPORTED_VERSION("unsupported-version"),
    SCHEMA_VIOLATION("schema-violation"),
    INVALID_PAYLOAD("invalid-payload"),
    RETRIES_EXHAUSTED("retries-exhausted"),
    PREREQUISITE_MISSING("prerequisite-missing");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
