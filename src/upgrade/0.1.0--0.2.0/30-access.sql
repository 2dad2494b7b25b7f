-- access: an owner per definition and result (doc/access.md).  The rows 0.1.0 left belong to
-- the role running ALTER EXTENSION UPDATE; give them to their owners afterwards
-- (UPDATE mixmodel.models SET owner = 'alice' WHERE ...; doc/access.md).  The group roles,
-- row-level security and grants come with @new and @replay (src/access/).
ALTER TABLE mixmodel.models ADD COLUMN owner regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole);
-- @altered TABLE mixmodel.models
ALTER TABLE mixmodel.plans ADD COLUMN owner regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole);
-- @altered TABLE mixmodel.plans
ALTER TABLE mixmodel.dataset_rules ADD COLUMN owner regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole);
ALTER TABLE mixmodel.touchpoints ADD COLUMN owner regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole);
-- @altered TABLE mixmodel.touchpoints
ALTER TABLE mixmodel.conversions ADD COLUMN owner regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole);
-- @altered TABLE mixmodel.conversions
ALTER TABLE mixmodel.merge_preferences ADD COLUMN owner regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole);
-- @altered TABLE mixmodel.merge_preferences
-- one default preference per owner
DROP INDEX mixmodel.merge_preferences_default;
CREATE UNIQUE INDEX merge_preferences_default ON mixmodel.merge_preferences (owner) WHERE metric IS NULL;
-- @altered INDEX merge_preferences_default
ALTER TABLE mixmodel.harmonized_source ADD COLUMN owner regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole);
-- @altered TABLE mixmodel.harmonized_source
-- harmonized is LIKE harmonized_source, without defaults
ALTER TABLE mixmodel.harmonized ADD COLUMN owner regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole);
ALTER TABLE mixmodel.harmonized ALTER COLUMN owner DROP DEFAULT;
ALTER TABLE mixmodel.sync_state ADD COLUMN owner regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole);
-- @altered TABLE mixmodel.sync_state
ALTER TABLE mixmodel.fields ADD COLUMN owner_role regrole;
UPDATE mixmodel.fields SET owner_role = CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole) WHERE owner = 'client';
ALTER TABLE mixmodel.fields ADD CONSTRAINT fields_owner_role CHECK ((owner = 'client') = (owner_role IS NOT NULL));
-- @altered TABLE mixmodel.fields
-- an owner argument: the replay creates the new signatures
DROP FUNCTION mixmodel._series_period(text);
DROP FUNCTION mixmodel._series(text, text, text, text, date, date);
