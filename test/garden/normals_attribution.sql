-- test/garden/normals_attribution.sql: normal values of the attribution stage's functions
-- (see normals.sql for the rules).
--
-- Set-up: generated journeys (persons, touches and online conversions) in a schema of
-- their own (ga), read by the attribution ga through the garden's touchpoints tv and
-- search (rules "channel = tv", "channel = search"; tv, offline media, has no events), a
-- touchpoint social and a conversion on the table's own conversiontype column.  One real
-- run of ga: its arguments to the internal steps are captured (garden.capture_begin,
-- test/garden/setup.sql), its path table and the algorithmic step's journeys kept in
-- ordinary tables (ga.paths, ga.journeys) for the path-table primitives, path_credits
-- and the survival fit.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

SELECT count(*) AS generated FROM mixmodel.generate_raw_data('ga', seed => 5, weeks => 53, events => 1500,
       channels => ARRAY['tv', 'search', 'social'], options => '{"journeys": true, "profiles": 200}');
CREATE TABLE ga.ev AS
SELECT event_id, profile_id, event_ts, channel, conversion_type AS conversiontype, revenue, journey, message
  FROM ga.events;
SELECT mixmodel.add_touchpoint('social', rule => 'channel = social', volume_metric => 'clicks', spend_metric => 'spend');
SELECT mixmodel.add_conversion('ga_online', rule => 'conversiontype = online', metric => 'orders', revenue_metric => 'revenue');
SELECT mixmodel.create_attribution('ga', 'ga.ev', 'ga_online', person_column => 'profile_id', time_column => 'event_ts',
       touchpoints => ARRAY['tv', 'search', 'social'], lookback => '28 days',
       options => '{"event_column": "event_id", "dimensions": {"journey": "journey", "message": "message"}}');

-- the algorithmic step's journeys table, kept (the run's temporary table is dropped at its end)
CREATE FUNCTION garden.keep_journeys_begin() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    f regprocedure := 'mixmodel._attribution_survival(regclass, int4, float8[], int4, float8, float8, float8)';
BEGIN
    EXECUTE format('ALTER FUNCTION %s RENAME TO %I', f, '_attribution_survival_garden_keep');
    CREATE FUNCTION mixmodel._attribution_survival(journeys regclass, tokens int4, edges float8[], days int4,
            persons float8, conversion_days float8, ridge float8) RETURNS jsonb LANGUAGE plpgsql AS $b$
    BEGIN
        DROP TABLE IF EXISTS ga.journeys;
        EXECUTE format('CREATE TABLE ga.journeys AS SELECT * FROM %s', journeys);
        DELETE FROM garden.captured WHERE fname = '_attribution_survival';
        INSERT INTO garden.captured VALUES
          ('_attribution_survival', 1, 'journeys', 'regclass', '''ga.journeys'''),
          ('_attribution_survival', 2, 'tokens', 'int4', quote_nullable(tokens)),
          ('_attribution_survival', 3, 'edges', 'float8[]', quote_nullable(edges)),
          ('_attribution_survival', 4, 'days', 'int4', quote_nullable(days)),
          ('_attribution_survival', 5, 'persons', 'float8', quote_nullable(persons)),
          ('_attribution_survival', 6, 'conversion_days', 'float8', quote_nullable(conversion_days)),
          ('_attribution_survival', 7, 'ridge', 'float8', quote_nullable(ridge));
        RETURN mixmodel._attribution_survival_garden_keep(journeys, tokens, edges, days, persons, conversion_days, ridge);
    END $b$;
END $$;

SELECT garden.capture_begin(f::regprocedure) FROM unnest(ARRAY[
    'mixmodel._attribution_column(regclass, text, text, text[])',
    'mixmodel._attribution_field(regclass, jsonb, text, text)',
    'mixmodel._attribution_rule_sql(regclass, jsonb, text, text)',
    'mixmodel._attribution_compile(regclass, text, text[], name, name, jsonb)',
    'mixmodel._attribution_models(text[], jsonb)',
    'mixmodel._attribution_extract(jsonb, jsonb, interval, timestamptz, timestamptz, boolean)']) f;
SELECT garden.keep_journeys_begin();
DELETE FROM garden.captured WHERE fname LIKE '\_attribution%';
SELECT count(*) AS attributed FROM mixmodel.attribute('ga');
SELECT garden.capture_end(f) FROM unnest(ARRAY['_attribution_column', '_attribution_field', '_attribution_rule_sql',
    '_attribution_compile', '_attribution_models', '_attribution_extract']) f;
DROP FUNCTION mixmodel._attribution_survival(regclass, int4, float8[], int4, float8, float8, float8);
ALTER FUNCTION mixmodel._attribution_survival_garden_keep(regclass, int4, float8[], int4, float8, float8, float8)
    RENAME TO _attribution_survival;
DROP FUNCTION garden.keep_journeys_begin();

-- the run's path table (ChannelAttribution's shape)
CREATE TABLE ga.paths AS
SELECT path, conversions, revenue, non_conversions FROM mixmodel.attribution_paths WHERE attribution = 'ga';
SELECT count(*) > 0 AS have_paths, (SELECT count(*) > 0 FROM ga.journeys) AS have_journeys,
       (SELECT count(DISTINCT fname) FROM garden.captured WHERE fname LIKE '\_attribution%') AS captured
  FROM ga.paths;

INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT fname, argname, typ, lit FROM garden.captured WHERE fname LIKE '\_attribution%';

INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('create_attribution', 'name', 'text', '''ga_new'''), ('create_attribution', 'source', 'regclass', '''ga.ev'''),
  ('create_attribution', 'conversion', 'text', '''ga_online'''),
  ('create_attribution', 'person_column', 'name', '''profile_id'''),
  ('create_attribution', 'time_column', 'name', '''event_ts'''),
  ('create_attribution', 'touchpoints', 'text[]', '''{search, social}'''),
  ('create_attribution', 'options', 'jsonb', '''{"event_column": "event_id"}'''),
  ('attribute', 'name', 'text', '''ga'''), ('drop_attribution', 'name', 'text', '''ga'''),
  ('_event_scores_partition', 'attribution', 'text', '''ga'''), ('_event_scores_partition', 'action', 'text', '''analyze'''),
  ('reconcile_attribution', 'attribution', 'text', '''ga'''), ('attribution_priors', 'attribution', 'text', '''ga'''),
  ('_attribution_lookback', 'lookback', 'text', '''28 days'''),
  ('attribution_weights', 'rule', 'text', '''time_decay'''), ('attribution_weights', 'n', 'int4', '3'),
  ('attribution_weights', 'lags', 'float8[]', '''{9, 6, 0}'''),
  ('transform_path', 'path', 'text', '(SELECT path FROM ga.paths ORDER BY conversions DESC, path LIMIT 1)'),
  ('transform_path', 'transforms', 'text[]', '''{unique, trim_long_path(3)}''');
-- the path-table primitives over ga.paths
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT f, v.argname, v.typ::regtype, v.expr
  FROM unnest(ARRAY['markov_attribution', 'heuristic_attribution', 'shapley_attribution', '_shapley_shares']) f,
       (VALUES ('source', 'regclass', '''ga.paths'''), ('path_column', 'name', '''path'''),
               ('conversions_column', 'name', '''conversions'''), ('value_column', 'name', '''revenue'''),
               ('null_column', 'name', '''non_conversions''')) v(argname, typ, expr);
-- path_credits and its support functions over ga.paths' most converting path
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT f, v.argname, v.typ::regtype, v.expr
  FROM unnest(ARRAY['path_credits', 'path_credits_accum']) f,
       (VALUES ('path', 'text', '(SELECT path FROM ga.paths ORDER BY conversions DESC, path LIMIT 1)'),
               ('conversions', 'float8', '(SELECT conversions FROM ga.paths ORDER BY conversions DESC, path LIMIT 1)'),
               ('revenue', 'float8', '(SELECT revenue FROM ga.paths ORDER BY conversions DESC, path LIMIT 1)'),
               ('model', 'text', '''u_shaped''')) v(argname, typ, expr);
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT f, a, 'bytea',
       '(SELECT mixmodel.path_credits_accum(mixmodel.path_credits_accum(NULL, p.path, p.conversions, p.revenue, ''u_shaped''), '
       || 'q.path, q.conversions, q.revenue, ''u_shaped'') FROM ga.paths p, ga.paths q '
       || 'WHERE p.conversions > 0 AND q.conversions > 0 AND q.path > p.path ORDER BY p.path, q.path LIMIT 1)'
  FROM (VALUES ('path_credits_accum', 'state'), ('path_credits_final', 'state'),
               ('path_credits_combine', 'a'), ('path_credits_combine', 'b')) v(f, a);

-- The steps of attribute after its first work on the session's temporary tables of one
-- run (pg_temp.mm_attr_*: journey ends, touches, windows, paths), which _attribution_extract
-- makes and attribute drops at its end; the garden's calls run in another session, each
-- rolled back, so no call of these can find them.  attribute's normal call runs them all.
INSERT INTO garden.exclude (fn, reason)
SELECT f::regprocedure, 'needs the temporary tables of a run of mixmodel.attribute in the calling session (attribute''s calls run it)'
  FROM unnest(ARRAY['mixmodel._attribution_windows(text[], jsonb, boolean, boolean)',
                    'mixmodel._attribution_paths()',
                    'mixmodel._attribution_score_none(text, integer, text[])',
                    'mixmodel._attribution_score_shapley(text, integer)',
                    'mixmodel._attribution_score_markov(text, integer, jsonb, boolean)',
                    'mixmodel._attribution_score_algorithmic(text, integer, text[], jsonb, interval, timestamptz, timestamptz)',
                    'mixmodel._attribution_summarize(text, integer, text[], boolean)']) f;
