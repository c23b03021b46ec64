package io.orderflow.deadletter;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Whether a form post comes from a page of this application (CSRF check of the review page). A
 * browser attaches the basic-auth credentials it cached for this host to any request to it, a form
 * another site posts here included; but it sets Origin (older ones at least Referer) on form posts,
 * and another site's page can forge neither. A post with neither, or with an opaque "null" origin,
 * is refused: scripts use the JSON API. Behind a proxy, enable Quarkus's forwarded-header support
 * so that the application's base URI is the public one.
 */
final class SameOrigin {

    private SameOrigin() {
    }

    static boolean matches(String origin, String referer, URI self) {
        String source = origin != null ? origin : referer;
        if (source == null || source.isBlank()) {
            return false;
        }
        try {
            URI from = new URI(source.trim());
            return from.getHost() != null && key(from).equals(key(self));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String key(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
