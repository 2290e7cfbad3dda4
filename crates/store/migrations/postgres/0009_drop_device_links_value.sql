-- no-transaction
-- Replaced by `device_links_by_value` (0008).
DROP INDEX CONCURRENTLY IF EXISTS device_links_value;
