-- no-transaction
-- A returning device moves the `last_seen` of each of its links on every event. With
-- `last_seen` in `device_links_value` each such update also moved the link's index entry (a
-- second index write per link per decision, and no heap-only update). The look-up by value
-- reads every row of the value either way, so ordering them is left to the query. Built
-- CONCURRENTLY so that decisions keep writing links meanwhile; the old index goes in 0009 (each
-- CONCURRENTLY statement must run alone, outside a transaction).
CREATE INDEX CONCURRENTLY IF NOT EXISTS device_links_by_value ON device_links (tenant_id, kind, value);
