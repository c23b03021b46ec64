package io.orderflow.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.orderflow.events.Rfc3339Millis;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What the dead-letter API shows and accepts; entities never leave through it. */
public final class DeadLetterViews {

    private DeadLetterViews() {
    }

    /** One dead letter in a list. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Summary(long id, String consumer, String eventType, String messageId, String reason, String error,
            int retries, DeadLetterStatus status,
            @JsonSerialize(using = Rfc3339Millis.class) Instant firstFailureAt,
            @JsonSerialize(using = Rfc3339Millis.class) Instant lastFailureAt) {

        static Summary of(DeadLetter letter) {
            return new Summary(letter.id, letter.consumer, letter.eventType, letter.messageId, letter.reason, letter.error,
                    letter.retries, letter.status, letter.firstFailureAt, letter.lastFailureAt);
        }
    }

    /** One dead letter with its message, headers and history. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Detail(Summary summary, String originalQueue, String exception, String contentType,
            Map<String, String> headers, String body, String bodyEncoding,
            @JsonSerialize(using = Rfc3339Millis.class) Instant receivedAt, List<Action> history,
            List<Summary> sameMessage) {
    }

    /** An audited action. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Action(String action, String actor, @JsonSerialize(using = Rfc3339Millis.class) Instant at, String detail) {
        static Action of(DeadLetterAction action) {
            return new Action(action.action, action.actor, action.at, action.detail);
        }
    }

    /** Pending dead letters that share a reason, type and consumer. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Group(String consumer, String reason, String eventType, long count,
            @JsonSerialize(using = Rfc3339Millis.class) Instant oldest) {
    }

    /** A page of results. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    /** Which dead letters to replay: explicit ids, or every pending one of a group. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ReplayRequest(List<Long> ids, String consumer, String reason, String eventType) {
    }

    /** What a bulk replay did. */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ReplayResult(List<Long> replayed, List<Long> skipped) {
    }

    /** Why a dead letter is dropped; kept in the audit. */
    @RegisterForReflection
    public record DiscardRequest(String reason) {
    }

    /** The corrected message body to replay instead of the original. */
    @RegisterForReflection
    public record EditRequest(String body) {
    }

    /** The body as text when it is UTF-8, else base64, with the encoding named. */
    static String[] printable(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            return new String[] { text, "utf-8" };
        } catch (CharacterCodingException e) {
            return new String[] { Base64.getEncoder().encodeToString(body), "base64" };
        }
    }
}
