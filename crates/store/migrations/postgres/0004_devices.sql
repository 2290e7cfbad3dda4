-- Known devices, the keys to find linking candidates, and the identity graph.
CREATE TABLE devices (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    platform       TEXT NOT NULL,
    device_hash    TEXT NOT NULL,
    browser_hash   TEXT NOT NULL,
    cookie_hash    TEXT,
    data           TEXT NOT NULL,
    first_seen     BIGINT NOT NULL,
    last_seen      BIGINT NOT NULL
);
CREATE INDEX devices_cookie ON devices (tenant_id, cookie_hash);

CREATE TABLE device_blocking_keys (
    tenant_id     TEXT NOT NULL,
    blocking_key  TEXT NOT NULL,
    device_id     TEXT NOT NULL REFERENCES devices(id),
    PRIMARY KEY (tenant_id, blocking_key, device_id)
);

CREATE TABLE device_links (
    tenant_id   TEXT NOT NULL,
    device_id   TEXT NOT NULL REFERENCES devices(id),
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    first_seen  BIGINT NOT NULL,
    last_seen   BIGINT NOT NULL,
    count       BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, device_id, kind, value)
);
CREATE INDEX device_links_value ON device_links (tenant_id, kind, value, last_seen);
