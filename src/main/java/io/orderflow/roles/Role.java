package io.orderflow.roles;

/** The two services that share this image; the id names the event source and the consumer. */
public enum Role {
    ORDERS("orders"),
    SHIPPING("shipping");

    private final String id;

    Role(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
