package io.orderflow.shipping;

import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.orderflow.roles.ShippingApi;
import io.smallrye.mutiny.Uni;

/** The shipping API: read a shipment, ship it. */
@Path("/shipments")
@ShippingApi
@Produces(MediaType.APPLICATION_JSON)
public class ShipmentResource {

    private final ShippingService service;

    public ShipmentResource(ShippingService service) {
        this.service = service;
    }

    @GET
    @Path("/{orderId}")
    public Uni<ShipmentView> get(@PathParam("orderId") UUID orderId) {
        return service.find(orderId);
    }

    @POST
    @Path("/{orderId}/ship")
    public Uni<ShipmentView> ship(@PathParam("orderId") UUID orderId) {
        return service.ship(orderId);
    }
}
