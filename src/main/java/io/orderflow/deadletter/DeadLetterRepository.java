package io.orderflow.deadletter;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/** Dead letters by filter, by group, by message. */
@ApplicationScoped
public class DeadLetterRepository implements PanacheRepositoryBase<DeadLetter, Long> {

    private static final String GROUPS = """
            select consumer, reason, coalesce(eventType, 'unknown'), count(*), min(firstFailureAt)
            from DeadLetter where status = :status
            group by consumer, reason, coalesce(eventType, 'unknown')
            order by count(*) desc""";

    public Uni<List<DeadLetter>> page(DeadLetterQuery query, int page, int size) {
        return find(query.where() + " order by lastFailureAt desc, id desc", query.parameters()).page(page, size).list();
    }

    public Uni<Long> count(DeadLetterQuery query) {
        return count(query.where(), query.parameters());
    }

    public Uni<List<DeadLetterViews.Group>> pendingGroups() {
        return getSession().flatMap(session -> session.createSelectionQuery(GROUPS, Object[].class)
                        .setParameter("status", DeadLetterStatus.PENDING)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(row -> new DeadLetterViews.Group((String) row[0], (String) row[1], (String) row[2],
                                ((Number) row[3]).longValue(), (Instant) row[4]))
                        .toList());
    }

    /** Other dead letters of the same message: earlier failures, or failures after a replay. */
    public Uni<List<DeadLetter>> sameMessage(DeadLetter letter) {
        if (letter.messageId == null) {
            return Uni.createFrom().item(List.of());
        }
        return list("messageId = :messageId and id <> :id order by id",
                Parameters.with("messageId", letter.messageId).and("id", letter.id));
    }

    public Uni<List<Long>> pendingIdsInGroup(String consumer, String reason, String eventType) {
        DeadLetterQuery query = new DeadLetterQuery(consumer, "unknown".equals(eventType) ? null : eventType, reason,
                DeadLetterStatus.PENDING, null, null);
        return find(query.where() + " order by id", query.parameters()).list()
                .map(letters -> letters.stream().map(letter -> letter.id).toList());
    }
}
