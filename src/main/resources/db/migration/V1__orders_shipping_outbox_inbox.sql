-- Orders role: one row per order, moved to SHIPPED by the OrderShipped consumer.
create table orders (
    id           uuid primary key,
    customer_id  varchar(64) not null,
    total_cents  bigint      not null check (total_cents > 0),
    currency     char(3)     not null,
    status       varchar(16) not null,
    created_at   timestamptz not null,
    shipped_at   timestamptz
);

-- Shipping role: one shipment per order, created by the OrderCreated consumer.
create table shipments (
    order_id     uuid primary key,
    customer_id  varchar(64) not null,
    status       varchar(16) not null,
    created_at   timestamptz not null,
    shipped_at   timestamptz
);

-- Transactional outbox: written in the same transaction as the state change it announces,
-- published by the relay, kept after publishing for audit until the retention job removes it.
create table outbox (
    id            bigserial primary key,
    event_id      uuid        not null unique,
    event_type    varchar(64) not null,
    source        varchar(32) not null,
    body          text        not null,
    created_at    timestamptz not null default now(),
    claimed_until timestamptz,
    published_at  timestamptz,
    attempts      integer     not null default 0,
    last_error    text
);
create index outbox_unpublished on outbox (id) where published_at is null;

-- Idempotency: one row per (consumer, event) applied, written with the effects.
create table processed_events (
    consumer     varchar(64) not null,
    event_id     uuid        not null,
    event_type   varchar(64) not null,
    processed_at timestamptz not null,
    primary key (consumer, event_id)
);
