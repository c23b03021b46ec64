package io.orderflow.deadletter;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The dead-letter review page, server-rendered: pending groups and letters, one letter, replay and discard; admins only. */
@Path("/admin/dead-letters/ui")
@RolesAllowed("admin")
@Produces(MediaType.TEXT_HTML)
public class DeadLetterPage {

    private static final Logger LOG = Logger.getLogger(DeadLetterPage.class);
    private static final int LIST_SIZE = 50;
    private static final String HTML = MediaType.TEXT_HTML + ";charset=UTF-8";
    // Defence in depth beside Qute's escaping: no script runs, no framing (clickjacking), forms post here only.
    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final DeadLetterService service;
    private final SecurityIdentity identity;

    public DeadLetterPage(DeadLetterService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String root, List<GroupLink> groups,
                DeadLetterViews.Page<DeadLetterViews.Summary> pending, boolean filtered, String notice);

        static native TemplateInstance detail(String root, DeadLetterViews.Detail letter, boolean pending);

        static native TemplateInstance failure(String root, int status, String message, long id);
    }

    /** A pending group and the link that lists only its letters. */
    @RegisterForReflection
    public record GroupLink(DeadLetterViews.Group group, String href) {
    }

    @GET
    public Uni<Response> list(@QueryParam("consumer") String consumer, @QueryParam("reason") String reason,
            @QueryParam("type") String type, @QueryParam("done") String done, @QueryParam("id") Long id,
            @Context UriInfo uri) {
        String root = root(uri);
        DeadLetterQuery query = new DeadLetterQuery(blankToNull(consumer), "unknown".equals(type) ? null : blankToNull(type),
                blankToNull(reason), DeadLetterStatus.PENDING, null, null);
        boolean filtered = query.consumer() != null || query.eventType() != null || query.reason() != null;
        return service.groups()
                .flatMap(groups -> service.list(query, 0, LIST_SIZE)
                        .map(pending -> Templates.list(root, links(root, groups), pending, filtered, notice(done, id))))
                .flatMap(page -> html(Response.Status.OK.getStatusCode(), page));
    }

    @GET
    @Path("/{id}")
    public Uni<Response> detail(@PathParam("id") long id, @Context UriInfo uri) {
        String root = root(uri);
        return service.detail(id)
                .map(letter -> Templates.detail(root, letter, letter.summary().status() == DeadLetterStatus.PENDING))
                .flatMap(page -> html(Response.Status.OK.getStatusCode(), page))
                .onFailure().recoverWithUni(e -> failure(root, e, id));
    }

    @POST
    @Path("/{id}/replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> replay(@PathParam("id") long id, @HeaderParam("Origin") String origin,
            @HeaderParam("Referer") String referer, @Context UriInfo uri) {
        return act(id, origin, referer, uri, "replayed", () -> service.replay(id, actor()));
    }

    @POST
    @Path("/{id}/discard")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> discard(@PathParam("id") long id, @FormParam("reason") String reason,
            @HeaderParam("Origin") String origin, @HeaderParam("Referer") String referer, @Context UriInfo uri) {
        return act(id, origin, referer, uri, "discarded", () -> service.discard(id, reason, actor()));
    }

    /** Runs a form's action, then redirects (303) to the list, which says what was done. */
    private Uni<Response> act(long id, String origin, String referer, UriInfo uri, String done,
            Supplier<Uni<DeadLetterViews.Summary>> action) {
        String root = root(uri);
        if (!SameOrigin.matches(origin, referer, uri.getBaseUri())) {
            return html(Response.Status.FORBIDDEN.getStatusCode(), Templates.failure(root, 403,
                    "this form must be sent from the review page itself (Origin or Referer of another site, or none)", id));
        }
        return action.get()
                .map(settled -> Response.seeOther(uri.getBaseUriBuilder().path(DeadLetterPage.class)
                        .queryParam("done", done).queryParam("id", id).build()).build())
                .onFailure().recoverWithUni(e -> failure(root, e, id));
    }

    /** The client's mistakes (not pending any more, unknown, no reason) read as such; our faults are logged. */
    private Uni<Response> failure(String root, Throwable e, long id) {
        if (e instanceof ClientErrorException client) {
            int status = client.getResponse().getStatus();
            return html(status, Templates.failure(root, status, client.getMessage(), id));
        }
        LOG.errorf(e, "Dead-letter page action on %d failed", id);
        return html(500, Templates.failure(root, 500,
                "it failed on our side and has been logged; check the letter's status before trying again", id));
    }

    private static Uni<Response> html(int status, TemplateInstance page) {
        return page.createUni().map(text -> Response.status(status).type(HTML).entity(text)
                .header("Content-Security-Policy", POLICY)
                .header("Cache-Control", "no-store")
                .build());
    }

    private static List<GroupLink> links(String root, List<DeadLetterViews.Group> groups) {
        return groups.stream()
                .map(group -> new GroupLink(group, root + "?consumer=" + encode(group.consumer()) + "&reason="
                        + encode(group.reason()) + "&type=" + encode(group.eventType())))
                .toList();
    }

    private static String notice(String done, Long id) {
        if (id == null || !("replayed".equals(done) || "discarded".equals(done))) {
            return null;
        }
        return "Dead letter " + id + " was " + done + ("replayed".equals(done) ? " to its queue." : ".");
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static String root(UriInfo uri) {
        return uri.getBaseUriBuilder().path(DeadLetterPage.class).build().getRawPath();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
