package io.orderflow.deadletter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

/** The review page's CSRF check: only posts from a page of the application's own origin pass. */
class SameOriginTest {

    private static final URI SELF = URI.create("http://localhost:8080/");

    @Test
    void originOfTheApplicationItselfPasses() {
        assertTrue(SameOrigin.matches("http://localhost:8080", null, SELF));
        assertTrue(SameOrigin.matches("HTTP://LocalHost:8080", null, SELF));
        assertTrue(SameOrigin.matches("https://review.example", null, URI.create("https://review.example:443/")));
    }

    @Test
    void refererCountsOnlyWhenTheBrowserSentNoOrigin() {
        assertTrue(SameOrigin.matches(null, "http://localhost:8080/admin/dead-letters/ui/7", SELF));
        assertFalse(SameOrigin.matches("http://attacker.example", "http://localhost:8080/admin/dead-letters/ui/7", SELF));
    }

    @Test
    void anotherSiteAPortAnOpaqueOriginOrNothingAtAllIsRefused() {
        assertFalse(SameOrigin.matches("http://attacker.example", null, SELF));
        assertFalse(SameOrigin.matches("http://localhost:9999", null, SELF));
        assertFalse(SameOrigin.matches("https://localhost:8080", null, SELF));
        assertFalse(SameOrigin.matches("null", null, SELF));
        assertFalse(SameOrigin.matches(null, null, SELF));
        assertFalse(SameOrigin.matches(" ", "", SELF));
        assertFalse(SameOrigin.matches("http://local host:8080", null, SELF));
    }
}
