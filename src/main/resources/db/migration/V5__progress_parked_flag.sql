-- Whether the consumer may have events of the aggregate parked: set by parking, which holds the
-- progress row's lock; cleared by a transaction holding that lock that finds none left. The batch
-- path reads it from its lock statement, which sees the latest committed row, instead of querying
-- parked_events in a statement of its own. It can only be wrongly true (an expiry removes parked
-- events without the lock), which sends the aggregate's next event down the one-event path, and
-- that clears it.
alter table aggregate_progress add column has_parked boolean not null default false;
update aggregate_progress ap set has_parked = true
where exists (select 1 from parked_events p where p.consumer = ap.consumer and p.aggregate_id = ap.aggregate_id);
