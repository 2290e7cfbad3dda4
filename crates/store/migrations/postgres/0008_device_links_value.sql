-- A returning device moves the `last_seen` of each of its links on every event. With
-- `last_seen` in this index each such update also moved the link's index entry (a second
-- random page written per link per decision, and on PostgreSQL no heap-only update). The
-- look-up by value reads every row of the value either way, so ordering them is left to the
-- query.
DROP INDEX device_links_value;
CREATE INDEX device_links_value ON device_links (tenant_id, kind, value);
