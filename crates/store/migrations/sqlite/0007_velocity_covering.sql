-- Distinct counts and sums read a second column of every row in their window ("users of this
-- device in 24 h", "amount of this user in 24 h"). Carrying those columns in the key's index
-- answers them from the index alone: no table look-up per row, so a busy key's counters stay
-- cheap and the table's pages stay out of the cache.
DROP INDEX velocity_device_id;
CREATE INDEX velocity_device_id ON velocity_events (tenant_id, device_id, at, user_id, card_hash, email);
DROP INDEX velocity_ip;
CREATE INDEX velocity_ip ON velocity_events (tenant_id, ip, at, user_id, device_id);
DROP INDEX velocity_user_id;
CREATE INDEX velocity_user_id ON velocity_events (tenant_id, user_id, at, amount, device_id);
