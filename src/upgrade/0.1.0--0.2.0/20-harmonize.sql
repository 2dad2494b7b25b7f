-- harmonize: without a default row the default merge preference is summary, and the install
-- inserts none, so a restored dump's row no longer collides with one; the row 0.1.0
-- inserted goes when it still says summary.
DELETE FROM mixmodel.merge_preferences WHERE metric IS NULL AND preference = 'summary';
-- dataset rules: time_zone, the zone whose days timestamptz dates fall on, named in the
-- generated SQL instead of relying on the session's TimeZone
ALTER TABLE mixmodel.dataset_rules ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
-- @altered TABLE mixmodel.dataset_rules
-- a new argument (time_zone): the replay creates the new signatures
DROP FUNCTION mixmodel.add_dataset_rule(text, regclass, text, text, text, text, text, text[], text, text, jsonb, text);
DROP FUNCTION mixmodel.activate_dataset_rule(text, boolean);
DROP FUNCTION mixmodel.update_dataset_rule(text, regclass, text, text, text, text, text, text[], text, text, jsonb, text);
-- harmonized_source has no index: sync deletes the replaced rows of all datasets in one pass,
-- and maintaining the index cost more than that pass on every row written
DROP INDEX mixmodel.harmonized_source_dataset;
