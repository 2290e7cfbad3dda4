-- A counter of the changes to what a request reads about its tenant before it is answered:
-- the tenant's settings, its API keys, agent keys, rule sets and list entries. The triggers
-- raise it inside the transaction that makes the change, whichever node or process made it
-- (the service, the CLI, a hand edit), so a node may keep those reads in memory and check only
-- this number per request: a change made anywhere applies to the next request everywhere.
ALTER TABLE tenants ADD COLUMN config_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION tenant_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.config_version := OLD.config_version + 1;
    RETURN NEW;
END $$;
CREATE TRIGGER tenants_config_changed BEFORE UPDATE OF name, mode, settings ON tenants
    FOR EACH ROW EXECUTE FUNCTION tenant_settings_changed();

CREATE FUNCTION tenant_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE tenants SET config_version = config_version + 1 WHERE id = OLD.tenant_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.tenant_id IS DISTINCT FROM OLD.tenant_id) THEN
        UPDATE tenants SET config_version = config_version + 1 WHERE id = NEW.tenant_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER api_keys_config_changed AFTER INSERT OR UPDATE OR DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION tenant_config_changed();
CREATE TRIGGER agent_keys_config_changed AFTER INSERT OR UPDATE OR DELETE ON agent_keys
    FOR EACH ROW EXECUTE FUNCTION tenant_config_changed();
CREATE TRIGGER rule_sets_config_changed AFTER INSERT OR UPDATE OR DELETE ON rule_sets
    FOR EACH ROW EXECUTE FUNCTION tenant_config_changed();
CREATE TRIGGER list_entries_config_changed AFTER INSERT OR UPDATE OR DELETE ON list_entries
    FOR EACH ROW EXECUTE FUNCTION tenant_config_changed();
