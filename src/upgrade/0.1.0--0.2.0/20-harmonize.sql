-- harmonize: without a default row the default merge preference is summary, and the install
-- inserts none, so a restored dump's row no longer collides with one; the row 0.1.0
-- inserted goes when it still says summary.
DELETE FROM mixmodel.merge_preferences WHERE metric IS NULL AND preference = 'summary';
-- @function src/harmonize/merge.sql merge_preference_for
-- @function src/harmonize/merge.sql set_merge_preference
