-- Fraud decisions, versioned rule sets and allow/deny lists.
CREATE TABLE decisions (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants(id),
    created_at        BIGINT NOT NULL,
    state             TEXT NOT NULL,
    fraud_score       DOUBLE PRECISION NOT NULL,
    rule_set_version  BIGINT NOT NULL,
    data              TEXT NOT NULL
);
CREATE INDEX decisions_time ON decisions (tenant_id, created_at, id);

CREATE TABLE rule_sets (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    version     BIGINT NOT NULL,
    data        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, version)
);

CREATE TABLE list_entries (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    list        TEXT NOT NULL,
    value       TEXT NOT NULL,
    note        TEXT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, list, value)
);
CREATE INDEX list_entries_value ON list_entries (tenant_id, value);
