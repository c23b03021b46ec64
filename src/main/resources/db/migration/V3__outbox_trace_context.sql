-- The W3C trace context of the transaction that wrote the event, so the publish (and the consumer
-- on the other side) joins the trace of the request that caused it; the aggregate id is the
-- correlation id that follows one order across services.
alter table outbox add column traceparent varchar(64);
alter table outbox add column subject varchar(64);
