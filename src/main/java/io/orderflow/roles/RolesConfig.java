package io.orderflow.roles;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which roles this instance plays; one image runs both by default, or either alone. */
@ConfigMapping(prefix = "orderflow.roles")
public interface RolesConfig {

    /** Orders role: the orders API, its OrderShipped consumer and its outbox relay. */
    @WithDefault("true")
    boolean orders();

    /** Shipping role: the shipments API, its OrderCreated consumer and its outbox relay. */
    @WithDefault("true")
    boolean shipping();

    default boolean enabled(Role role) {
        return switch (role) {
            case ORDERS -> orders();
            case SHIPPING -> shipping();
        };
    }
}
