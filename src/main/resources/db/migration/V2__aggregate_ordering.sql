-- Per consumer and aggregate: the last event sequence applied. The pipeline locks this row while
-- it applies an event of the aggregate, so competing consumers serialize per aggregate.
create table aggregate_progress (
    consumer      varchar(64) not null,
    aggregate_id  varchar(64) not null,
    last_sequence bigint      not null,
    updated_at    timestamptz not null default now(),
    primary key (consumer, aggregate_id)
);

-- Events that arrived before their prerequisite. Replayed in sequence order, in the transaction
-- that applies the missing event; dead-lettered (prerequisite-missing) when they wait too long.
create table parked_events (
    consumer     varchar(64) not null,
    event_id     uuid        not null,
    aggregate_id varchar(64) not null,
    sequence     bigint      not null,
    event_type   varchar(64) not null,
    body         text        not null,
    parked_at    timestamptz not null default now(),
    primary key (consumer, event_id)
);
create index parked_events_by_aggregate on parked_events (consumer, aggregate_id, sequence);
create index parked_events_by_age on parked_events (parked_at);
