-- upgrade: install the previous release from its frozen install script
-- (src/upgrade/mixmodel--0.1.0.sql), use it, ALTER EXTENSION mixmodel UPDATE, and check
-- that the upgraded catalog equals a fresh install of this version line for line
-- (test/include/catalog_state.sql: functions with their definitions and labels,
-- relations with their columns in order, constraints, indexes, views, policies, grants,
-- comments, dumped tables, rows the install inserts) and that the user's rows survive.
\set regress_db :DBNAME
SET client_min_messages = warning;
DROP DATABASE IF EXISTS mm_upgrade_old;
DROP DATABASE IF EXISTS mm_upgrade_fresh;
CREATE DATABASE mm_upgrade_old;
CREATE DATABASE mm_upgrade_fresh;

\c mm_upgrade_old
SET client_min_messages = warning;
CREATE EXTENSION mixmodel VERSION '0.1.0';
SELECT extversion, mixmodel.version() FROM pg_extension WHERE extname = 'mixmodel';
-- a user's work in 0.1.0: a trained wide model, a merge override, a custom field
-- (the 0.2.0 library's generator writes experiments through a 0.2.0 function: not before the update)
SELECT count(*) > 0 AS generated FROM mixmodel.generate_raw_data('up', seed => 3, weeks => 110, events => 1000,
       channels => ARRAY['tv', 'search', 'social'], options => '{"experiments": false}');
SELECT mixmodel.create_model('up_model', source => 'up.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend', 'social_spend'], options => '{"candidates": 30}');
SELECT count(*) > 0 AS trained FROM mixmodel.train('up_model', seed => 1);
SELECT mixmodel.add_field('loyalty', 'metric');
-- (a merge override as 0.1.0's set_merge_override writes it: the library installed is already
-- 0.2.0's, whose merge reads columns the update adds, so functions reaching it wait for the update)
INSERT INTO mixmodel.merge_preferences (metric, preference, channels) VALUES ('spend', 'event', ARRAY['tv']);
CREATE TEMP TABLE before_fit AS SELECT period, predicted FROM mixmodel.model_fit WHERE model = 'up_model';
SELECT count(*) AS fit_rows FROM before_fit \gset

ALTER EXTENSION mixmodel UPDATE;
SELECT extversion, mixmodel.version() FROM pg_extension WHERE extname = 'mixmodel';
-- the user's rows are still there and still work
SELECT name, options->>'inference' AS inference, options->>'candidates' AS candidates FROM mixmodel.models;
SELECT count(*) = :fit_rows AS fit_kept,
       bool_and(f.predicted = b.predicted) AS fit_identical
  FROM mixmodel.model_fit f JOIN before_fit b USING (period) WHERE f.model = 'up_model';
SELECT metric, preference, channels FROM mixmodel.merge_preferences ORDER BY id;
SELECT name, category FROM mixmodel.fields WHERE owner = 'client';
SELECT term, periods > 0 AS scored FROM mixmodel.score('up_model', '2024-01-01', '2024-12-31') WHERE kind = 'channel' ORDER BY term;
SELECT count(*) > 0 AS planned FROM mixmodel.create_plan('up_plan', 'up_model',
       flights => '[{"from": "2025-03-03", "to": "2025-05-25", "budget": 1000}]');
-- the catalog, now without the user's objects
SELECT mixmodel.drop_field('loyalty');
SELECT mixmodel.clear_merge_overrides();
\set ECHO none
\i test/include/catalog_state.sql
\set ECHO all
SELECT string_agg(line, E'\x1e' ORDER BY line COLLATE "C") AS upgraded_state FROM catalog_state \gset

\c mm_upgrade_fresh
SET client_min_messages = warning;
CREATE EXTENSION mixmodel;
\set ECHO none
\i test/include/catalog_state.sql
\set ECHO all
SELECT count(*) > 1000 AS catalog_lines FROM catalog_state;
-- every difference: a line of the fresh install the upgrade lacks, or one it has in excess
SELECT 'fresh install only' AS side, line FROM catalog_state
EXCEPT SELECT 'fresh install only', unnest(string_to_array(:'upgraded_state', E'\x1e'))
UNION ALL
(SELECT 'upgrade only', unnest(string_to_array(:'upgraded_state', E'\x1e'))
 EXCEPT SELECT 'upgrade only', line FROM catalog_state)
ORDER BY 1, 2;

\c :regress_db
SET client_min_messages = warning;
DROP DATABASE mm_upgrade_old;
DROP DATABASE mm_upgrade_fresh;
