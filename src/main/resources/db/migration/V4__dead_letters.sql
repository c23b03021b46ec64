-- Dead letters moved off the broker's DLQs: the message as it was, why it failed, and what was
-- done about it. The digest makes the move idempotent when the broker redelivers a DLQ message.
create table dead_letters (
    id               bigserial primary key,
    digest           varchar(64)  not null,
    consumer         varchar(64)  not null,
    original_queue   varchar(255) not null,
    message_id       varchar(255),
    event_type       varchar(64),
    reason           varchar(64)  not null,
    exception        varchar(255),
    error            text,
    retries          integer      not null default 0,
    content_type     varchar(255),
    headers          text         not null,
    body             bytea        not null,
    first_failure_at timestamptz  not null,
    last_failure_at  timestamptz  not null,
    received_at      timestamptz  not null default now(),
    status           varchar(16)  not null default 'PENDING',
    status_changed_at timestamptz,
    unique (consumer, digest)
);
create index dead_letters_pending on dead_letters (status, reason, event_type);
create index dead_letters_by_time on dead_letters (last_failure_at);
create index dead_letters_by_message on dead_letters (message_id);

-- Audit of every action taken on a dead letter: who, when, what.
create table dead_letter_actions (
    id             bigserial primary key,
    dead_letter_id bigint       not null references dead_letters (id),
    action         varchar(32)  not null,
    actor          varchar(255) not null,
    at             timestamptz  not null default now(),
    detail         text
);
create index dead_letter_actions_by_letter on dead_letter_actions (dead_letter_id);
