package io.orderflow.deadletter;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One audited action on a dead letter: who did what, when, and why. */
@Entity
@Table(name = "dead_letter_actions")
public class DeadLetterAction extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "dead_letter_id", nullable = false)
    public Long deadLetterId;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public Instant at;

    public String detail;

    static DeadLetterAction of(Long deadLetterId, String action, String actor, Instant at, String detail) {
        DeadLetterAction entry = new DeadLetterAction();
        entry.deadLetterId = deadLetterId;
        entry.action = action;
        entry.actor = actor;
        entry.at = at;
        entry.detail = detail;
        return entry;
    }
}
