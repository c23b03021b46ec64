package io.orderflow.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;

/**
 * Whether the application has begun to shut down. Work that fails from then on fails because its
 * database pool or broker channels are closing, not because of the message: such a delivery is
 * left unsettled for the broker to deliver again, rather than counted as a retry or dead-lettered.
 */
@ApplicationScoped
public class Stopping {

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    public boolean now() {
        return stopping;
    }
}
