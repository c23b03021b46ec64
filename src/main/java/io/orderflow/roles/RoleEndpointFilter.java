package io.orderflow.roles;

import jakarta.ws.rs.NotFoundException;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Hides the endpoints of a role this instance does not play, as if they were not deployed. Name
 * bindings keep this resolved at build time: no reflection at request time, native-safe.
 */
public class RoleEndpointFilter {

    private final RolesConfig roles;

    public RoleEndpointFilter(RolesConfig roles) {
        this.roles = roles;
    }

    @OrdersApi
    @ServerRequestFilter
    public void ordersRole() {
        requireEnabled(Role.ORDERS);
    }

    @ShippingApi
    @ServerRequestFilter
    public void shippingRole() {
        requireEnabled(Role.SHIPPING);
    }

    private void requireEnabled(Role role) {
        if (!roles.enabled(role)) {
            throw new NotFoundException("the " + role.id() + " role is not enabled on this instance");
        }
    }
}
