package io.orderflow.deadletter;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.orderflow.http.Problem;

/**
 * Refuses a browser's cross-site POST to the admin API: the browser would attach the basic-auth
 * credentials it cached for this host, so another site's form could replay or discard dead letters.
 * Browsers always send Origin on such posts; API clients (curl, scripts) send none and pass.
 */
public class CrossSitePostFilter {

    @SameSiteOnly
    @ServerRequestFilter
    public Response refuseCrossSitePosts(ContainerRequestContext request, UriInfo uri) {
        String origin = request.getHeaderString("Origin");
        if (!"POST".equals(request.getMethod()) || origin == null
                || SameOrigin.matches(origin, null, uri.getBaseUri())) {
            return null;
        }
        return Response.status(Response.Status.FORBIDDEN).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", "Forbidden", 403, "cross-site requests to the admin API are refused",
                        uri.getPath(), List.of()))
                .build();
    }
}
