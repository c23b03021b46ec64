package io.orderflow.deadletter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The dead-letter review API; admins only. */
@Path("/admin/dead-letters")
@RolesAllowed("admin")
@SameSiteOnly
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private static final int MAX_PAGE_SIZE = 200;

    private final DeadLetterService service;
    private final SecurityIdentity identity;

    public DeadLetterResource(DeadLetterService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @GET
    public Uni<DeadLetterViews.Page<DeadLetterViews.Summary>> list(@QueryParam("consumer") String consumer,
            @QueryParam("type") String type, @QueryParam("reason") String reason, @QueryParam("status") String status,
            @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("20") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new BadRequestException("page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
        }
        DeadLetterQuery query = new DeadLetterQuery(blankToNull(consumer), blankToNull(type), blankToNull(reason),
                status(status), instant("since", since), instant("until", until));
        return service.list(query, page, size);
    }

    @GET
    @Path("/groups")
    public Uni<List<DeadLetterViews.Group>> groups() {
        return service.groups();
    }

    @GET
    @Path("/{id}")
    public Uni<DeadLetterViews.Detail> get(@PathParam("id") long id) {
        return service.detail(id);
    }

    @POST
    @Path("/{id}/replay")
    public Uni<DeadLetterViews.Summary> replay(@PathParam("id") long id) {
        return service.replay(id, actor());
    }

    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DeadLetterViews.ReplayResult> replayAll(DeadLetterViews.ReplayRequest request) {
        return service.replayAll(request, actor());
    }

    @POST
    @Path("/{id}/edit-and-replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DeadLetterViews.Summary> editAndReplay(@PathParam("id") long id, DeadLetterViews.EditRequest request) {
        return service.editAndReplay(id, request == null ? null : request.body(), actor());
    }

    @POST
    @Path("/{id}/discard")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<DeadLetterViews.Summary> discard(@PathParam("id") long id, DeadLetterViews.DiscardRequest request) {
        return service.discard(id, request == null ? null : request.reason(), actor());
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static DeadLetterStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return DeadLetterStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("status must be one of pending, replayed, discarded");
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
