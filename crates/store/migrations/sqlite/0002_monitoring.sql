-- Persons, device consents and their history, activities, question sets, the agent key
-- ring, replay memory, and webhooks with their durable outbox. Records whose shape evolves
-- with the API are kept as JSON text beside the columns that are queried.
CREATE TABLE persons (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    data            TEXT NOT NULL,
    vetting_status  TEXT NOT NULL,
    version         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX persons_tenant ON persons (tenant_id, created_at);

CREATE TABLE device_consents (
    id                    TEXT PRIMARY KEY,
    tenant_id             TEXT NOT NULL REFERENCES tenants(id),
    person_id             TEXT NOT NULL REFERENCES persons(id),
    event_type            TEXT NOT NULL,
    confirmed_at          INTEGER NOT NULL,
    consent_text_version  TEXT,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE INDEX device_consents_person ON device_consents (tenant_id, person_id, updated_at);

CREATE TABLE consent_events (
    id                    TEXT PRIMARY KEY,
    tenant_id             TEXT NOT NULL REFERENCES tenants(id),
    consent_id            TEXT NOT NULL REFERENCES device_consents(id),
    person_id             TEXT NOT NULL,
    event_type            TEXT NOT NULL,
    confirmed_at          INTEGER NOT NULL,
    consent_text_version  TEXT,
    recorded_at           INTEGER NOT NULL,
    recorded_by_key_id    TEXT NOT NULL
);
CREATE INDEX consent_events_consent ON consent_events (tenant_id, consent_id, recorded_at);

CREATE TABLE device_activities (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    person_id   TEXT NOT NULL REFERENCES persons(id),
    consent_id  TEXT,
    session_id  TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX device_activities_person ON device_activities (tenant_id, person_id, created_at);

CREATE TABLE question_sets (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    person_id   TEXT NOT NULL REFERENCES persons(id),
    data        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX question_sets_person ON question_sets (tenant_id, person_id, created_at);

CREATE TABLE seen_payloads (
    tenant_id   TEXT NOT NULL,
    payload_id  TEXT NOT NULL,
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, payload_id)
);
CREATE INDEX seen_payloads_age ON seen_payloads (seen_at);

CREATE TABLE agent_keys (
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    key_id          INTEGER NOT NULL,
    secret_hex      TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    retired_at      INTEGER,
    PRIMARY KEY (tenant_id, key_id)
);

CREATE TABLE webhook_subscriptions (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    event_type    TEXT NOT NULL,
    url           TEXT NOT NULL,
    secret        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    cancelled_at  INTEGER
);
CREATE INDEX webhook_subscriptions_tenant ON webhook_subscriptions (tenant_id, event_type);

CREATE TABLE webhook_events (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    event_type  TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants(id),
    event_id          TEXT NOT NULL REFERENCES webhook_events(id),
    subscription_id   TEXT NOT NULL REFERENCES webhook_subscriptions(id),
    status            TEXT NOT NULL,
    attempts          INTEGER NOT NULL,
    next_attempt_at   INTEGER NOT NULL,
    claimed_until     INTEGER,
    last_status_code  INTEGER,
    last_error        TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, status);

CREATE TABLE webhook_attempts (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL,
    subscription_id  TEXT NOT NULL,
    delivery_id      TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    entity_id        TEXT NOT NULL,
    attempt          INTEGER NOT NULL,
    status_code      INTEGER,
    error            TEXT,
    duration_ms      INTEGER NOT NULL,
    outcome          TEXT NOT NULL,
    at               INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_subscription ON webhook_attempts (tenant_id, subscription_id, at);
