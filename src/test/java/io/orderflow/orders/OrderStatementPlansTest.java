package io.orderflow.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.orderflow.testing.GenericPlans;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** The orders handlers' batch statements run in the batch transaction, on generic plans (see PipelinedTransaction). */
@QuarkusTest
class OrderStatementPlansTest {

    @Inject
    Pool pool;

    @Test
    void batchStatementsOfOrdersFindTheirRowsByKeyOnGenericPlansMadeOnEmptyTables() {
        assertEquals(List.of(), GenericPlans.notByKey(pool, List.of(
                new GenericPlans.Statement(OrderService.CREATE_ALL,
                        "array[gen_random_uuid()], array['c'], array[1], array['EUR'], array[now()], 'CREATED'"),
                new GenericPlans.Statement(OrderService.UNKNOWN_OF, "array[gen_random_uuid()]"),
                new GenericPlans.Statement(OrderService.SHIP_ALL, "array[gen_random_uuid()], array[now()], 'SHIPPED'"))));
    }

    /** The old forms, joins to the batch's ids: the check must catch a whole-table plan, or it proves nothing. */
    @Test
    void joinOfTheBatchToAllOrdersIsCaughtOnAnEmptyTable() {
        List<String> offending = GenericPlans.notByKey(pool, List.of(
                new GenericPlans.Statement("select id from unnest($1::uuid[]) as v (id) where not exists "
                        + "(select 1 from orders o where o.id = v.id)", "array[gen_random_uuid()]")));

        assertEquals(1, offending.size(), "the join's plan should scan all orders: " + offending);
    }
}
