-- Per-tenant settings (agent CORS origins, replay policy, …) as JSON, so that new settings
-- need no migration.
ALTER TABLE tenants ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
