package io.orderflow.orders;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The order flow against the packaged application (the jar here, the native binary with
 * {@code -Pnative} where GraalVM is installed) and the real broker and database.
 */
@QuarkusIntegrationTest
class OrderFlowIT extends OrderFlowTest {
}
