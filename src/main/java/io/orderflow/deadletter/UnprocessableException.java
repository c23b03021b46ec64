package io.orderflow.deadletter;

import jakarta.ws.rs.ClientErrorException;

/** 422: the request is well-formed, but what it asks for cannot be done with this content. */
public class UnprocessableException extends ClientErrorException {

    public UnprocessableException(String message) {
        super(message, 422);
    }
}
