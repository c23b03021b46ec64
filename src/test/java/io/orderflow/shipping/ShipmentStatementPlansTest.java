package io.orderflow.shipping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.orderflow.testing.GenericPlans;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** The shipping handler's batch statement runs in the batch transaction, on generic plans (see PipelinedTransaction). */
@QuarkusTest
class ShipmentStatementPlansTest {

    @Inject
    Pool pool;

    @Test
    void batchInsertOfShipmentsFindsConflictsByKeyOnAGenericPlanMadeOnEmptyTables() {
        assertEquals(List.of(), GenericPlans.notByKey(pool, List.of(
                new GenericPlans.Statement(ShippingService.OPEN_ALL, "array[gen_random_uuid()], array['c'], 'PENDING', now()"))));
    }
}
