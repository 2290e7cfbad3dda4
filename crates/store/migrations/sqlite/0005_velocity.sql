-- One row per decision or activity with every key it carried (hashed), for velocity counts.
-- Each key has an index on (tenant, key, time): a query scans one key's recent rows only.
CREATE TABLE velocity_events (
    tenant_id    TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    at           INTEGER NOT NULL,
    amount       DOUBLE PRECISION,
    device_id    TEXT,
    device_hash  TEXT,
    ip           TEXT,
    email        TEXT,
    phone        TEXT,
    user_id      TEXT,
    card_hash    TEXT
);
CREATE INDEX velocity_device_id ON velocity_events (tenant_id, device_id, at);
CREATE INDEX velocity_device_hash ON velocity_events (tenant_id, device_hash, at);
CREATE INDEX velocity_ip ON velocity_events (tenant_id, ip, at);
CREATE INDEX velocity_email ON velocity_events (tenant_id, email, at);
CREATE INDEX velocity_phone ON velocity_events (tenant_id, phone, at);
CREATE INDEX velocity_user_id ON velocity_events (tenant_id, user_id, at);
CREATE INDEX velocity_card_hash ON velocity_events (tenant_id, card_hash, at);
