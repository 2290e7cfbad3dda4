-- A counter of the changes to what a request reads about its tenant before it is answered:
-- the tenant's settings, its API keys, agent keys, rule sets and list entries. The triggers
-- raise it inside the transaction that makes the change, whichever process made it (the
-- service, the CLI, a hand edit), so a node may keep those reads in memory and check only this
-- number per request: a change made anywhere applies to the next request everywhere.
ALTER TABLE tenants ADD COLUMN config_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER tenants_config_changed AFTER UPDATE OF name, mode, settings ON tenants
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id = NEW.id; END;

CREATE TRIGGER api_keys_added AFTER INSERT ON api_keys
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id = NEW.tenant_id; END;
CREATE TRIGGER api_keys_changed AFTER UPDATE ON api_keys
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id IN (OLD.tenant_id, NEW.tenant_id); END;
CREATE TRIGGER api_keys_removed AFTER DELETE ON api_keys
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id = OLD.tenant_id; END;

CREATE TRIGGER agent_keys_added AFTER INSERT ON agent_keys
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id = NEW.tenant_id; END;
CREATE TRIGGER agent_keys_changed AFTER UPDATE ON agent_keys
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id IN (OLD.tenant_id, NEW.tenant_id); END;
CREATE TRIGGER agent_keys_removed AFTER DELETE ON agent_keys
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id = OLD.tenant_id; END;

CREATE TRIGGER rule_sets_added AFTER INSERT ON rule_sets
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id = NEW.tenant_id; END;
CREATE TRIGGER rule_sets_changed AFTER UPDATE ON rule_sets
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id IN (OLD.tenant_id, NEW.tenant_id); END;
CREATE TRIGGER rule_sets_removed AFTER DELETE ON rule_sets
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id = OLD.tenant_id; END;

CREATE TRIGGER list_entries_added AFTER INSERT ON list_entries
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id = NEW.tenant_id; END;
CREATE TRIGGER list_entries_changed AFTER UPDATE ON list_entries
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id IN (OLD.tenant_id, NEW.tenant_id); END;
CREATE TRIGGER list_entries_removed AFTER DELETE ON list_entries
BEGIN UPDATE tenants SET config_version = config_version + 1 WHERE id = OLD.tenant_id; END;
