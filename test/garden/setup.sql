-- test/garden/setup.sql: the garden's state (doc/architecture.md "Garden test").
--
-- Real objects made through the extension's API, so that every function's
-- normal call reaches its core: generated raw data, harmonized datasets,
-- touchpoints and a conversion, three trained models (wide additive, wide
-- multiplicative, harmonized), a score and two plans.  Then the tables the
-- call list is built from: hostile values per argument type (garden.value),
-- normal values per argument (garden.normal, test/garden/normals.sql) and
-- functions not to call (garden.exclude).  Everything is committed: calls run
-- in subtransactions that are always rolled back, and the driver reconnects
-- after a crash.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE SCHEMA garden;

-- ---- real objects ----
SELECT count(*) AS generated FROM mixmodel.generate_raw_data('gr', seed => 11, weeks => 104, events => 2000,
       channels => ARRAY['tv', 'search']);
SELECT mixmodel.add_dataset_rule('daily_media', 'gr.daily_media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at', key_columns => ARRAY['day', 'channel', 'campaign', 'geo'],
         mappings => '{"dimensions": {"channel": "channel", "campaign": "campaign", "geo": "geo"},
                       "metrics": {"spend": {"column": "spend"}, "impressions": {"column": "impressions"}}}');
SELECT mixmodel.add_dataset_rule('weekly_media', 'gr.weekly_media', granularity => 'week', date_column => 'week',
         mappings => '{"dimensions": {"channel": "channel"},
                       "metrics": {"spend": {"column": "spend"}, "impressions": {"column": "impressions"}}}');
SELECT mixmodel.add_dataset_rule('conversions', 'gr.conversions_daily', granularity => 'day', date_column => 'day',
         mappings => '{"dimensions": {"conversiontype": "conversion_type"},
                       "metrics": {"orders": {"column": "orders"}, "revenue": {"column": "revenue"}}}');
SELECT mixmodel.add_dataset_rule('weekly_factors', 'gr.factors', category => 'factor', granularity => 'week', date_column => 'date',
         mappings => '{"where": {"conditions": [{"column": "granularity", "op": "equals", "value": "week"}]},
                       "dimensions": {"factor_name": "factor_name", "factor_type": "factor_type", "value_type": "value_type"},
                       "metrics": {"factor_value": {"column": "factor_value"}}}');
SELECT count(*) AS synced FROM mixmodel.sync();
SELECT mixmodel.add_touchpoint(c, rule => format('channel = %s', c), volume_metric => 'impressions', spend_metric => 'spend')
  FROM unnest(ARRAY['tv', 'search']) c;
SELECT mixmodel.add_conversion('sales', rule => 'dataset = conversions', metric => 'orders', revenue_metric => 'revenue');
SELECT mixmodel.add_field('garden_metric', category => 'metric', data_type => 'number');
-- definitions no model uses (what delete_touchpoint and delete_conversion can delete)
SELECT mixmodel.add_touchpoint('tv_unused', rule => 'channel = tv', volume_metric => 'impressions', spend_metric => 'spend');
SELECT mixmodel.add_conversion('sales_unused', rule => 'dataset = conversions', metric => 'orders');

SELECT mixmodel.create_model('gm', source => 'gr.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], factors => ARRAY['price_index'], options => '{"inference": "ridge", "candidates": 20}');
SELECT mixmodel.create_model('gmm', source => 'gr.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "ridge", "candidates": 20, "form": "multiplicative"}');
SELECT mixmodel.create_model('hm', conversion => 'sales', touchpoints => ARRAY['tv', 'search'],
       factors => ARRAY['price_index'], options => '{"inference": "ridge", "candidates": 20}');
SELECT count(*) AS trained FROM mixmodel.train('gm', seed => 1);
SELECT count(*) AS trained FROM mixmodel.train('gmm', seed => 1);
SELECT count(*) AS trained FROM mixmodel.train('hm', seed => 1);
-- a geo model (doc/geo.md) over two scaled copies of the wide table
CREATE TABLE garden.geo_wide AS
SELECT g.geo, g.share * 1e6 AS population, w.week, g.share * w.revenue AS revenue, g.share * w.tv_spend AS tv_spend,
       g.share * w.search_spend AS search_spend, w.price_index
  FROM gr.weekly_wide w, (VALUES ('north', 0.6), ('south', 0.4)) g(geo, share);
SELECT mixmodel.create_model('ggeo', 'garden.geo_wide', 'week', 'revenue', ARRAY['tv_spend', 'search_spend'], ARRAY['price_index'],
       options => '{"geo": {"column": "geo", "population": "population"}, "inference": "ridge", "candidates": 50}');
SELECT count(*) AS trained FROM mixmodel.train('ggeo', seed => 1);

-- gd: a model without plans, with a schedule and two runs, the current one ending 12
-- weeks before the data and scored after it (drop_model, delete_run, drop_schedule, check_drift)
SELECT mixmodel.create_model('gd', source => 'gr.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], options => '{"inference": "ridge", "candidates": 20}');
SELECT count(*) AS trained FROM mixmodel.train('gd', seed => 1);
SELECT count(*) AS trained FROM mixmodel.train('gd', seed => 1, to_date => (SELECT max(week) - 84 FROM gr.weekly_wide));
SELECT count(*) AS scored FROM mixmodel.score('gd', (SELECT max(week) - 77 FROM gr.weekly_wide), (SELECT max(week) FROM gr.weekly_wide));
SELECT mixmodel.set_schedule('gd') IS NOT NULL AS scheduled;

-- Arguments captured from the extension's own calls: capture_begin puts a wrapper in the
-- function's place that records each argument as a literal (garden.captured) and calls the
-- original; capture_end restores the original.  (Callers in PL/pgSQL look functions up by
-- name when first run, so this sees the calls create_plan, response_curve and
-- _model_inputs make.)
CREATE TABLE garden.captured (fname text, pos int, argname text, typ regtype, lit text);
CREATE FUNCTION garden.capture_begin(f regprocedure) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    p record;
BEGIN
    SELECT proname::text AS name, pronargs AS n, (proargnames)[1:pronargs] AS names, proargtypes::oid[] AS types,
           prorettype = 'void'::regtype AS void, proretset AS retset INTO p FROM pg_proc WHERE oid = f;
    EXECUTE format('ALTER FUNCTION %s RENAME TO %I', f, p.name || '_garden_orig');
    EXECUTE format('CREATE FUNCTION mixmodel.%I(%s) RETURNS %s LANGUAGE plpgsql AS %L', p.name,
                   pg_get_function_arguments(f), pg_get_function_result(f),
                   format('BEGIN DELETE FROM garden.captured WHERE fname = %L; '
                          'INSERT INTO garden.captured SELECT %L, cap_k, cap_n, cap_t::regtype, cap_v '
                          'FROM unnest(%L::text[], %L::text[], ARRAY[%s]::text[]) WITH ORDINALITY c(cap_n, cap_t, cap_v, cap_k); '
                          '%s mixmodel.%I(%s); END',
                          p.name, p.name, p.names, ARRAY(SELECT t::regtype::text FROM unnest(p.types) t),
                          (SELECT string_agg(format('quote_nullable($%s)', i), ', ') FROM generate_series(1, p.n) i),
                          CASE WHEN p.void THEN 'PERFORM' WHEN p.retset THEN 'RETURN QUERY SELECT * FROM' ELSE 'RETURN' END,
                          p.name || '_garden_orig',
                          (SELECT string_agg(format('$%s', i), ', ') FROM generate_series(1, p.n) i)));
END $$;
CREATE FUNCTION garden.capture_end(f text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    orig regprocedure := (SELECT oid FROM pg_proc WHERE proname = f || '_garden_orig');
BEGIN
    EXECUTE format('DROP FUNCTION mixmodel.%I(%s)', f, pg_get_function_identity_arguments(orig));
    EXECUTE format('ALTER FUNCTION %s RENAME TO %I', orig, f);
END $$;

-- gb: a Bayesian model (a short chain: the garden calls its sampler hundreds of times),
-- its inputs, its posterior, a curve and a plan with credible bands
SELECT mixmodel.create_model('gb', source => 'gr.weekly_wide', date_column => 'week', kpi => 'revenue',
       media => ARRAY['tv_spend', 'search_spend'], factors => ARRAY['price_index'],
       options => '{"chains": 1, "warmup": 50, "draws": 100}');
SET client_min_messages = error;
SELECT count(*) AS trained FROM mixmodel.train('gb', seed => 1);
SET client_min_messages = warning;
SELECT garden.capture_begin('mixmodel._model_bayes_inputs(jsonb,text[],boolean[],text[],text[],integer[],float8[],float8[],integer,text,float8[],float8[],float8[])');
CREATE TABLE garden.inputs_b AS SELECT mixmodel._model_inputs('gb', NULL, NULL) AS i;
SELECT garden.capture_end('_model_bayes_inputs');
CREATE TABLE garden.fit_b AS SELECT mixmodel._model_fit_bayes(i, 1, NULL, NULL) AS r FROM garden.inputs_b;
CREATE TABLE garden.chb AS
SELECT c.* FROM mixmodel.run_channels c JOIN mixmodel.models m ON m.name = c.model AND m.current_run = c.run
 WHERE c.model = 'gb' AND c.paid;
SELECT garden.capture_begin('mixmodel._response_band(text,integer,boolean,text,float8,text,float8[],float8[],integer,integer,float8[],float8[],float8,float8[])');
SELECT count(*) AS curve FROM mixmodel.response_curve('gb', 'tv_spend');
SELECT garden.capture_end('_response_band');
SELECT garden.capture_begin('mixmodel._plan_write_bands(text,text,integer,text,text[],text[],integer[],boolean[],text[],float8[],float8[],float8[],float8[],integer[],integer[],integer,float8,float8)');
SELECT garden.capture_begin('mixmodel._plan_band(text,text[],integer[],boolean[],text[],float8[],float8[],float8[],float8[],float8[],integer[],boolean[],integer,float8)');
SELECT garden.capture_begin('mixmodel._plan_allocation_rows(text[],float8[],float8[],float8[],float8[],integer[],float8[],float8[],integer[],integer[],integer,float8,float8)');
SELECT count(*) AS planned FROM mixmodel.create_plan('gbp', 'gb', flights => jsonb_build_array(jsonb_build_object(
           'from', (SELECT max(week) + 7 FROM gr.weekly_wide), 'to', (SELECT max(week) + 34 FROM gr.weekly_wide), 'budget', 20000)));
SELECT garden.capture_end('_plan_allocation_rows');
SELECT garden.capture_end('_plan_band');
SELECT garden.capture_end('_plan_write_bands');
SELECT fname, count(*) AS captured_arguments FROM garden.captured GROUP BY fname ORDER BY fname;

-- the run of gm and its window; the plans' first week follows the data
CREATE TABLE garden.run AS
SELECT r.run, r.from_date, r.to_date, (SELECT max(week) FROM gr.weekly_wide) + 7 AS plan_from
  FROM mixmodel.runs r JOIN mixmodel.models m ON m.name = r.model AND m.current_run = r.run
 WHERE r.model = 'gm';
SELECT count(*) AS scored FROM garden.run r, mixmodel.score('gm', r.from_date, r.to_date);
SELECT count(*) AS planned FROM garden.run r,
       mixmodel.create_plan('gp', 'gm', flights => jsonb_build_array(jsonb_build_object(
           'from', r.plan_from, 'to', r.plan_from + 27, 'budget', 20000)));
SELECT count(*) AS planned FROM garden.run r,
       mixmodel.create_plan('gp2', 'gm', spend_pattern => 'flat', flights => jsonb_build_array(jsonb_build_object(
           'from', r.plan_from, 'to', r.plan_from + 27, 'budget', 25000)));

-- what the internal functions are called with: the fitted channels of gm (and of the
-- multiplicative gmm), their inputs as the score functions read them, the training arrays
CREATE TABLE garden.ch AS
SELECT c.* FROM mixmodel.run_channels c JOIN mixmodel.models m ON m.name = c.model AND m.current_run = c.run
 WHERE c.model = 'gm' AND c.paid;
CREATE TABLE garden.chm AS
SELECT c.* FROM mixmodel.run_channels c JOIN mixmodel.models m ON m.name = c.model AND m.current_run = c.run
 WHERE c.model = 'gmm' AND c.paid;
CREATE TABLE garden.rin AS
SELECT c.position, p.* FROM garden.ch c, LATERAL mixmodel._response_input('gm', c.channel, NULL, NULL) p;
CREATE TABLE garden.inputs AS
SELECT mixmodel._model_inputs('gm', NULL, NULL) AS i,
       mixmodel._model_inputs('gm', r.from_date, r.to_date, scoring => true) AS si
  FROM garden.run r;
CREATE TABLE garden.fit AS SELECT mixmodel._model_fit(i, 5, 1, NULL) AS r FROM garden.inputs;
-- a fit-metrics state over the fit of gm, as the aggregates build it
CREATE FUNCTION garden.metrics_state() RETURNS float8[] LANGUAGE plpgsql AS $$
DECLARE
    s float8[] := '{1,0,0,0,0,0,0,0,0,0,0,0}';
    f record;
BEGIN
    FOR f IN SELECT actual, predicted FROM mixmodel.run_fit WHERE model = 'gm' ORDER BY period LOOP
        s := mixmodel.metrics_accum(s, f.actual, f.predicted);
    END LOOP;
    RETURN s;
END $$;

-- ---- what the calls are made of ----

-- Injection strings call nextval on this sequence: a value > 0 at the end means one ran
-- (sequences are not rolled back with the calls).
CREATE SEQUENCE garden.injected;

-- Hostile values per argument type; 'normal' is the type's value when no better one is known.
-- guc: mixmodel.max_array_length for the call (to test the limit at small cost).
CREATE TABLE garden.value (typ regtype, label text, expr text, guc text,
                           normal bool GENERATED ALWAYS AS (label = 'normal') STORED);
INSERT INTO garden.value (typ, label, expr) VALUES
  ('float8', 'normal', '0.5'), ('float8', '0', '0'), ('float8', '-0.0', '''-0'''), ('float8', '-1', '-1'),
  ('float8', '1', '1'), ('float8', 'NaN', '''NaN'''), ('float8', 'Infinity', '''Infinity'''),
  ('float8', '-Infinity', '''-Infinity'''), ('float8', '1e308', '1e308'),
  ('float8', '-1e308', '-1e308'), ('float8', 'denormal', '5e-324'), ('float8', '1e6', '1e6'), ('float8', '1e8', '1e8'),
  ('float4', 'normal', '0.5'), ('float4', '0', '0'), ('float4', '-1', '-1'),
  ('float4', 'NaN', '''NaN'''), ('float4', 'Infinity', '''Infinity'''),
  ('float4', '-Infinity', '''-Infinity'''), ('float4', '3e38', '3e38'),
  ('numeric', 'normal', '0.5'), ('numeric', '0', '0'), ('numeric', '-1', '-1'),
  ('numeric', 'NaN', '''NaN'''), ('numeric', 'Infinity', '''Infinity'''),
  ('numeric', '-Infinity', '''-Infinity'''), ('numeric', '1e1000', '1e1000'),
  ('numeric', '1e-1000', '1e-1000'),
  ('int2', 'normal', '3'), ('int2', '0', '0'), ('int2', '-1', '-1'),
  ('int2', 'max', '32767'), ('int2', 'min', '-32768'),
  ('int4', 'normal', '3'), ('int4', '0', '0'), ('int4', '-1', '-1'),
  ('int4', '1000000', '1000000'), ('int4', '1e8', '100000000'), ('int4', 'max', '2147483647'),
  ('int4', 'min', '-2147483648'),
  ('int8', 'normal', '3'), ('int8', '0', '0'), ('int8', '-1', '-1'), ('int8', '1e8', '100000000'),
  ('int8', 'max', '9223372036854775807'), ('int8', 'min', '-9223372036854775808'),
  ('bool', 'normal', 'true'), ('bool', 'false', 'false'),
  ('text', 'normal', '''tv'''), ('text', 'empty', ''''''),
  ('text', 'injection', $q$'x''); SELECT nextval(''garden.injected''); DROP TABLE garden.run; --'$q$),
  ('text', 'identifier injection', $q$'x"); SELECT nextval(''garden.injected''); --'$q$),
  ('text', 'unknown name', '''no_such_name'''), ('text', 'quoted', '''"TV" ''''x'''''''),
  ('text', 'unicode', $q$U&'\00e9\+01F600'$q$), ('text', 'long', 'repeat(''x'', 100000)'),
  ('text', 'number', '''1e308'''),
  ('varchar', 'normal', '''tv'''), ('varchar', 'empty', ''''''),
  ('varchar', 'unknown name', '''no_such_name'''),
  ('name', 'normal', '''tv'''), ('name', 'empty', ''''''),
  ('name', 'unknown name', '''no_such_name'''),
  ('name', 'injection', $q$'x"); SELECT nextval(''garden.injected''); --'$q$),
  ('date', 'normal', '''2024-01-01'''), ('date', 'infinity', '''infinity'''),
  ('date', '-infinity', '''-infinity'''), ('date', 'far past', '''4713-01-01 BC'''),
  ('date', 'far future', '''5874897-12-31'''),
  ('timestamp', 'normal', '''2024-01-01 00:00'''), ('timestamp', 'infinity', '''infinity'''),
  ('timestamp', '-infinity', '''-infinity'''), ('timestamp', 'far past', '''4713-01-01 00:00 BC'''),
  ('timestamp', 'far future', '''294276-12-31 23:59:59'''),
  ('timestamptz', 'normal', '''2024-01-01 00:00+00'''), ('timestamptz', 'infinity', '''infinity'''),
  ('timestamptz', '-infinity', '''-infinity'''), ('timestamptz', 'far past', '''4713-01-01 00:00+00 BC'''),
  ('timestamptz', 'far future', '''294276-12-30 23:59:59+00'''),
  ('interval', 'normal', '''7 days'''), ('interval', '0', '''0'''),
  ('interval', 'negative', '''-7 days'''), ('interval', 'huge', '''178000000 years'''),
  ('regclass', 'normal', '''gr.weekly_wide'''), ('regclass', 'catalog', '''pg_catalog.pg_class'''),
  ('regclass', 'statistic', '''pg_catalog.pg_statistic'''), ('regclass', 'no columns', '''garden.nocols'''),
  ('regclass', 'weird columns', $q$'garden."weird ""name"""'$q$), ('regclass', 'view', '''garden.view'''),
  ('regclass', 'oid 0', '0::oid'), ('regclass', 'dropped', 'NULL'),
  ('jsonb', 'normal', '''{}'''), ('jsonb', 'null', '''null'''), ('jsonb', 'array', '''[]'''),
  ('jsonb', 'string', '''"x"'''), ('jsonb', 'unknown key', '''{"no_such_key": 1}'''),
  ('jsonb', 'bad types', '''{"form": 1, "adstock": [], "saturation": {}, "seed": "x", "budget": -1}'''),
  ('jsonb', 'huge number', '''{"budget": 1e400, "seed": -1e400}'''),
  ('jsonb', 'deep', 'repeat(''['', 5000) || repeat('']'', 5000)'),
  ('json', 'normal', '''{}'''), ('json', 'null', '''null'''), ('json', 'unknown key', '''{"no_such_key": 1}'''),
  ('bytea', 'normal', '''\x00'''), ('bytea', 'empty', '''\x'''),
  ('float8[]', 'normal', '''{100, 0, 0, 50, 20}'''), ('float8[]', 'empty', '''{}'''),
  ('float8[]', '{NULL}', '''{NULL}'''), ('float8[]', 'NULL element', '''{1, NULL, 3}'''),
  ('float8[]', 'NaN element', '''{1, NaN, 3}'''), ('float8[]', 'infinite elements', '''{Infinity, -Infinity}'''),
  ('float8[]', 'negative element', '''{1, -2, 3}'''), ('float8[]', 'zeros', '''{0, 0, 0}'''),
  ('float8[]', 'one element', '''{7}'''), ('float8[]', 'huge elements', '''{1e308, 1e308, 1e308}'''),
  ('float8[]', 'two-dimensional', '''{{1, 2}, {3, 4}}'''), ('float8[]', 'lower bound 0', '''[0:2]={1, 2, 3}'''),
  ('float8[]', '1e6 elements', 'array_fill(1.5::float8, ARRAY[1000000])'),
  ('int4[]', 'normal', '''{1, 2, 3}'''), ('int4[]', 'empty', '''{}'''),
  ('int4[]', 'NULL element', '''{1, NULL}'''), ('int4[]', 'negative', '''{-1, -2147483648}'''),
  ('int4[]', 'huge', '''{2147483647, 100000000}'''),
  ('int4[]', '1e6 elements', 'array_fill(1, ARRAY[1000000])'),
  ('int8[]', 'normal', '''{1, 2, 3}'''), ('int8[]', 'empty', '''{}'''),
  ('int8[]', 'NULL element', '''{1, NULL}'''),
  ('text[]', 'normal', '''{tv, search}'''), ('text[]', 'empty', '''{}'''),
  ('text[]', '{NULL}', '''{NULL}'''), ('text[]', 'empty element', '''{""}'''),
  ('text[]', 'duplicates', '''{tv, tv}'''),
  ('text[]', 'unknown names', $q$'{no_such_name, "x''); SELECT nextval(''''garden.injected''''); --"}'$q$),
  ('text[]', 'two-dimensional', '''{{a, b}, {c, d}}'''),
  ('text[]', '1e6 elements', 'array_fill(''tv''::text, ARRAY[1000000])'),
  ('bool[]', 'normal', '''{true, false}'''), ('bool[]', 'empty', '''{}'''),
  ('bool[]', 'NULL element', '''{true, NULL}'''), ('bool[]', 'two-dimensional', '''{{true}, {false}}'''),
  ('numeric[]', 'normal', '''{1.5, 2.5}'''), ('numeric[]', 'empty', '''{}'''),
  ('numeric[]', 'NULL element', '''{1, NULL}'''), ('numeric[]', 'NaN and infinities', '''{NaN, Infinity, -Infinity}'''),
  ('float4[]', 'normal', '''{1.5, 2.5}'''), ('float4[]', 'empty', '''{}'''),
  ('float4[]', 'NULL element', '''{1, NULL}'''), ('float4[]', 'NaN element', '''{NaN}'''),
  ('date[]', 'normal', '''{2024-01-01, 2024-01-08}'''), ('date[]', 'empty', '''{}'''),
  ('date[]', 'NULL element', '''{2024-01-01, NULL}'''), ('date[]', 'infinite', '''{-infinity, infinity}''');
-- Arrays just above the limit, with the limit lowered for that call.
INSERT INTO garden.value (typ, label, expr, guc) VALUES
  ('float8[]', 'above max_array_length', 'array_fill(1.5::float8, ARRAY[1001])', '1000'),
  ('int4[]', 'above max_array_length', 'array_fill(1, ARRAY[1001])', '1000'),
  ('text[]', 'above max_array_length', 'array_fill(''tv''::text, ARRAY[1001])', '1000');
-- Every type gets a NULL too.
INSERT INTO garden.value (typ, label, expr)
SELECT DISTINCT typ, 'NULL', 'NULL' FROM garden.value;
-- Values made from an argument's normal value (a literal of its type in %s): arrays one
-- element short or long (each length valid alone, mismatched with the other arrays),
-- with a NULL or a hostile element, or ten times as long.
CREATE TABLE garden.derived (label text, expr text, elem text);
INSERT INTO garden.derived VALUES
  ('normal one element short', '(SELECT a[array_lower(a, 1) : array_upper(a, 1) - 1] FROM (SELECT %s AS a) s)', NULL),
  ('normal one element long', '(SELECT a || a[array_upper(a, 1)] FROM (SELECT %s AS a) s)', NULL),
  ('normal with a NULL element', '(SELECT array_append(a, NULL) FROM (SELECT %s AS a) s)', NULL),
  ('normal ten times as long', '(SELECT a || a || a || a || a || a || a || a || a || a FROM (SELECT %s AS a) s)', NULL),
  ('normal with element NaN', '(SELECT a[array_lower(a, 1) : array_upper(a, 1) - 1] || ''NaN''::float8 FROM (SELECT %s AS a) s)', 'float8'),
  ('normal with element -Infinity', '(SELECT a[array_lower(a, 1) : array_upper(a, 1) - 1] || ''-Infinity''::float8 FROM (SELECT %s AS a) s)', 'float8'),
  ('normal with element -0.0', '(SELECT a[array_lower(a, 1) : array_upper(a, 1) - 1] || ''-0''::float8 FROM (SELECT %s AS a) s)', 'float8'),
  ('normal with element 1e308', '(SELECT a[array_lower(a, 1) : array_upper(a, 1) - 1] || 1e308::float8 FROM (SELECT %s AS a) s)', 'float8'),
  ('normal with element -1', '(SELECT a[array_lower(a, 1) : array_upper(a, 1) - 1] || (-1)::float8 FROM (SELECT %s AS a) s)', 'float8'),
  ('normal with element max', '(SELECT a[array_lower(a, 1) : array_upper(a, 1) - 1] || 2147483647 FROM (SELECT %s AS a) s)', 'int4'),
  ('normal with element min', '(SELECT a[array_lower(a, 1) : array_upper(a, 1) - 1] || (-2147483648)::int4 FROM (SELECT %s AS a) s)', 'int4'),
  ('normal with element 1e8', '(SELECT a[array_lower(a, 1) : array_upper(a, 1) - 1] || 100000000 FROM (SELECT %s AS a) s)', 'int4');

-- Relations for regclass arguments.
CREATE TABLE garden.nocols ();
CREATE TABLE garden."weird ""name""" ("we""ek" text, "spend" text, "select" int, "x'); DROP TABLE garden.run; --" float8);
INSERT INTO garden."weird ""name""" VALUES ('not a date', 'NaN', NULL, 'Infinity');
CREATE VIEW garden.view AS SELECT * FROM gr.weekly_wide;
CREATE TABLE garden.dropped (x int);
UPDATE garden.value SET expr = 'garden.dropped'::regclass::oid || '::oid' WHERE label = 'dropped';
DROP TABLE garden.dropped;

-- Normal values by argument: test/garden/normals.sql.  Expressions, evaluated once
-- after set-up; fname NULL: every function with such an argument.
CREATE TABLE garden.normal (fname text, argname text NOT NULL, typ regtype NOT NULL, expr text NOT NULL);

-- Functions the garden must not call, with the reason (printed on every run).
CREATE TABLE garden.exclude (fn regprocedure PRIMARY KEY, reason text NOT NULL);

-- The arguments of every function: type, name and the normal value as a literal.
CREATE TABLE garden.arg (fn regprocedure, pos int, name text, typ regtype, lit text, how text,
                         PRIMARY KEY (fn, pos));

-- The calls, and how each ended.  cancel_ms: for a call the watchdog cancelled, how long
-- after the cancel it ended.
CREATE TABLE garden.call (id serial PRIMARY KEY, fn regprocedure, how text, label text, sql text, guc text,
                          parallel bool DEFAULT false, after int,
                          sqlstate text, message text, ms float8, cancel_ms float8);
-- What the watchdog did to calls that ignored the cancel.
CREATE TABLE garden.watchdog (call_id int, action text, seconds float8, at timestamptz DEFAULT clock_timestamp());
