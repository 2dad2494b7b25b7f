-- COMMENTs on the table columns that had none (issue 13): every column explains itself in \d+
-- (test/pgtap/01_comments.sql keeps it so).

-- harmonize
COMMENT ON COLUMN mixmodel.fields.name IS 'Field name: the column of mixmodel.harmonized ([a-z_][a-z0-9_]*).';
COMMENT ON COLUMN mixmodel.fields.display_name IS 'Name shown to users (Adobe''s display name).';
COMMENT ON COLUMN mixmodel.fields.category IS 'dimension, metric or derived (computed from other metrics by formula).';
COMMENT ON COLUMN mixmodel.fields.data_type IS 'string or datetime (dimensions); number or currency (metrics and derived fields).';
COMMENT ON COLUMN mixmodel.fields.owner IS 'global (Adobe''s fields: not editable, not deletable) or client (custom fields).';
COMMENT ON COLUMN mixmodel.fields.created_at IS 'When the field was created.';
COMMENT ON COLUMN mixmodel.fields.updated_at IS 'When the field was last changed.';

COMMENT ON COLUMN mixmodel.dataset_rules.name IS 'Dataset name (the dataset column of the harmonized rows).';
COMMENT ON COLUMN mixmodel.dataset_rules.source IS 'Source table.';
COMMENT ON COLUMN mixmodel.dataset_rules.category IS 'summary (aggregate rows), event (one row per event) or factor (Adobe''s factor layout).';
COMMENT ON COLUMN mixmodel.dataset_rules.granularity IS 'Grain of the source rows: day, week, month or year.';
COMMENT ON COLUMN mixmodel.dataset_rules.week_start IS 'First day of this dataset''s weeks (monday .. sunday): daily rows roll into these weeks; weekly rows must fall on this day.';
COMMENT ON COLUMN mixmodel.dataset_rules.date_column IS 'Column with each row''s date (date, timestamp or timestamptz).';
COMMENT ON COLUMN mixmodel.dataset_rules.restatement IS 'aggregate (every row adds) or replace (per key, the row with the latest load time wins).';
COMMENT ON COLUMN mixmodel.dataset_rules.key_columns IS 'Restatement key of replace; NULL: the date column and every column the mappings read (other than metric values and the load time).';
COMMENT ON COLUMN mixmodel.dataset_rules.loaded_at_column IS 'Column with each row''s load time: replace needs it; incremental sync uses it as the high-water mark (else the date column).';
COMMENT ON COLUMN mixmodel.dataset_rules.factor_operator IS 'How factor values combine within a period: avg, sum, min or max.';
COMMENT ON COLUMN mixmodel.dataset_rules.status IS 'draft or active: only active rules are synced.';
COMMENT ON COLUMN mixmodel.dataset_rules.created_at IS 'When the rule was created.';
COMMENT ON COLUMN mixmodel.dataset_rules.updated_at IS 'When the rule was last changed (a change makes the next incremental sync of the dataset a full one).';

COMMENT ON COLUMN mixmodel.merge_preferences.id IS 'Row id.';
COMMENT ON COLUMN mixmodel.merge_preferences.metric IS 'The metric an override applies to; NULL for the default preference.';
COMMENT ON COLUMN mixmodel.merge_preferences.preference IS 'summary (the event rows'' value becomes NULL), event (the summary rows'' does) or sum (both stay).';
COMMENT ON COLUMN mixmodel.merge_preferences.channels IS 'Channels the override applies to (NULL: all).';
COMMENT ON COLUMN mixmodel.merge_preferences.conversion_types IS 'Conversion types the override applies to (NULL: all).';
COMMENT ON COLUMN mixmodel.merge_preferences.updated_at IS 'When the preference was set.';

COMMENT ON COLUMN mixmodel.sync_state.dataset IS 'Dataset rule name.';
COMMENT ON COLUMN mixmodel.sync_state.grain IS 'Harmonized grain the dataset was last synced at.';
COMMENT ON COLUMN mixmodel.sync_state.week_start IS 'Week start the dataset was last synced with.';
COMMENT ON COLUMN mixmodel.sync_state.rule_updated_at IS 'dataset_rules.updated_at at the last sync: a later change forces a full sync of the dataset.';
COMMENT ON COLUMN mixmodel.sync_state.watermark IS 'Highest load time (or date) read by the last sync; incremental syncs read rows above it.';
COMMENT ON COLUMN mixmodel.sync_state.rows_at_mark IS 'Source rows at or below the watermark at the last sync (more later means an overlapping load).';
COMMENT ON COLUMN mixmodel.sync_state.synced_at IS 'When the dataset was last synced.';

COMMENT ON COLUMN mixmodel.touchpoints.name IS 'Touchpoint name (a model''s channel).';
COMMENT ON COLUMN mixmodel.touchpoints.rule IS 'Rule over harmonized dimensions selecting its rows, e.g. channel = tv and geo != ''us east''.';
COMMENT ON COLUMN mixmodel.touchpoints.volume_metric IS 'Metric giving its volume (impressions, clicks, GRPs ...); an unpaid touchpoint enters models by it.';
COMMENT ON COLUMN mixmodel.touchpoints.spend_metric IS 'Metric giving its spend (NULL: not paid); a paid touchpoint enters models by it.';
COMMENT ON COLUMN mixmodel.touchpoints.created_at IS 'When the touchpoint was created.';
COMMENT ON COLUMN mixmodel.touchpoints.updated_at IS 'When the touchpoint was last changed.';

COMMENT ON COLUMN mixmodel.conversions.name IS 'Conversion name (a model''s KPI).';
COMMENT ON COLUMN mixmodel.conversions.rule IS 'Rule over harmonized dimensions selecting its rows, e.g. conversiontype = online.';
COMMENT ON COLUMN mixmodel.conversions.metric IS 'Metric counting conversions (orders, sign-ups ...).';
COMMENT ON COLUMN mixmodel.conversions.revenue_metric IS 'Metric giving their revenue (NULL: count-based; else models are revenue-based).';
COMMENT ON COLUMN mixmodel.conversions.created_at IS 'When the conversion was created.';
COMMENT ON COLUMN mixmodel.conversions.updated_at IS 'When the conversion was last changed.';

-- the harmonized tables: the fixed columns, then one column per field
CREATE FUNCTION mixmodel._field_column_comment(display_name text, category text, data_type text)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    RETURN format('%s: harmonized %s (%s; see mixmodel.fields)%s', display_name, category, data_type,
                  CASE WHEN category = 'dimension' THEN '' ELSE ', NULL where a dataset does not map it' END);
COMMENT ON FUNCTION mixmodel._field_column_comment(text, text, text) IS 'Internal: the COMMENT of the harmonized column of a field (global fields at install, custom fields when add_field adds their column).';

COMMENT ON COLUMN mixmodel.harmonized_source.period IS 'start of the period at the harmonized grain';
COMMENT ON COLUMN mixmodel.harmonized_source.dataset IS 'dataset rule the row comes from';
COMMENT ON COLUMN mixmodel.harmonized_source.category IS 'summary, event or factor';
COMMENT ON COLUMN mixmodel.harmonized_source.date_type IS 'grain of the harmonized data: day, week, month or year';
COMMENT ON COLUMN mixmodel.harmonized_source.last_updated_date IS 'latest load time among the source rows (datasets with a loaded_at column)';
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT t.tbl, x.name, x.display_name, x.category, x.data_type
               FROM mixmodel.fields x, (VALUES ('harmonized'), ('harmonized_source')) t(tbl)
              WHERE EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = ('mixmodel.' || t.tbl)::regclass
                               AND a.attname = x.name AND NOT a.attisdropped)
                AND col_description(('mixmodel.' || t.tbl)::regclass,
                                    (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = ('mixmodel.' || t.tbl)::regclass
                                        AND a.attname = x.name AND NOT a.attisdropped)) IS NULL
    LOOP
        EXECUTE format('COMMENT ON COLUMN mixmodel.%I.%I IS %L', f.tbl, f.name,
                       mixmodel._field_column_comment(f.display_name, f.category, f.data_type));
    END LOOP;
END $$;

-- models and runs
COMMENT ON COLUMN mixmodel.models.name IS 'Model name.';
COMMENT ON COLUMN mixmodel.models.source_kind IS 'wide (a weekly table, Robyn-style) or harmonized (touchpoints, a conversion and factors).';
COMMENT ON COLUMN mixmodel.models.source IS 'The wide table (NULL for harmonized models).';
COMMENT ON COLUMN mixmodel.models.options IS 'Validated model options (doc/model.md).';
COMMENT ON COLUMN mixmodel.models.created_at IS 'When the model was created.';

COMMENT ON COLUMN mixmodel.runs.model IS 'Model name.';
COMMENT ON COLUMN mixmodel.runs.run IS 'Run number, from 1.';
COMMENT ON COLUMN mixmodel.runs.status IS 'succeeded (a failed training writes no run; its failure is in audit_log).';
COMMENT ON COLUMN mixmodel.runs.seed IS 'Seed of the hyperparameter search.';
COMMENT ON COLUMN mixmodel.runs.candidates IS 'Candidates evaluated.';
COMMENT ON COLUMN mixmodel.runs.from_date IS 'First period of the training window.';
COMMENT ON COLUMN mixmodel.runs.to_date IS 'Last period of the training window (holdout included).';
COMMENT ON COLUMN mixmodel.runs.holdout_from IS 'First out-of-sample period (validation or test); NULL without one.';
COMMENT ON COLUMN mixmodel.runs.chosen_candidate IS 'The candidate the run uses (run_candidates; select_candidate changes it).';
COMMENT ON COLUMN mixmodel.runs.lambda_max IS 'Largest ridge penalty of the search (the penalty is a share of it).';
COMMENT ON COLUMN mixmodel.runs.started_at IS 'When the training started.';
COMMENT ON COLUMN mixmodel.runs.elapsed_ms IS 'Training time, milliseconds.';

COMMENT ON COLUMN mixmodel.run_candidates.model IS 'Model name.';
COMMENT ON COLUMN mixmodel.run_candidates.run IS 'Run number.';
COMMENT ON COLUMN mixmodel.run_candidates.candidate IS 'Candidate number within the run''s search.';
COMMENT ON COLUMN mixmodel.run_candidates.front IS 'Pareto front (1: not dominated).';
COMMENT ON COLUMN mixmodel.run_candidates.local IS 'Found by the local pattern search (else by the Sobol sequence).';
COMMENT ON COLUMN mixmodel.run_candidates.chosen IS 'The candidate the run uses.';
COMMENT ON COLUMN mixmodel.run_candidates.nrmse IS 'NRMSE of the candidate on the training rows.';
COMMENT ON COLUMN mixmodel.run_candidates.decomp_rssd IS 'DECOMP.RSSD of the candidate (effect share against spend share of the paid channels).';
COMMENT ON COLUMN mixmodel.run_candidates.prior_distance IS 'Distance of its contribution shares from the priors (NULL without priors).';
COMMENT ON COLUMN mixmodel.run_candidates.mape_lift IS 'MAPE.LIFT against the experiments (NULL without experiments).';
COMMENT ON COLUMN mixmodel.run_candidates.lambda IS 'Ridge penalty of the candidate''s fit.';

COMMENT ON COLUMN mixmodel.run_channels.model IS 'Model name.';
COMMENT ON COLUMN mixmodel.run_channels.run IS 'Run number.';
COMMENT ON COLUMN mixmodel.run_channels.channel IS 'Channel: media or organic column, or touchpoint.';
COMMENT ON COLUMN mixmodel.run_channels.position IS 'Order of the channel in the model (1-based), as in runs.inputs.';
COMMENT ON COLUMN mixmodel.run_channels.paid IS 'Paid channel (spend); false for organic channels.';
COMMENT ON COLUMN mixmodel.run_channels.adstock IS 'geometric, weibull_cdf, weibull_pdf or delayed.';
COMMENT ON COLUMN mixmodel.run_channels.adstock_p1 IS 'geometric: theta; Weibull: shape; delayed: alpha (decay).';
COMMENT ON COLUMN mixmodel.run_channels.adstock_normalize IS 'Adstock weights normalised to sum 1.';
COMMENT ON COLUMN mixmodel.run_channels.saturation IS 'hill, logistic, michaelis_menten, power or tanh.';
COMMENT ON COLUMN mixmodel.run_channels.sat_p1 IS 'hill: alpha; logistic: lambda; michaelis_menten: vmax (1); power: theta; tanh: b (1).';
COMMENT ON COLUMN mixmodel.run_channels.sat_p2 IS 'hill: K; michaelis_menten: K; tanh: c; on the input over input_scale.';
COMMENT ON COLUMN mixmodel.run_channels.input_scale IS 'The adstocked input is divided by this (its maximum over the training window) before saturation.';
COMMENT ON COLUMN mixmodel.run_channels.coef IS 'Coefficient (additive: KPI units; multiplicative: log-KPI units).';
COMMENT ON COLUMN mixmodel.run_channels.spend IS 'Spend over the training rows (exposure media: from the spend column).';
COMMENT ON COLUMN mixmodel.run_channels.contribution IS 'Contribution to the KPI over the training rows.';

COMMENT ON COLUMN mixmodel.run_coefficients.model IS 'Model name.';
COMMENT ON COLUMN mixmodel.run_coefficients.run IS 'Run number.';
COMMENT ON COLUMN mixmodel.run_coefficients.term IS 'Term: (intercept), a channel, trend, season_sin/cos k, holiday or a factor.';
COMMENT ON COLUMN mixmodel.run_coefficients.kind IS 'intercept, channel, organic, trend, season, holiday or factor.';
COMMENT ON COLUMN mixmodel.run_coefficients.coef IS 'Coefficient on the raw scale (log-KPI for multiplicative models).';
COMMENT ON COLUMN mixmodel.run_coefficients.lower IS 'Lower bound it was fitted under (NULL: none).';
COMMENT ON COLUMN mixmodel.run_coefficients.upper IS 'Upper bound it was fitted under (NULL: none).';

COMMENT ON COLUMN mixmodel.run_metrics.model IS 'Model name.';
COMMENT ON COLUMN mixmodel.run_metrics.run IS 'Run number.';
COMMENT ON COLUMN mixmodel.run_metrics.split IS 'train (in sample), validation or test (out of sample).';
COMMENT ON COLUMN mixmodel.run_metrics.n IS 'Periods in the split.';
COMMENT ON COLUMN mixmodel.run_metrics.r2 IS '1 - SSE/SST.';
COMMENT ON COLUMN mixmodel.run_metrics.adj_r2 IS 'Adjusted R2 (Robyn''s convention).';
COMMENT ON COLUMN mixmodel.run_metrics.mape IS 'Mean absolute percentage error, a fraction.';
COMMENT ON COLUMN mixmodel.run_metrics.smape IS 'Symmetric MAPE, range [0, 2].';
COMMENT ON COLUMN mixmodel.run_metrics.rmse IS 'Root mean squared error, KPI units.';
COMMENT ON COLUMN mixmodel.run_metrics.nrmse IS 'RMSE / (max - min) of the KPI in the split.';
COMMENT ON COLUMN mixmodel.run_metrics.decomp_rssd IS 'DECOMP.RSSD (train row only).';
COMMENT ON COLUMN mixmodel.run_metrics.mape_lift IS 'MAPE.LIFT against the experiments (train row only; NULL without experiments).';

COMMENT ON COLUMN mixmodel.run_fit.model IS 'Model name.';
COMMENT ON COLUMN mixmodel.run_fit.run IS 'Run number.';
COMMENT ON COLUMN mixmodel.run_fit.period IS 'Period start.';
COMMENT ON COLUMN mixmodel.run_fit.actual IS 'Observed KPI.';
COMMENT ON COLUMN mixmodel.run_fit.predicted IS 'Fitted KPI.';
COMMENT ON COLUMN mixmodel.run_fit.residual IS 'actual - predicted.';
COMMENT ON COLUMN mixmodel.run_fit.holdout IS 'An out-of-sample row.';

COMMENT ON COLUMN mixmodel.run_decomposition.model IS 'Model name.';
COMMENT ON COLUMN mixmodel.run_decomposition.run IS 'Run number.';
COMMENT ON COLUMN mixmodel.run_decomposition.period IS 'Period start.';
COMMENT ON COLUMN mixmodel.run_decomposition.term IS 'Term, as run_coefficients.term.';
COMMENT ON COLUMN mixmodel.run_decomposition.kind IS 'Kind of the term, as run_coefficients.kind.';
COMMENT ON COLUMN mixmodel.run_decomposition.contribution IS 'The term''s contribution in the period, KPI units.';

COMMENT ON COLUMN mixmodel.run_diagnostics.model IS 'Model name.';
COMMENT ON COLUMN mixmodel.run_diagnostics.run IS 'Run number.';
COMMENT ON COLUMN mixmodel.run_diagnostics.item IS 'condition_number, durbin_watson, kkt_violation, vif, warning_low_spend or warning_zero_effect.';
COMMENT ON COLUMN mixmodel.run_diagnostics.term IS 'Term the item is about ('''' for run-wide items).';
COMMENT ON COLUMN mixmodel.run_diagnostics.value IS 'Value of the item.';
COMMENT ON COLUMN mixmodel.run_diagnostics.message IS 'What the item means or warns of.';

COMMENT ON COLUMN mixmodel.scores.model IS 'Model name.';
COMMENT ON COLUMN mixmodel.scores.run IS 'The scored run.';
COMMENT ON COLUMN mixmodel.scores.period IS 'Period start.';
COMMENT ON COLUMN mixmodel.scores.term IS 'Term, as run_coefficients.term.';
COMMENT ON COLUMN mixmodel.scores.kind IS 'Kind of the term, as run_coefficients.kind.';
