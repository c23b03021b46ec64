package io.orderflow.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the broker topology is declared and the outbox relay is getting events out.
 * (The channels and the Postgres pool have their own readiness checks.) Deliberately not a
 * liveness check: a broker outage must not get the pod killed.
 */
@Readiness
@ApplicationScoped
public class MessagingReadiness implements HealthCheck {

    private final TopologyDeclarer topology;
    private final OutboxRelay relay;

    public MessagingReadiness(TopologyDeclarer topology, OutboxRelay relay) {
        this.topology = topology;
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Orderflow messaging")
                .status(topology.declared() && !relay.stalled())
                .withData("topology", topology.declared() ? "declared" : "not declared")
                .withData("outbox-relay", relay.stalled() ? "stalled: the last round published nothing" : "publishing")
                .build();
    }
}
