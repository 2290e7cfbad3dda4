-- A returning device moves the `last_seen` of each of its links on every event. With
-- `last_seen` in `device_links_value` each such update also rewrote the link's index entry (a
-- second random page written per link per decision). The look-up by value reads every row of
-- the value either way, so ordering them is left to the query. Same steps as PostgreSQL's
-- 0008 and 0009, which there must run apart.
CREATE INDEX IF NOT EXISTS device_links_by_value ON device_links (tenant_id, kind, value);
