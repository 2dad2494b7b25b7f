-- harmonize: without a default row the default merge preference is summary, and the install
-- inserts none, so a restored dump's row no longer collides with one; the row 0.1.0
-- inserted goes when it still says summary.
DELETE FROM mixmodel.merge_preferences WHERE metric IS NULL AND preference = 'summary';
-- @function src/harmonize/merge.sql merge_preference_for
-- @function src/harmonize/merge.sql set_merge_preference
-- sums over harmonized rows are exact (mixmodel.exact_sum), so they do not depend on row order
-- @function src/harmonize/definitions.sql _series
-- @function src/harmonize/definitions.sql factor_series
-- @function src/score/aggregate.sql _touchpoint_slices
-- dataset rules: time_zone, the zone whose days timestamptz dates fall on, named in the
-- generated SQL instead of relying on the session's TimeZone
ALTER TABLE mixmodel.dataset_rules ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
-- @statement src/harmonize/rules.sql COMMENT ON COLUMN mixmodel.dataset_rules.time_zone
DROP FUNCTION mixmodel.add_dataset_rule(text, regclass, text, text, text, text, text, text[], text, text, jsonb, text);
DROP FUNCTION mixmodel.activate_dataset_rule(text, boolean);
DROP FUNCTION mixmodel.update_dataset_rule(text, regclass, text, text, text, text, text, text[], text, text, jsonb, text);
-- @function src/harmonize/rules.sql _check_rule_option
-- @function src/harmonize/rules.sql add_dataset_rule
-- @function src/harmonize/rules.sql update_dataset_rule
-- @function src/harmonize/rules.sql activate_dataset_rule
