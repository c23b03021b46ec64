package io.orderflow.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.orderflow.events.RejectedEventException;
import io.orderflow.messaging.ConsumerRegistry;
import io.orderflow.messaging.EventConsumer;
import io.orderflow.messaging.EventRouter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The review of dead letters: list, group, inspect, replay (one, a selection, a group), edit and
 * replay, discard. Every action is audited with who did it. A replay publishes first and marks the
 * letter afterwards: a crash in between replays it twice, which the consumers' idempotency absorbs.
 */
@ApplicationScoped
public class DeadLetterService {

    private static final Logger LOG = Logger.getLogger(DeadLetterService.class);
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final DeadLetterRepository letters;
    private final DeadLetterPublisher publisher;
    private final ConsumerRegistry consumers;
    private final EventRouter router;
    private final ObjectMapper mapper;
    private final Clock clock;

    public DeadLetterService(DeadLetterRepository letters, DeadLetterPublisher publisher, ConsumerRegistry consumers,
            EventRouter router, ObjectMapper mapper, Clock clock) {
        this.letters = letters;
        this.publisher = publisher;
        this.consumers = consumers;
        this.router = router;
        this.mapper = mapper;
        this.clock = clock;
    }

    @WithSession
    public Uni<DeadLetterViews.Page<DeadLetterViews.Summary>> list(DeadLetterQuery query, int page, int size) {
        return letters.page(query, page, size)
                .flatMap(found -> letters.count(query)
                        .map(total -> new DeadLetterViews.Page<>(found.stream().map(DeadLetterViews.Summary::of).toList(),
                                page, size, total)));
    }

    @WithSession
    public Uni<List<DeadLetterViews.Group>> groups() {
        return letters.pendingGroups();
    }

    @WithSession
    public Uni<DeadLetterViews.Detail> detail(long id) {
        return find(id).flatMap(letter -> DeadLetterAction.<DeadLetterAction> list("deadLetterId = ?1 order by at, id", id)
                .flatMap(history -> letters.sameMessage(letter).map(same -> detail(letter, history, same))));
    }

    public Uni<DeadLetterViews.Summary> replay(long id, String actor) {
        return loadPending(id).flatMap(letter -> publishAndSettle(letter, letter.body, actor, "replay", null));
    }

    /** Replays the given ids, or every pending letter of a group; letters no longer pending are skipped. */
    public Uni<DeadLetterViews.ReplayResult> replayAll(DeadLetterViews.ReplayRequest request, String actor) {
        return ids(request).flatMap(ids -> Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> replay(id, actor)
                        .map(replayed -> new long[] { id, 1 })
                        .onFailure(ClientErrorException.class).recoverWithItem(new long[] { id, 0 }))
                .collect().asList()
                .map(DeadLetterService::result));
    }

    /** Replays a corrected body instead of the original; it must be an event the consumer can apply. */
    public Uni<DeadLetterViews.Summary> editAndReplay(long id, String body, String actor) {
        if (body == null || body.isBlank()) {
            return Uni.createFrom().failure(new BadRequestException("the edited body is missing"));
        }
        return loadPending(id).flatMap(letter -> {
            validate(letter, body);
            return publishAndSettle(letter, body.getBytes(StandardCharsets.UTF_8), actor, "edit-and-replay", body);
        });
    }

    public Uni<DeadLetterViews.Summary> discard(long id, String reason, String actor) {
        if (reason == null || reason.isBlank()) {
            return Uni.createFrom().failure(new BadRequestException("a reason is required to discard a dead letter"));
        }
        return settle(id, DeadLetterStatus.DISCARDED, "discard", actor, reason).map(DeadLetterViews.Summary::of);
    }

    private Uni<DeadLetterViews.Summary> publishAndSettle(DeadLetter letter, byte[] body, String actor, String action,
            String detail) {
        Executor requestContext = currentContext();
        return publisher.replay(letter, body, actor)
                .emitOn(requestContext)
                .flatMap(published -> settle(letter.id, DeadLetterStatus.REPLAYED, action, actor, detail))
                .invoke(replayed -> LOG.infof("Dead letter %d (%s, %s) replayed to %s by %s", replayed.id, replayed.reason,
                        replayed.eventType, replayed.originalQueue, actor))
                .map(DeadLetterViews.Summary::of);
    }

    /** Moves a pending letter to {@code status} and audits it; the row lock makes two admins' actions serialize. */
    private Uni<DeadLetter> settle(long id, DeadLetterStatus status, String action, String actor, String detail) {
        return Panache.withTransaction(() -> letters.findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> new NotFoundException("no dead letter " + id))
                .call(letter -> letter.status != DeadLetterStatus.PENDING
                        ? Uni.createFrom().failure(notPending(letter))
                        : mark(letter, status).persist()
                                .chain(() -> DeadLetterAction.of(id, action, actor, clock.instant(), detail).persist())));
    }

    private DeadLetter mark(DeadLetter letter, DeadLetterStatus status) {
        letter.status = status;
        letter.statusChangedAt = clock.instant();
        return letter;
    }

    private Uni<DeadLetter> loadPending(long id) {
        return Panache.withSession(() -> find(id))
                .invoke(letter -> {
                    if (letter.status != DeadLetterStatus.PENDING) {
                        throw notPending(letter);
                    }
                });
    }

    private Uni<DeadLetter> find(long id) {
        return letters.findById(id).onItem().ifNull().failWith(() -> new NotFoundException("no dead letter " + id));
    }

    private void validate(DeadLetter letter, String body) {
        EventConsumer consumer = consumers.named(letter.consumer)
                .orElseThrow(() -> new UnprocessableException("no consumer " + letter.consumer + " to apply it"));
        try {
            router.route(body.getBytes(StandardCharsets.UTF_8), consumer);
        } catch (RejectedEventException e) {
            throw new UnprocessableException("the edited body would be dead-lettered again: " + e.reason().code()
                    + ": " + e.getMessage());
        }
    }

    private Uni<List<Long>> ids(DeadLetterViews.ReplayRequest request) {
        if (request == null) {
            return Uni.createFrom().failure(new BadRequestException("say which dead letters to replay"));
        }
        if (request.ids() != null && !request.ids().isEmpty()) {
            return Uni.createFrom().item(request.ids());
        }
        if (request.reason() == null) {
            return Uni.createFrom().failure(new BadRequestException("give ids, or a group: reason (and consumer, event_type)"));
        }
        return Panache.withSession(() -> letters.pendingIdsInGroup(request.consumer(), request.reason(), request.eventType()));
    }

    private DeadLetterViews.Detail detail(DeadLetter letter, List<DeadLetterAction> history, List<DeadLetter> same) {
        String[] body = DeadLetterViews.printable(letter.body);
        return new DeadLetterViews.Detail(DeadLetterViews.Summary.of(letter), letter.originalQueue, letter.exception,
                letter.contentType, headers(letter), body[0], body[1], letter.receivedAt,
                history.stream().map(DeadLetterViews.Action::of).toList(),
                same.stream().map(DeadLetterViews.Summary::of).toList());
    }

    private Map<String, String> headers(DeadLetter letter) {
        try {
            return mapper.readValue(letter.headers, HEADERS);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static DeadLetterViews.ReplayResult result(List<long[]> outcomes) {
        List<Long> replayed = new ArrayList<>();
        List<Long> skipped = new ArrayList<>();
        outcomes.forEach(outcome -> (outcome[1] == 1 ? replayed : skipped).add(outcome[0]));
        return new DeadLetterViews.ReplayResult(replayed, skipped);
    }

    private static ClientErrorException notPending(DeadLetter letter) {
        return new ClientErrorException("dead letter " + letter.id + " is " + letter.status.name().toLowerCase()
                + ", not pending", Response.Status.CONFLICT);
    }

    /** The confirm arrives on the broker client's context; the next transaction must run on ours. */
    private static Executor currentContext() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : command -> context.runOnContext(ignored -> command.run());
    }
}
