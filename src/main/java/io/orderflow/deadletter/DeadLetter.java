package io.orderflow.deadletter;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A message moved off a dead-letter queue, kept until it is replayed or discarded. */
@Entity
@Table(name = "dead_letters")
public class DeadLetter extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String digest;

    @Column(nullable = false)
    public String consumer;

    @Column(name = "original_queue", nullable = false)
    public String originalQueue;

    @Column(name = "message_id")
    public String messageId;

    @Column(name = "event_type")
    public String eventType;

    @Column(nullable = false)
    public String reason;

    public String exception;

    public String error;

    @Column(nullable = false)
    public int retries;

    @Column(name = "content_type")
    public String contentType;

    /** The message's headers as a JSON object. */
    @Column(nullable = false)
    public String headers;

    @Column(nullable = false)
    public byte[] body;

    @Column(name = "first_failure_at", nullable = false)
    public Instant firstFailureAt;

    @Column(name = "last_failure_at", nullable = false)
    public Instant lastFailureAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeadLetterStatus status;

    @Column(name = "status_changed_at")
    public Instant statusChangedAt;
}
