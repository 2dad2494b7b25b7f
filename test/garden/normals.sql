-- test/garden/normals.sql: the normal value of every argument whose type's normal value
-- (garden.value) or DEFAULT would fail, as SQL expressions over the garden's real
-- objects (test/garden/setup.sql), evaluated once before the calls are built.
--
-- fname: a function name, or a signature (regprocedure text) for one overload; NULL for
-- every function with an argument of that name and type.  Order of precedence: the
-- signature's row, the function's row, a DEFAULT other than NULL, a row for every
-- function, a DEFAULT NULL, the type's normal value.  A new function whose normal call
-- fails gets its rows here (the garden lists such functions).

-- every function
INSERT INTO garden.normal (argname, typ, expr) VALUES
  ('model', 'text', '''gm'''), ('plan', 'text', '''gp'''), ('run', 'int4', '(SELECT run FROM garden.run)'),
  ('channel', 'text', '''tv_spend'''), ('channels', 'text[]', 'ARRAY[''tv_spend'', ''search_spend'']'),
  ('spends', 'float8[]', '(SELECT array_agg(current_spend ORDER BY position) FROM garden.rin)'),
  ('from_date', 'date', '(SELECT from_date FROM garden.run)'), ('to_date', 'date', '(SELECT to_date FROM garden.run)'),
  ('touchpoint', 'text', '''tv'''), ('touchpoints', 'text[]', 'ARRAY[''tv'', ''search'']'),
  ('conversion', 'text', '''sales'''), ('metric', 'text', '''spend'''), ('preference', 'text', '''summary'''),
  ('source', 'regclass', '''gr.weekly_wide'''), ('date_column', 'name', '''week'''), ('date_column', 'text', '''week'''),
  ('kpi', 'name', '''revenue'''), ('media', 'text[]', 'ARRAY[''tv_spend'']'),
  ('granularity', 'text', '''week'''), ('week_start', 'text', '''monday'''), ('rule', 'text', '''channel = tv'''),
  ('variant', 'text', '''cdf'''), ('form', 'text', '''additive'''), ('goal', 'text', '''budget'''),
  ('category', 'text', '''metric'''), ('formula', 'text', '''[spend] / [impressions]'''),
  ('theta', 'float8', '0.5'), ('shape', 'float8', '2'), ('k', 'float8', '2'), ('vmax', 'float8', '10'),
  ('max_lag', 'int4', '4'), ('peak', 'int4', '1'), ('peak', 'float8', '1'),
  ('state', 'float8[]', '(SELECT garden.metrics_state())'), ('state1', 'float8[]', '(SELECT garden.metrics_state())'),
  ('state2', 'float8[]', '(SELECT garden.metrics_state())'),
  ('width', 'int4', '600'), ('panel_height', 'int4', '150'), ('format', 'text', '''number'''),
  ('value_format', 'text', '''number'''), ('x_format', 'text', '''number'''), ('y_format', 'text', '''number''');

-- names of the objects each function makes, reads, changes or drops
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('activate_dataset_rule', 'name', 'text', '''daily_media'''), ('add_conversion', 'name', 'text', '''sales2'''),
  ('add_dataset_rule', 'name', 'text', '''ds_new'''), ('add_field', 'name', 'text', '''garden_new'''),
  ('add_touchpoint', 'name', 'text', '''tv2'''), ('conversion_series', 'name', 'text', '''sales'''),
  ('create_model', 'name', 'text', '''gm_new'''), ('create_plan', 'name', 'text', '''gp_new'''),
  ('dataset_rule_sql', 'name', 'text', '''daily_media'''), ('delete_conversion', 'name', 'text', '''sales_unused'''),
  ('delete_dataset_rule', 'name', 'text', '''daily_media'''), ('delete_touchpoint', 'name', 'text', '''tv_unused'''),
  ('drop_field', 'name', 'text', '''garden_metric'''), ('factor_series', 'name', 'text', '''price_index'''),
  ('touchpoint_series', 'name', 'text', '''tv'''), ('update_conversion', 'name', 'text', '''sales'''),
  ('update_dataset_rule', 'name', 'text', '''daily_media'''), ('update_field', 'name', 'text', '''garden_metric'''),
  ('update_touchpoint', 'name', 'text', '''tv'''), ('_definition_delete', 'name', 'text', '''tv_unused'''),
  ('_definition_write', 'name', 'text', '''tv'''), ('_model_check_column', 'col', 'text', '''tv_spend'''),
  ('_model_check_column', 'src', 'regclass', '''gr.weekly_wide'''), ('_model_check_column', 'what', 'text', '''media'''),
  ('_check_plans', 'names', 'text[]', 'ARRAY[''gp'']'), ('compare_plans', 'a', 'text', '''gp'''),
  ('compare_plans', 'b', 'text', '''gp2'''), ('compare_plan_models', 'a', 'text', '''gp'''),
  ('compare_plan_models', 'b', 'text', '''gp2'''), ('duplicate_plan', 'source', 'text', '''gp'''),
  ('duplicate_plan', 'new_name', 'text', '''gp_copy'''), ('duplicate_plan', 'model', 'text', 'NULL'),
  ('generate_raw_data', 'target_schema', 'name', '''gr_new'''), ('generate_raw_data', 'weeks', 'int4', '60'),
  ('generate_raw_data', 'events', 'int8', '1000'), ('generate_geo_data', 'target_schema', 'name', '''gg_new'''),
  ('generate_geo_data', 'geos', 'int4', '5'), ('generate_geo_data', 'weeks', 'int4', '52'),
  ('generate_geo_data', 'channels', 'text[]', 'ARRAY[''tv'', ''search'']'), ('_kpi_factors', 'kpi_unit', 'text', '''revenue'''),
  ('_kpi_factors', 'revenue_per_conversion', 'float8', '20'),
  ('_series', 'm1', 'text', '''impressions'''), ('_series', 'm2', 'text', '''spend'''),
  ('_check_metric', 'role', 'text', '''spend metric'''), ('_check_metric', 'definition', 'text', '''tv'''),
  ('_check_rule_option', 'option', 'text', '''granularity'''), ('_check_rule_option', 'value', 'text', '''week'''),
  ('_check_rule_option', 'dataset', 'text', '''daily_media'''),
  ('_check_field_args', 'data_type', 'text', '''number'''),
  ('_audit', 'action', 'text', '''update'''), ('_audit', 'object_type', 'text', '''field'''),
  ('_audit', 'object_name', 'text', '''garden_metric'''),
  ('_definition_delete', 'kind', 'text', '''touchpoint'''), ('_definition_write', 'kind', 'text', '''touchpoint'''),
  ('_definition_write', 'action', 'text', '''update'''),
  ('_definition_write', 'cols', 'text[]', '''{volume_metric,spend_metric}'''),
  ('_definition_write', 'labels', 'text[]', '''{volume metric,spend metric}'''),
  ('_definition_write', 'vals', 'text[]', 'ARRAY[''impressions'', ''spend'']'),
  ('_definition_write', 'n_required', 'int4', '0'),
  ('_jf', 'j', 'jsonb', '''[1.5, 2]'''), ('_ji', 'j', 'jsonb', '''[1, 2]'''), ('_jt', 'j', 'jsonb', '''["a", "b"]'''),
  ('_model_range', 'key', 'text', '''theta'''), ('_model_range', 'dlo', 'float8', '0'),
  ('_model_range', 'dhi', 'float8', '0.8'), ('_model_range', 'vmin', 'float8', '0'),
  ('_model_range', 'vmax', 'float8', '0.99'), ('_model_range', 'min_open', 'bool', 'false'),
  ('_model_range', 'max_open', 'bool', 'false'),
  ('add_conversion', 'rule', 'text', '''dataset = conversions'''), ('add_conversion', 'metric', 'text', '''orders'''),
  ('add_conversion', 'revenue_metric', 'text', '''revenue'''),
  ('add_touchpoint', 'volume_metric', 'text', '''impressions'''), ('add_touchpoint', 'spend_metric', 'text', '''spend'''),
  ('add_dataset_rule', 'source', 'regclass', '''gr.weekly_media'''),
  ('add_dataset_rule', 'mappings', 'jsonb', '''{"dimensions": {"channel": "channel"}, "metrics": {"spend": {"column": "spend"}}}'''),
  ('add_field', 'data_type', 'text', '''number'''), ('add_field', 'formula', 'text', 'NULL'),
  ('update_field', 'formula', 'text', 'NULL'), ('update_field', 'display_name', 'text', '''Garden metric'''),
  ('update_dataset_rule', 'category', 'text', 'NULL'), ('update_dataset_rule', 'granularity', 'text', 'NULL'),
  ('update_dataset_rule', 'week_start', 'text', '''sunday'''), ('update_dataset_rule', 'date_column', 'text', 'NULL'),
  ('update_dataset_rule', 'source', 'regclass', 'NULL'),
  ('create_plan', 'flights', 'jsonb', '(SELECT arguments->''flights'' FROM mixmodel.plans WHERE name = ''gp'')'),
  ('create_plan', 'spend_pattern', 'text', '''flat'''),
  ('evaluate_formula', 'metric_values', 'jsonb', '''{"spend": 10, "impressions": 4}'''),
  ('roi_prior_lognormal', 'mean', 'float8', '2'),
  ('select_candidate', 'candidate', 'int4',
   '(SELECT min(candidate) FROM mixmodel.run_candidates WHERE model = ''gm'' AND run = (SELECT run FROM garden.run))'),
  ('train', 'seed', 'int8', '1'), ('train', 'candidates', 'int4', '10'),
  ('adstock_weights', 'kind', 'text', '''geometric_windowed'''), ('adstock_weights', 'peak', 'float8', 'NULL'),
  ('adstock_weights', 'shape', 'float8', 'NULL'),
  ('mixmodel.saturation(text,double precision,double precision)', 'kind', 'text', '''power'''),
  ('mixmodel.saturation_deriv(text,double precision,double precision)', 'kind', 'text', '''power'''),
  ('mixmodel.saturation_inverse(text,double precision,double precision)', 'kind', 'text', '''power'''),
  ('mixmodel.saturation(text,double precision,double precision,double precision)', 'kind', 'text', '''hill'''),
  ('mixmodel.saturation_deriv(text,double precision,double precision,double precision)', 'kind', 'text', '''hill'''),
  ('mixmodel.saturation_inverse(text,double precision,double precision,double precision)', 'kind', 'text', '''hill'''),
  ('generate_events_day', 'day', 'date', '''2024-01-01'''), ('generate_events_day', 'conversions', 'int8', '10'),
  ('generate_events_day', 'revenue', 'float8', '1000'), ('generate_events_day', 'touches', 'int8', '50'),
  ('generate_events_day', 'profiles', 'int8', '100'), ('generate_events_day', 'campaigns', 'text[]', 'ARRAY[''c1'', ''c2'']'),
  ('generate_events_day', 'weights', 'float8[]', 'ARRAY[0.5, 0.5]'),
  ('generate_events_day', 'channels', 'text[]', 'ARRAY[''tv'', ''search'']'),
  ('optimize_budget', 'alpha', 'float8[]', '''{0.5, 0.5, 0.5, 0.5, 0.5}'''),
  ('optimize_budget', 'k', 'float8[]', '''{10, 10, 10, 10, 10}'''),
  ('optimize_budget', 'theta', 'float8[]', '''{0.5, 0.5, 0.5, 0.5, 0.5}'''),
  ('optimize_budget', 'lower', 'float8[]', 'NULL'), ('optimize_budget', 'upper', 'float8[]', 'NULL'),
  ('optimize_budget', 'spend_pattern', 'text', '''flat'''),
  ('optimize_target', 'metric', 'text', '''volume'''),
  ('optimize_target', 'alpha', 'float8[]', '''{0.5, 0.5, 0.5, 0.5, 0.5}'''),
  ('optimize_target', 'k', 'float8[]', '''{10, 10, 10, 10, 10}'''),
  ('optimize_target', 'theta', 'float8[]', '''{0.5, 0.5, 0.5, 0.5, 0.5}'''),
  ('optimize_target', 'lower', 'float8[]', 'NULL'), ('optimize_target', 'upper', 'float8[]', 'NULL'),
  ('optimize_target', 'spend_pattern', 'text', '''flat''');

-- one fitted channel of gm (run_channels), as the score functions pass it
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT f, v.col, v.typ::regtype, format('(SELECT %I FROM garden.ch WHERE position = 1)', v.col)
  FROM unnest(ARRAY['_adstock_impulse', '_channel_term', '_immediate_share', '_response_core']) f,
       (VALUES ('adstock', 'text'), ('adstock_p1', 'float8'), ('adstock_p2', 'float8'), ('max_lag', 'int4'),
               ('adstock_normalize', 'bool'), ('saturation', 'text'), ('sat_p1', 'float8'), ('sat_p2', 'float8'),
               ('input_scale', 'float8'), ('coef', 'float8')) v(col, typ);
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('_adstock_impulse', 'lags', 'int4', '10'),
  ('_channel_term', 'x', 'float8[]', '(SELECT x FROM garden.rin WHERE position = 1)'),
  ('_immediate_share', 'x', 'float8[]', '(SELECT x FROM garden.rin WHERE position = 1)'),
  ('_immediate_share', 'start', 'int4', '(SELECT start FROM garden.rin WHERE position = 1)'),
  ('_immediate_share', 'len', 'int4', '(SELECT len FROM garden.rin WHERE position = 1)'),
  ('_response_core', 'form', 'text', '(SELECT form FROM garden.rin WHERE position = 1)'),
  ('_response_core', 'x', 'float8[]', '(SELECT x FROM garden.rin WHERE position = 1)'),
  ('_response_core', 'start', 'int4', '(SELECT start FROM garden.rin WHERE position = 1)'),
  ('_response_core', 'len', 'int4', '(SELECT len FROM garden.rin WHERE position = 1)'),
  ('_response_core', 'yhat', 'float8[]', '(SELECT yhat FROM garden.rin WHERE position = 1)'),
  ('_response_core', 'value', 'float8', '(SELECT coalesce(revenue_per_kpi, 1) FROM garden.rin WHERE position = 1)'),
  ('_response_core', 'spends', 'float8[]', '(SELECT ARRAY[current_spend] FROM garden.rin WHERE position = 1)');

-- the paid channels of gm (of the multiplicative gmm for _plan_core_mult) as arrays
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT f, v.col, (v.typ || '[]')::regtype,
       format('(SELECT array_agg(%I ORDER BY position) FROM %s)', v.col,
              CASE WHEN f = '_plan_core_mult' THEN 'garden.chm' ELSE 'garden.ch' END)
  FROM unnest(ARRAY['_synergy_core', '_response_vector_core', '_plan_core', '_plan_core_mult']) f,
       (VALUES ('adstock', 'text'), ('adstock_p1', 'float8'), ('adstock_p2', 'float8'), ('max_lag', 'int4'),
               ('adstock_normalize', 'bool'), ('saturation', 'text'), ('sat_p1', 'float8'), ('sat_p2', 'float8'),
               ('input_scale', 'float8'), ('coef', 'float8')) v(col, typ);
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT f, v.argname, v.typ::regtype, v.expr
  FROM unnest(ARRAY['_synergy_core', '_response_vector_core']) f,
       (VALUES ('form', 'text', '(SELECT form FROM garden.rin WHERE position = 1)'),
               ('x', 'float8[]', '(SELECT array_agg(e ORDER BY r.position, u.k) FROM garden.rin r, unnest(r.x) WITH ORDINALITY u(e, k))'),
               ('start', 'int4', '(SELECT start FROM garden.rin WHERE position = 1)'),
               ('len', 'int4', '(SELECT len FROM garden.rin WHERE position = 1)'),
               ('yhat', 'float8[]', '(SELECT yhat FROM garden.rin WHERE position = 1)')) v(argname, typ, expr);
-- a 4-week plan after the data over the channels' real history
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT f, v.argname, v.typ::regtype, v.expr
  FROM unnest(ARRAY['_plan_core', '_plan_core_mult']) f,
       (VALUES ('history', 'float8[]', '(SELECT array_agg(e ORDER BY r.position, u.k) FROM garden.rin r, unnest(r.x) WITH ORDINALITY u(e, k))'),
               ('periods', 'int4', '4'), ('flight_from', 'int4[]', '''{0}'''), ('flight_to', 'int4[]', '''{4}'''),
               ('budget', 'float8[]', '(SELECT ARRAY[4 * sum(current_spend) / max(len)] FROM garden.rin)'),
               ('lower', 'float8[]', '''{0, 0}'''),
               ('upper', 'float8[]', '(SELECT array_fill(4 * sum(current_spend) / max(len), ARRAY[2]) FROM garden.rin)'),
               ('pattern', 'float8[]', 'NULL'), ('target', 'float8[]', 'NULL'),
               ('max_total', 'float8', '''Infinity''')) v(argname, typ, expr);
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('_plan_core_mult', 'fitted', 'float8[]',
   '(SELECT array_agg(predicted ORDER BY period) FROM (SELECT period, predicted FROM mixmodel.run_fit WHERE model = ''gmm'' ORDER BY period DESC LIMIT 52) s)'),
  ('_plan_core_mult', 'gap', 'int4', '0'),
  ('_plan_core_mult', 'start_share', 'float8[]', '(SELECT array_agg(spend ORDER BY position) FROM garden.chm)'),
  ('_plan_core_mult', 'goal', 'text', '''volume''');

-- the training arrays of gm, as _model_fit passes them to train_core
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT 'train_core', v.argname, v.typ::regtype, format('(SELECT %s FROM garden.inputs)', v.expr)
  FROM (VALUES ('y', 'float8[]', 'mixmodel._jf(i->''y'')'), ('x', 'float8[]', 'mixmodel._jf(i->''x'')'),
               ('spend', 'float8[]', 'mixmodel._jf(i->''spend'')'), ('channels', 'text[]', 'mixmodel._jt(i->''channels'')'),
               ('paid', 'int4[]', 'ARRAY(SELECT e.v::boolean::int FROM jsonb_array_elements_text(i->''paid'') WITH ORDINALITY e(v, k) ORDER BY e.k)'),
               ('adstock', 'text[]', 'mixmodel._jt(i->''adstock'')'), ('max_lag', 'int4[]', 'mixmodel._ji(i->''max_lag'')'),
               ('normalize_flags', 'int4[]', 'mixmodel._ji(i->''normalize'')'), ('saturation', 'text[]', 'mixmodel._jt(i->''saturation'')'),
               ('lo', 'float8[]', 'mixmodel._jf(i->''lo'')'), ('hi', 'float8[]', 'mixmodel._jf(i->''hi'')'),
               ('z', 'float8[]', 'mixmodel._jf(i->''z'')'), ('zlo', 'float8[]', 'mixmodel._jf(i->''zlo'')'),
               ('zhi', 'float8[]', 'mixmodel._jf(i->''zhi'')'), ('t0', 'int4', '(i->>''t0'')::int'),
               ('n_train', 'int4', '(i->>''n_train'')::int'), ('form', 'text', 'i->>''form'''),
               ('intercept_nonneg', 'bool', '(i->>''intercept_nonneg'')::boolean'),
               ('prior', 'float8[]', 'mixmodel._jf(i->''prior'')'), ('prior_weight', 'float8[]', 'mixmodel._jf(i->''prior_weight'')'),
               ('exp_channel', 'int4[]', 'coalesce(mixmodel._ji(i->''exp_channel''), ''{}'')'),
               ('exp_r0', 'int4[]', 'coalesce(mixmodel._ji(i->''exp_r0''), ''{}'')'),
               ('exp_r1', 'int4[]', 'coalesce(mixmodel._ji(i->''exp_r1''), ''{}'')'),
               ('exp_lift', 'float8[]', 'coalesce(mixmodel._jf(i->''exp_lift''), ''{}'')'),
               ('exp_scale', 'float8[]', 'coalesce(mixmodel._jf(i->''exp_scale''), ''{}'')'),
               ('exp_immediate', 'int4[]', 'array_fill(0, ARRAY[jsonb_array_length(i->''exp_lift'')])'),
               ('weights', 'float8[]', 'mixmodel._jf(i->''weights'') || CASE WHEN jsonb_array_length(i->''weights'') = 4 THEN ARRAY[0::float8] ELSE ''{}'' END'),
               ('budget', 'int4', '5'), ('local_share', 'float8', '(i->>''local_share'')::float8'), ('seed', 'int8', '1'),
               ('hp', 'float8[]', 'NULL'),
               ('exp_se', 'float8[]', 'array_fill(NULL::float8, ARRAY[jsonb_array_length(i->''exp_lift'')])'),
               ('calibration', 'text', '''mape_lift'''), ('n_val', 'int4', 'coalesce((i->>''n_val'')::int, 0)')) v(argname, typ, expr);
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('_model_fit', 'i', 'jsonb', '(SELECT i FROM garden.inputs)'), ('_model_fit', 'budget', 'int4', '5'),
  ('_model_fit', 'seed', 'int8', '1'), ('_model_fit', 'hp', 'float8[]', 'NULL'),
  ('_model_write', 'i', 'jsonb', '(SELECT i FROM garden.inputs)'), ('_model_write', 'r', 'jsonb', '(SELECT r FROM garden.fit)'),
  ('_aggregate_score', 'inputs', 'jsonb', '(SELECT si FROM garden.inputs)'),
  ('_model_inputs', 'scoring', 'bool', 'false'),
  ('_decompose_log_share', 'b', 'float8',
   '(SELECT exp(coef) FROM mixmodel.run_coefficients c JOIN mixmodel.models m ON m.name = c.model AND m.current_run = c.run WHERE c.model = ''gmm'' AND c.kind = ''intercept'')'),
  ('_decompose_log_share', 'g', 'float8[]',
   '(SELECT array_agg((mixmodel._channel_term(c.adstock, c.adstock_p1, c.adstock_p2, c.max_lag, c.adstock_normalize, c.saturation, c.sat_p1, c.sat_p2, c.input_scale, c.coef, r.x))[r.start + 1] ORDER BY c.position) FROM garden.chm c JOIN garden.rin r USING (position))');

-- the model without plans (test/garden/setup.sql): dropped, its old run deleted, its
-- schedule dropped, its drift checked
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('drop_model', 'model', 'text', '''gd'''), ('delete_run', 'model', 'text', '''gd'''),
  ('delete_run', 'run', 'int4', '(SELECT min(run) FROM mixmodel.runs WHERE model = ''gd'')'),
  ('drop_schedule', 'model', 'text', '''gd'''), ('check_drift', 'model', 'text', '''gd'''),
  ('_audit_model', 'action', 'text', '''update'''),
  ('drop_plan', 'name', 'text', '''gp'''), ('rename_plan', 'name', 'text', '''gp'''),
  ('rename_plan', 'new_name', 'text', '''gp_renamed'''),
  ('_drop_dependent_plans', 'plans', 'text[]', 'ARRAY[''gp'']'),
  ('_drop_dependent_plans', 'what', 'text', '''model "gm"'''), ('_drop_dependent_plans', 'caller', 'text', '''drop_model'''),
  ('chart_compare_plans', 'a', 'text', '''gp'''), ('chart_compare_plans', 'b', 'text', '''gp2'''),
  ('_report_plan_section', 'compare_to', 'text', '''gp2''');

-- the report's charts: their data as the report passes it, and small consistent SVG inputs
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('_chart_roi', 'performance', 'jsonb', '(SELECT mixmodel._report_performance(''gm''))'),
  ('_chart_shares', 'performance', 'jsonb', '(SELECT mixmodel._report_performance(''gm''))'),
  ('_chart_response', 'curves', 'jsonb', '(SELECT mixmodel._report_curves(''gm''))'),
  ('_chart_response', 'kpi', 'text', '''revenue'''),
  ('_svg_time', 'periods', 'date[]', '''{2024-01-01, 2024-01-08, 2024-01-15}'''),
  ('_svg_time', 'series', 'text[]', '''{base, tv}'''), ('_svg_time', 'series_panels', 'int4[]', '''{1, 1}'''),
  ('_svg_time', 'series_styles', 'text[]', '''{area, line}'''), ('_svg_time', 'series_colors', 'int4[]', '''{-1, 0}'''),
  ('_svg_time', 'vals', 'float8[]', '''{5, 6, 7, 1, 2, 3}'''), ('_svg_time', 'panel_labels', 'text[]', '''{revenue}'''),
  ('_svg_time', 'panel_formats', 'text[]', '''{number}'''), ('_svg_time', 'panel_zero', 'bool[]', '''{true}'''),
  ('_svg_time', 'shade_from', 'date', '''2024-01-08'''), ('_svg_time', 'shade_label', 'text', '''holdout'''),
  ('_svg_bars', 'categories', 'text[]', '''{tv, search}'''), ('_svg_bars', 'series', 'text[]', '''{roi}'''),
  ('_svg_bars', 'vals', 'float8[]', '''{1.5, 2.5}'''), ('_svg_bars', 'lower', 'float8[]', '''{1, 2}'''),
  ('_svg_bars', 'upper', 'float8[]', '''{2, 3}'''), ('_svg_bars', 'category_colors', 'int4[]', '''{0, 1}'''),
  ('_svg_bars', 'series_colors', 'int4[]', 'NULL'),
  ('_svg_waterfall', 'labels', 'text[]', '''{base, tv, search}'''), ('_svg_waterfall', 'vals', 'float8[]', '''{100, 20, 10}'''),
  ('_svg_waterfall', 'colors', 'int4[]', '''{-1, 0, 1}'''), ('_svg_waterfall', 'total_label', 'text', '''total'''),
  ('_svg_curves', 'panel_names', 'text[]', '''{tv}'''), ('_svg_curves', 'curve_names', 'text[]', '''{tv}'''),
  ('_svg_curves', 'curve_panels', 'int4[]', '''{1}'''), ('_svg_curves', 'curve_colors', 'int4[]', '''{0}'''),
  ('_svg_curves', 'curve_lengths', 'int4[]', '''{3}'''), ('_svg_curves', 'x', 'float8[]', '''{0, 1, 2}'''),
  ('_svg_curves', 'y', 'float8[]', '''{0, 1, 1.5}'''), ('_svg_curves', 'marker_curves', 'int4[]', '''{1}'''),
  ('_svg_curves', 'marker_kinds', 'int4[]', '''{1}'''), ('_svg_curves', 'marker_x', 'float8[]', '''{1}'''),
  ('_svg_curves', 'marker_y', 'float8[]', '''{1}'''), ('_svg_curves', 'kind_names', 'text[]', '''{current}'''),
  ('_svg_curves', 'kind_shapes', 'text[]', '''{dot}''');

-- the Bayesian model gb (test/garden/setup.sql): arguments captured from its training,
-- curve and plan, and its training arrays as _model_fit_bayes passes them
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT fname, argname, typ, lit FROM garden.captured;
INSERT INTO garden.normal (fname, argname, typ, expr)
SELECT 'train_bayes_core', v.argname, v.typ::regtype, format('(SELECT %s FROM garden.inputs_b)', v.expr)
  FROM (VALUES ('y', 'float8[]', 'mixmodel._jf(i->''y'')'), ('x', 'float8[]', 'mixmodel._jf(i->''x'')'),
               ('spend', 'float8[]', 'mixmodel._jf(i->''spend'')'), ('channels', 'text[]', 'mixmodel._jt(i->''channels'')'),
               ('paid', 'int4[]', 'ARRAY(SELECT e.v::boolean::int FROM jsonb_array_elements_text(i->''paid'') WITH ORDINALITY e(v, k) ORDER BY e.k)'),
               ('adstock', 'text[]', 'mixmodel._jt(i->''adstock'')'), ('max_lag', 'int4[]', 'mixmodel._ji(i->''max_lag'')'),
               ('normalize_flags', 'int4[]', 'mixmodel._ji(i->''normalize'')'), ('saturation', 'text[]', 'mixmodel._jt(i->''saturation'')'),
               ('z', 'float8[]', 'mixmodel._jf(i->''z'')'), ('zsign', 'int4[]', 'mixmodel._ji(i->''zsign'')'),
               ('t0', 'int4', '(i->>''t0'')::int'), ('n_train', 'int4', '(i->>''n_train'')::int'), ('form', 'text', 'i->>''form'''),
               ('prior_kind', 'text[]', 'mixmodel._jt(i->''prior_kind'')'), ('prior_a', 'float8[]', 'mixmodel._jf(i->''prior_a'')'),
               ('prior_b', 'float8[]', 'mixmodel._jf(i->''prior_b'')'), ('prior_lo', 'float8[]', 'mixmodel._jf(i->''prior_lo'')'),
               ('prior_hi', 'float8[]', 'mixmodel._jf(i->''prior_hi'')'), ('prior_name', 'text[]', 'mixmodel._jt(i->''prior_name'')'),
               ('roi', 'int4[]', 'mixmodel._ji(i->''roi'')'), ('share_prior', 'float8[]', 'mixmodel._jf(i->''share_prior'')'),
               ('share_sd', 'float8[]', 'mixmodel._jf(i->''share_sd'')'),
               ('exp_channel', 'int4[]', 'coalesce(mixmodel._ji(i->''exp_channel''), ''{}'')'),
               ('exp_r0', 'int4[]', 'coalesce(mixmodel._ji(i->''exp_r0''), ''{}'')'),
               ('exp_r1', 'int4[]', 'coalesce(mixmodel._ji(i->''exp_r1''), ''{}'')'),
               ('exp_lift', 'float8[]', 'coalesce(mixmodel._jf(i->''exp_lift''), ''{}'')'),
               ('exp_scale', 'float8[]', 'coalesce(mixmodel._jf(i->''exp_scale''), ''{}'')'),
               ('exp_se', 'float8[]', 'coalesce(mixmodel._jf(i->''exp_se''), ''{}'')'),
               ('globals', 'float8[]', 'mixmodel._jf(i->''globals'')'), ('sampler', 'int4[]', 'mixmodel._ji(i->''sampler'')'),
               ('target_accept', 'float8', '(i->>''target_accept'')::float8'), ('level', 'float8', '(i->>''interval'')::float8'),
               ('seed', 'int8', '1'), ('model', 'text', 'NULL'), ('run', 'int4', 'NULL')) v(argname, typ, expr);
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('_model_fit_bayes', 'i', 'jsonb', '(SELECT i FROM garden.inputs_b)'), ('_model_fit_bayes', 'seed', 'int8', '1'),
  ('_model_fit_bayes', 'model', 'text', 'NULL'), ('_model_fit_bayes', 'run', 'int4', 'NULL'),
  ('_model_write_posterior', 'r', 'jsonb', '(SELECT r FROM garden.fit_b)'),
  ('_run_channel_draws', 'model', 'text', '''gb'''), ('_run_level', 'model', 'text', '''gb'''),
  ('_run_channel_draws', 'run', 'int4', '(SELECT run FROM garden.chb LIMIT 1)'),
  ('_run_level', 'run', 'int4', '(SELECT run FROM garden.chb LIMIT 1)'),
  ('_adstock_band', 'adstock', 'text', '(SELECT adstock FROM garden.chb WHERE position = 1)'),
  ('_adstock_band', 'max_lag', 'int4', '(SELECT max_lag FROM garden.chb WHERE position = 1)'),
  ('_adstock_band', 'normalize_weights', 'bool', '(SELECT adstock_normalize FROM garden.chb WHERE position = 1)'),
  ('_adstock_band', 'params', 'float8[]', '(SELECT mixmodel._run_channel_draws(model, run, channel) FROM garden.chb WHERE position = 1)'),
  ('_adstock_band', 'lags', 'int4', '10'), ('_adstock_band', 'level', 'float8', '0.9');
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('_prior_spec', 'v', 'jsonb', '''{"beta": [6, 4]}'''), ('_prior_spec', 'parameter', 'text', '''theta'''),
  ('_prior_spec', 'kind', 'text', '''beta'''), ('_prior_spec', 'a', 'float8', '3'), ('_prior_spec', 'b', 'float8', '3'),
  ('_prior_spec', 'lo', 'float8', '0'), ('_prior_spec', 'hi', 'float8', '1');

-- the geo stage (doc/geo.md): the geo model ggeo's run and inputs; the core on a small valid panel
-- (2 geos, 1 channel, 30 weeks)
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('_geo_train', 'model', 'text', '''ggeo'''),
  ('_geo_train', 'run', 'int4', '(SELECT current_run FROM mixmodel.models WHERE name = ''ggeo'')'),
  ('_geo_train', 'i', 'jsonb', '(SELECT r.inputs FROM mixmodel.runs r JOIN mixmodel.models m ON m.name = r.model AND m.current_run = r.run WHERE r.model = ''ggeo'')'),
  ('_model_check_geo', 'source', 'regclass', '''garden.geo_wide'''),
  ('_model_check_geo', 'options', 'jsonb', '''{"geo": {"column": "geo", "population": "population"}}'''),
  ('_model_check_geo', 'used', 'text[]', 'ARRAY[''week'', ''revenue'', ''tv_spend'']'),
  ('_model_source_sql', 'source', 'regclass', '''garden.geo_wide'''),
  ('_model_source_sql', 'def', 'jsonb', '(SELECT definition FROM mixmodel.models WHERE name = ''ggeo'')'),
  ('_model_source_sql', 'o', 'jsonb', '(SELECT options FROM mixmodel.models WHERE name = ''ggeo'')'),
  ('_geo_fit_core', 'x', 'float8[]', 'ARRAY(SELECT (1 + (k * 7) % 11)::float8 FROM generate_series(1, 60) k)'),
  ('_geo_fit_core', 'y', 'float8[]', 'ARRAY(SELECT (100 + (k * 13) % 17 + k % 5)::float8 FROM generate_series(1, 60) k)'),
  ('_geo_fit_core', 'z', 'float8[]', '''{}'''), ('_geo_fit_core', 'scale', 'float8[]', '''{2, 2}'''),
  ('_geo_fit_core', 'dims', 'int4[]', '''{2, 1, 0, 30, 0, 30, 30}'''),
  ('_geo_fit_core', 'adstock', 'text[]', '''{geometric}'''), ('_geo_fit_core', 'max_lag', 'int4[]', '''{2}'''),
  ('_geo_fit_core', 'adstock_normalize', 'int4[]', '''{1}'''), ('_geo_fit_core', 'saturation', 'text[]', '''{hill}'''),
  ('_geo_fit_core', 'input_scale', 'float8[]', '''{5}'''), ('_geo_fit_core', 'point', 'float8[]', '''{0.5, 0, 1, 1, 20}'''),
  ('_geo_fit_core', 'draws', 'float8[]', '''{0.5, 0, 1, 1, 20, 0.4, 0, 1.2, 1, 25}'''),
  ('_geo_fit_core', 'level', 'float8', '0.9'), ('_geo_fit_core', 'seed', 'int8', '1'),
  ('_geo_fit_core', 'tau_floor', 'float8', '0.01');

-- a geo's curve and a plan over geos x channels of ggeo; the rows of a national curve from gm's inputs
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('geo_response_curve', 'model', 'text', '''ggeo'''), ('geo_response_curve', 'geo', 'text', '''north'''),
  ('geo_plan', 'model', 'text', '''ggeo'''), ('geo_plan', 'budget', 'float8', '1000'),
  ('_geo_channel', 'model', 'text', '''ggeo'''), ('_geo_channel', 'geo', 'text', '''north'''),
  ('_geo_channel', 'run', 'int4', '(SELECT current_run FROM mixmodel.models WHERE name = ''ggeo'')'),
  ('_response_curve_rows', 'form', 'text', '(SELECT form FROM garden.rin WHERE position = 1)'),
  ('_response_curve_rows', 'ch', 'mixmodel.run_channels', '(SELECT ch FROM garden.rin WHERE position = 1)'),
  ('_response_curve_rows', 'x', 'float8[]', '(SELECT x FROM garden.rin WHERE position = 1)'),
  ('_response_curve_rows', 'start', 'int4', '(SELECT start FROM garden.rin WHERE position = 1)'),
  ('_response_curve_rows', 'len', 'int4', '(SELECT len FROM garden.rin WHERE position = 1)'),
  ('_response_curve_rows', 'yhat', 'float8[]', '(SELECT yhat FROM garden.rin WHERE position = 1)'),
  ('_response_curve_rows', 'current_spend', 'float8', '(SELECT current_spend FROM garden.rin WHERE position = 1)'),
  ('_response_curve_rows', 'revenue_per_kpi', 'float8', '1'), ('_response_curve_rows', 'draws', 'float8[]', 'NULL'),
  ('_response_curve_rows', 'level', 'float8', 'NULL'),
  ('_check_curve_grid', 'grid_points', 'int4', '31'), ('_check_curve_grid', 'max_multiple', 'float8', '3');

-- the scale stage: a wide source read as train reads it, a harmonized factor of the owner who
-- synced it, regression-statistics states from the real aggregate over the garden's source
INSERT INTO garden.normal (fname, argname, typ, expr) VALUES
  ('_wide_source_arrays', 'def', 'jsonb', '(SELECT definition FROM mixmodel.models WHERE name = ''gm'')'),
  ('_wide_source_arrays', 'o', 'jsonb', '(SELECT options FROM mixmodel.models WHERE name = ''gm'')'),
  ('_wide_source_list', 'columns', 'jsonb', '(SELECT definition->''media'' FROM mixmodel.models WHERE name = ''gm'')'),
  ('_wide_source_list', 'spend_columns', 'jsonb', 'NULL'),
  ('_factor_series', 'name', 'text', '''price_index'''),
  ('_factor_series', 'owner', 'regrole', 'current_user::regrole'),
  ('regression_stats_accum', 'x', 'float8[]', 'ARRAY[700.0, 300.0]'),
  ('regression_stats_accum', 'state', 'float8[]',
   '(SELECT mixmodel.regression_stats(revenue, ARRAY[tv_spend, search_spend]) FROM gr.weekly_wide)'),
  ('regression_stats_combine', 'state1', 'float8[]',
   '(SELECT mixmodel.regression_stats(revenue, ARRAY[tv_spend, search_spend]) FROM gr.weekly_wide WHERE week < ''2024-01-01'')'),
  ('regression_stats_combine', 'state2', 'float8[]',
   '(SELECT mixmodel.regression_stats(revenue, ARRAY[tv_spend, search_spend]) FROM gr.weekly_wide WHERE week >= ''2024-01-01'')'),
  ('regression_solve', 'state', 'float8[]',
   '(SELECT mixmodel.regression_stats(revenue, ARRAY[tv_spend, search_spend]) FROM gr.weekly_wide)');
