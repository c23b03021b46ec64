package io.orderflow.orders;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.orderflow.roles.OrdersApi;
import io.smallrye.mutiny.Uni;

/** The orders API: place an order, read its state. */
@Path("/orders")
@OrdersApi
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    private final OrderService service;

    public OrderResource(OrderService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@Valid @NotNull CreateOrderRequest request) {
        return service.create(request)
                .map(order -> Response.created(URI.create("/orders/" + order.orderId())).entity(order).build());
    }

    @GET
    @Path("/{orderId}")
    public Uni<OrderView> get(@PathParam("orderId") UUID orderId) {
        return service.find(orderId);
    }
}
