package io.orderflow.testing;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.vertx.mutiny.sqlclient.Pool;

/**
 * For @QuarkusTests on the real broker: a broker connection per test and database faults that are
 * always healed after it, whatever the outcome.
 */
public abstract class BrokerTestSupport {

    @Inject
    protected Pool pool;

    protected Broker broker;

    private final List<String> heals = new ArrayList<>();

    @BeforeEach
    void connectToBroker() {
        broker = Broker.connect();
    }

    @AfterEach
    void healFaultsAndDisconnect() {
        heals.forEach(heal -> Sql.exec(pool, heal));
        heals.clear();
        broker.close();
    }

    /** See {@link Sql#failInserts}; the returned action heals the fault before the test ends. */
    protected Runnable failInserts(String table, String customerId, int failures) {
        String heal = Sql.failInserts(pool, table, customerId, failures);
        heals.add(heal);
        return () -> {
            Sql.exec(pool, heal);
            heals.remove(heal);
        };
    }
}
