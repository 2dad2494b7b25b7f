-- attribution: a COMMENT on every column of the stage's tables and views (\d+ explains each one)

COMMENT ON COLUMN mixmodel.attributions.name IS 'Attribution name.';
COMMENT ON COLUMN mixmodel.attributions.source IS 'The event table (or view): one row per event.';
COMMENT ON COLUMN mixmodel.attributions.conversion IS 'The conversion definition whose rule picks the conversion rows (and whose revenue metric gives their revenue).';
COMMENT ON COLUMN mixmodel.attributions.touchpoints IS 'The touchpoint definitions whose rules pick the touch rows (a row of several: the first listed).';
COMMENT ON COLUMN mixmodel.attributions.person_column IS 'Column identifying the person (or identity) of an event.';
COMMENT ON COLUMN mixmodel.attributions.time_column IS 'Column with the event''s time (timestamptz, timestamp or date; the last two read as UTC).';
COMMENT ON COLUMN mixmodel.attributions.models IS 'Event-level models each run scores.';
COMMENT ON COLUMN mixmodel.attributions.options IS 'Options as given (doc/attribution.md); runs fill in the defaults.';
COMMENT ON COLUMN mixmodel.attributions.created_at IS 'When the attribution was created.';
COMMENT ON COLUMN mixmodel.attributions.updated_at IS 'When it was last run.';

COMMENT ON COLUMN mixmodel.attribution_runs.attribution IS 'Attribution name.';
COMMENT ON COLUMN mixmodel.attribution_runs.run IS 'Run number, from 1.';
COMMENT ON COLUMN mixmodel.attribution_runs.from_time IS 'Start of the range of conversions attributed.';
COMMENT ON COLUMN mixmodel.attribution_runs.to_time IS 'End of the range of conversions attributed.';
COMMENT ON COLUMN mixmodel.attribution_runs.events IS 'Touch and conversion rows read (the range and the lookback before it).';
COMMENT ON COLUMN mixmodel.attribution_runs.persons IS 'Persons with a conversion or a non-converting journey in the range.';
COMMENT ON COLUMN mixmodel.attribution_runs.touches IS 'Touch rows read.';
COMMENT ON COLUMN mixmodel.attribution_runs.conversions IS 'Conversions attributed.';
COMMENT ON COLUMN mixmodel.attribution_runs.revenue IS 'Their revenue (NULL without a revenue column).';
COMMENT ON COLUMN mixmodel.attribution_runs.config IS 'The resolved configuration: models, options with defaults, lookback, source, conversion, touchpoints.';
COMMENT ON COLUMN mixmodel.attribution_runs.started_at IS 'When the run started.';
COMMENT ON COLUMN mixmodel.attribution_runs.elapsed_ms IS 'Wall time of the run.';

COMMENT ON COLUMN mixmodel.event_scores.attribution IS 'Attribution name (the partition key).';
COMMENT ON COLUMN mixmodel.event_scores.run IS 'Run number (the attribution''s current run).';
COMMENT ON COLUMN mixmodel.event_scores.model IS 'Attribution model: first_touch ... algorithmic_incremental, or mmm_calibrated (reconcile_attribution).';
COMMENT ON COLUMN mixmodel.event_scores.conversion_time IS 'Time of the conversion.';
COMMENT ON COLUMN mixmodel.event_scores.touch_event IS 'The touch row''s event column (option event_column), as text; NULL for none and baseline rows.';
COMMENT ON COLUMN mixmodel.event_scores.touch_time IS 'Time of the touch; NULL for none and baseline rows.';
COMMENT ON COLUMN mixmodel.event_scores.campaign IS 'Supplemental id: the touch''s campaign (option dimensions).';
COMMENT ON COLUMN mixmodel.event_scores.journey IS 'Supplemental id: the touch''s journey (option dimensions; Adobe Journey Optimizer).';
COMMENT ON COLUMN mixmodel.event_scores.message IS 'Supplemental id: the touch''s message or action (option dimensions).';
COMMENT ON COLUMN mixmodel.event_scores.touch_index IS 'Position of the touch in the conversion''s path, from 1 (after the transforms).';
COMMENT ON COLUMN mixmodel.event_scores.path_length IS 'Touches in the conversion''s path (0 for a conversion without one).';

COMMENT ON COLUMN mixmodel.attribution_channels.attribution IS 'Attribution name.';
COMMENT ON COLUMN mixmodel.attribution_channels.run IS 'Run number.';
COMMENT ON COLUMN mixmodel.attribution_channels.model IS 'Attribution model.';
COMMENT ON COLUMN mixmodel.attribution_channels.channel IS 'Touchpoint, none or baseline.';
COMMENT ON COLUMN mixmodel.attribution_channels.touches IS 'Touch rows credited.';
COMMENT ON COLUMN mixmodel.attribution_channels.conversions IS 'Conversions attributed (sum of the credits).';
COMMENT ON COLUMN mixmodel.attribution_channels.revenue IS 'Revenue attributed (sum of the revenue credits).';
COMMENT ON COLUMN mixmodel.attribution_channels.starter IS 'Conversions credited to the channel as first of several touches.';
COMMENT ON COLUMN mixmodel.attribution_channels.player IS 'Conversions credited to the channel as a middle touch.';
COMMENT ON COLUMN mixmodel.attribution_channels.closer IS 'Conversions credited to the channel as last or only touch.';

COMMENT ON COLUMN mixmodel.attribution_paths.attribution IS 'Attribution name.';
COMMENT ON COLUMN mixmodel.attribution_paths.run IS 'Run number.';
COMMENT ON COLUMN mixmodel.attribution_paths.path IS 'Touch keys joined by '' > '', after the transforms.';
COMMENT ON COLUMN mixmodel.attribution_paths.channels IS 'Distinct touch keys on the path.';
COMMENT ON COLUMN mixmodel.attribution_paths.conversions IS 'Conversions whose window has this path.';
COMMENT ON COLUMN mixmodel.attribution_paths.revenue IS 'Their revenue.';
COMMENT ON COLUMN mixmodel.attribution_paths.non_conversions IS 'Non-converting journeys with this path (0 when the run builds none).';

COMMENT ON COLUMN mixmodel.attribution_touchpoints.attribution IS 'Attribution name.';
COMMENT ON COLUMN mixmodel.attribution_touchpoints.run IS 'Run number.';
COMMENT ON COLUMN mixmodel.attribution_touchpoints.touches IS 'Touches read (converting and non-converting journeys alike; Adobe''s total volume).';
COMMENT ON COLUMN mixmodel.attribution_touchpoints.converting_paths IS 'Conversions whose window has the key.';
COMMENT ON COLUMN mixmodel.attribution_touchpoints.converting_share IS 'Share of the conversions whose window has the key (Adobe''s paths touched, converting).';
COMMENT ON COLUMN mixmodel.attribution_touchpoints.non_converting_share IS 'Share of the non-converting journeys with the key (Adobe''s paths touched, non-converting); NULL without them.';
COMMENT ON COLUMN mixmodel.attribution_touchpoints.conversion_rate IS 'Converting share of the journeys with the key; NULL without non-converting journeys.';
COMMENT ON COLUMN mixmodel.attribution_touchpoints.removal_effect IS 'The key''s Markov removal effect (with model markov).';
COMMENT ON COLUMN mixmodel.attribution_touchpoints.incremental_per_touch IS 'Algorithmic incremental conversions per touch (with the algorithmic model).';

COMMENT ON COLUMN mixmodel.attribution_scaling.attribution IS 'Attribution name.';
COMMENT ON COLUMN mixmodel.attribution_scaling.run IS 'Attribution run.';
COMMENT ON COLUMN mixmodel.attribution_scaling.model IS 'The marketing-mix model reconciled with.';
COMMENT ON COLUMN mixmodel.attribution_scaling.model_run IS 'Its run used.';
COMMENT ON COLUMN mixmodel.attribution_scaling.channel IS 'Attribution channel (touchpoint).';
COMMENT ON COLUMN mixmodel.attribution_scaling.model_channel IS 'The model''s channel it stands for.';
COMMENT ON COLUMN mixmodel.attribution_scaling.period IS 'The model''s period (first day).';
COMMENT ON COLUMN mixmodel.attribution_scaling.spend IS 'The model channel''s spend in the period (NULL when not paid).';
COMMENT ON COLUMN mixmodel.attribution_scaling.mmm_contribution IS 'The model''s contribution of the channel in the period (KPI units).';
COMMENT ON COLUMN mixmodel.attribution_scaling.event_credit IS 'Event-level credit of the conversions in the period, in the model''s KPI unit, before rescaling.';
COMMENT ON COLUMN mixmodel.attribution_scaling.factor IS 'mmm_contribution / event_credit: what the scores of the channel and period are multiplied by (NULL when event_credit is 0).';

COMMENT ON COLUMN mixmodel.attribution_summary.attribution IS 'Attribution name.';
COMMENT ON COLUMN mixmodel.attribution_summary.run IS 'Its current run.';
COMMENT ON COLUMN mixmodel.attribution_summary.touches IS 'Touch rows credited.';
COMMENT ON COLUMN mixmodel.attribution_summary.conversions IS 'Conversions attributed.';
COMMENT ON COLUMN mixmodel.attribution_summary.revenue IS 'Revenue attributed.';

COMMENT ON COLUMN mixmodel.attribution_top_paths.attribution IS 'Attribution name.';
COMMENT ON COLUMN mixmodel.attribution_top_paths.run IS 'Its current run.';
COMMENT ON COLUMN mixmodel.attribution_top_paths.rank IS 'Rank by conversions (ties: by path).';
COMMENT ON COLUMN mixmodel.attribution_top_paths.conversions IS 'Conversions whose window has the path.';
COMMENT ON COLUMN mixmodel.attribution_top_paths.revenue IS 'Their revenue.';
COMMENT ON COLUMN mixmodel.attribution_top_paths.non_conversions IS 'Non-converting journeys with the path.';
COMMENT ON COLUMN mixmodel.attribution_top_paths.share IS 'Share of the conversions of all paths.';
COMMENT ON COLUMN mixmodel.attribution_top_paths.conversion_rate IS 'conversions / (conversions + non_conversions); NULL when the run has no non-converting journeys.';

COMMENT ON COLUMN mixmodel.attribution_positions.attribution IS 'Attribution name.';
COMMENT ON COLUMN mixmodel.attribution_positions.run IS 'Its current run.';
COMMENT ON COLUMN mixmodel.attribution_positions.model IS 'Attribution model.';
COMMENT ON COLUMN mixmodel.attribution_positions.channel IS 'Touchpoint.';
COMMENT ON COLUMN mixmodel.attribution_positions.starter IS 'Conversions credited as first of several touches.';
COMMENT ON COLUMN mixmodel.attribution_positions.player IS 'Conversions credited as a middle touch.';
COMMENT ON COLUMN mixmodel.attribution_positions.closer IS 'Conversions credited as last or only touch.';
COMMENT ON COLUMN mixmodel.attribution_positions.starter_share IS 'The channel''s share of the model''s starter credit.';
COMMENT ON COLUMN mixmodel.attribution_positions.player_share IS 'The channel''s share of the model''s player credit.';
COMMENT ON COLUMN mixmodel.attribution_positions.closer_share IS 'The channel''s share of the model''s closer credit.';

COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.attribution IS 'Attribution name.';
COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.run IS 'Its current run.';
COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.channel IS 'Touch key.';
COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.touches IS 'Touches read (Adobe''s total volume).';
COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.converting_paths IS 'Conversions whose window has the key.';
COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.non_converting_paths IS 'Non-converting journeys with the key (NULL without them).';
COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.converting_share IS 'Share of the conversions whose window has the key.';
COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.non_converting_share IS 'Share of the non-converting journeys with the key.';
COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.conversion_rate IS 'Converting share of the journeys with the key.';
COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.removal_effect IS 'Markov removal effect.';
COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.incremental_per_touch IS 'Algorithmic incremental conversions per touch.';
COMMENT ON COLUMN mixmodel.touchpoint_effectiveness.efficiency IS 'Efficiency 1-5 (Adobe''s scale): incremental conversions per touch between the least and the most efficient key.';
