package io.orderflow.orders;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/** Orders by id. */
@ApplicationScoped
public class OrderRepository implements PanacheRepositoryBase<Order, UUID> {
}
