package io.orderflow.messaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.vertx.pgclient.PgException;

class BatchExpectationTest {

    private final BatchExpectation expectation = new BatchExpectation();

    @Test
    void aConsumerWithoutHistoryTriesTheExpectedWay() {
        assertTrue(expectation.worthTrying("shipping"));
    }

    @Test
    void aConsumerWhoseBatchesKeepMissingTakesTheCarefulWayUntilItsBatchesWouldHoldAgain() {
        for (int i = 0; i < 3; i++) {
            expectation.record("orders", false);
        }
        assertFalse(expectation.worthTrying("orders"));
        assertTrue(expectation.worthTrying("shipping"), "each consumer keeps its own score");

        for (int i = 0; i < 3; i++) {
            expectation.record("orders", true);
        }

        assertTrue(expectation.worthTrying("orders"));
    }

    @Test
    void aMissOneBatchInTenKeepsTheExpectedWay() {
        for (int i = 0; i < 100; i++) {
            expectation.record("shipping", i % 10 != 0);
        }
        assertTrue(expectation.worthTrying("shipping"));
    }

    @Test
    void onlyTheExpectationsOwnSqlStateIsAMiss() {
        assertTrue(BatchExpectation.missed(new PgException("expectation missed", "ERROR", BatchExpectation.MISSED, null)));
        assertFalse(BatchExpectation.missed(new PgException("injected", "ERROR", "P0001", null)));
        assertFalse(BatchExpectation.missed(new IllegalStateException("not from Postgres")));
    }
}
