package io.orderflow.deadletter;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.orderflow.testing.Browser;
import io.orderflow.testing.Events;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The review page in headless Chromium: a pending letter is listed, replayed or discarded through its forms. */
@QuarkusTest
class DeadLetterPageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String INSERT = """
            insert into dead_letters (digest, consumer, original_queue, message_id, event_type, reason, exception, error,
                                      retries, content_type, headers, body, first_failure_at, last_failure_at)
            values ($1, 'shipping', $2, $3, $4, 'retries-exhausted', 'java.lang.IllegalStateException', $5, 5,
                    'application/json', '{"x-orderflow-reason":"retries-exhausted"}', convert_to($6, 'UTF8'),
                    now() - interval '1 minute', now())
            returning id""";

    @Inject
    Pool pool;

    @TestHTTPResource("/admin/dead-letters/ui")
    URL page;

    @Test
    void replayFromThePageSendsTheLetterBackAndItLeavesThePendingList() {
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        long id = insertPending(eventId, "OrderCreated", Events.orderCreated(eventId, orderId, "page-" + orderId));

        try (Browser browser = Browser.start()) {
            WebDriver driver = browser.driver();
            driver.get(asAdmin(page));
            driver.findElement(By.cssSelector("#letter-" + id + " a")).click();
            assertEquals("retries-exhausted", visible(driver, "reason-code"));
            assertTrue(visible(driver, "body").contains(orderId.toString()), "the body is shown");
            driver.findElement(By.id("replay")).click();

            assertEquals("Dead letter " + id + " was replayed to its queue.", visible(driver, "notice"));
            assertTrue(driver.findElements(By.id("letter-" + id)).isEmpty(), "no longer listed as pending");
        }
        assertEquals("REPLAYED", status(id));
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/shipments/{id}", orderId).then().statusCode(200));
    }

    @Test
    void discardFromThePageNeedsAReasonShowsTheBodyEscapedAndIsAudited() {
        String poison = "<script>document.title='pwned'</script><b>" + UUID.randomUUID() + "</b>";
        long id = insertPending(null, null, poison);

        try (Browser browser = Browser.start()) {
            WebDriver driver = browser.driver();
            driver.get(asAdmin(page) + "/" + id);
            assertEquals(poison, visible(driver, "body"), "markup in the body is shown as text, not run");
            assertFalse(driver.getTitle().contains("pwned"));
            driver.findElement(By.id("discard")).click();
            assertFalse(driver.findElement(By.id("discard-reason")).getDomProperty("validationMessage").isEmpty(),
                    "the browser refuses to send an empty reason");
            assertTrue(driver.getCurrentUrl().endsWith("/ui/" + id));

            driver.findElement(By.id("discard-reason")).sendKeys("test garbage, not an event");
            driver.findElement(By.id("discard")).click();
            assertEquals("Dead letter " + id + " was discarded.", visible(driver, "notice"));
            assertTrue(driver.findElements(By.id("letter-" + id)).isEmpty(), "no longer listed as pending");
        }
        assertEquals("DISCARDED", status(id));
        assertEquals("discard admin test garbage, not an event", text(
                "select action || ' ' || actor || ' ' || detail from dead_letter_actions where dead_letter_id = $1", id));
    }

    @Test
    void replayingALetterSettledMeanwhileShowsAReadableMessage() {
        long id = insertPending(null, null, "settled elsewhere " + UUID.randomUUID());

        try (Browser browser = Browser.start()) {
            WebDriver driver = browser.driver();
            driver.get(asAdmin(page) + "/" + id);
            visible(driver, "replay");
            admin().contentType("application/json").body(new DeadLetterViews.DiscardRequest("another admin was faster"))
                    .post("/admin/dead-letters/{id}/discard", id).then().statusCode(200);
            driver.findElement(By.id("replay")).click();

            assertEquals("dead letter " + id + " is discarded, not pending (HTTP 409)", visible(driver, "failure"));
            assertFalse(driver.getPageSource().contains("Exception"), "no stack trace");
        }
        assertEquals("DISCARDED", status(id));
    }

    @Test
    void pageWithoutCredentialsIs401AndWithoutTheAdminRole403() {
        given().get("/admin/dead-letters/ui").then().statusCode(401).header("WWW-Authenticate", containsString("Basic"));
        given().formParam("reason", "x").post("/admin/dead-letters/ui/1/discard").then().statusCode(401);
        given().auth().preemptive().basic("viewer", "viewer").get("/admin/dead-letters/ui").then().statusCode(403);
        admin().get("/admin/dead-letters/ui").then().statusCode(200).contentType("text/html")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
    }

    @Test
    void formPostFromAnotherSiteOrWithoutOriginIsRefusedAndChangesNothing() {
        long id = insertPending(null, null, "cross-site " + UUID.randomUUID());

        admin().header("Origin", "http://attacker.example").formParam("reason", "forged")
                .post("/admin/dead-letters/ui/{id}/discard", id).then().statusCode(403)
                .body(containsString("review page itself"));
        admin().formParam("reason", "no origin").post("/admin/dead-letters/ui/{id}/discard", id).then().statusCode(403);
        admin().header("Origin", "null").contentType("application/x-www-form-urlencoded")
                .post("/admin/dead-letters/ui/{id}/replay", id).then().statusCode(403);

        assertEquals("PENDING", status(id));
        admin().redirects().follow(false).header("Origin", origin()).formParam("reason", "same origin")
                .post("/admin/dead-letters/ui/{id}/discard", id).then().statusCode(303)
                .header("Location", containsString("/admin/dead-letters/ui?done=discarded&id=" + id));
        assertEquals("DISCARDED", status(id));
    }

    /** A dead letter of the shipping consumer, as the intake would have stored it after the retries ran out. */
    private long insertPending(UUID messageId, String eventType, String body) {
        String queue = ConfigProvider.getConfig().getValue("orderflow.messaging.queue-prefix", String.class) + ".shipping";
        Tuple values = Tuple.from(Arrays.asList(UUID.randomUUID().toString().replace("-", ""), queue,
                messageId == null ? null : messageId.toString(), eventType, "injected failure (page test)", body));
        return pool.preparedQuery(INSERT).execute(values).await().atMost(TIMEOUT).iterator().next().getLong("id");
    }

    private String status(long id) {
        return text("select status from dead_letters where id = $1", id);
    }

    private String text(String sql, long id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).await().atMost(TIMEOUT).iterator().next().getString(0);
    }

    /** Waits for the element (the page after a form post may still be loading) and returns its text. */
    private static String visible(WebDriver driver, String id) {
        return new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id(id))).getText();
    }

    /** The browser sends the URL's credentials on the 401 challenge and keeps them for the rest of the site. */
    private static String asAdmin(URL url) {
        return url.getProtocol() + "://admin:admin@" + url.getHost() + ":" + url.getPort() + url.getPath();
    }

    private String origin() {
        return page.getProtocol() + "://" + page.getHost() + ":" + page.getPort();
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin");
    }
}
