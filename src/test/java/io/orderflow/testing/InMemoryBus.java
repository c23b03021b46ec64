package io.orderflow.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/**
 * The seed's in-memory bus: every channel on the SmallRye in-memory connector, so handler tests send
 * messages straight into the pipeline and read what it publishes, with no broker in between.
 */
public class InMemoryBus implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Channels.class));
    }

    /** Switches the channels over for the lifetime of the profile's application. */
    public static class Channels implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>();
            config.putAll(InMemoryConnector.switchIncomingChannelsToInMemory("shipping", "orders", "shipping-dead-letters",
                    "orders-dead-letters"));
            config.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory("events", "redeliveries"));
            return config;
        }

        @Override
        public void stop() {
            InMemoryConnector.clear();
        }
    }
}
