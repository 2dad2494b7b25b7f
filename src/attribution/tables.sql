-- attribution: configurations, runs and their result tables (doc/attribution.md)

CREATE TABLE mixmodel.attributions (
    name          text PRIMARY KEY,
    id            integer GENERATED ALWAYS AS IDENTITY UNIQUE,
    source        regclass NOT NULL,
    conversion    text NOT NULL,
    touchpoints   text[] NOT NULL,
    person_column name NOT NULL,
    time_column   name NOT NULL,
    lookback      text NOT NULL,
    models        text[] NOT NULL,
    options       jsonb NOT NULL DEFAULT '{}',
    current_run   integer,
    created_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    owner         regrole NOT NULL DEFAULT CAST(pg_catalog.quote_ident(CURRENT_USER) AS pg_catalog.regrole)
);
COMMENT ON TABLE mixmodel.attributions IS 'Event-level attribution configurations: an event table, its person and time columns, the conversion and touchpoints whose rules turn rows into conversions and touches, the lookback, the models and their options.';
COMMENT ON COLUMN mixmodel.attributions.lookback IS 'an interval of 1 day to 52 weeks before each conversion, or session';
COMMENT ON COLUMN mixmodel.attributions.current_run IS 'the last run, whose rows mixmodel.event_scores holds';
COMMENT ON COLUMN mixmodel.attributions.owner IS 'role owning the attribution, its runs and their scores (doc/access.md): the role that created it';
COMMENT ON COLUMN mixmodel.attributions.id IS 'number of the attribution: its event scores are the partition mixmodel.event_scores_<id>';
COMMENT ON SEQUENCE mixmodel.attributions_id_seq IS 'numbers of the attributions (attributions.id)';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.attributions', '');

CREATE TABLE mixmodel.attribution_runs (
    attribution     text NOT NULL REFERENCES mixmodel.attributions (name) ON UPDATE CASCADE ON DELETE CASCADE,
    run             integer NOT NULL,
    from_time       timestamptz NOT NULL,
    to_time         timestamptz NOT NULL,
    events          bigint NOT NULL,
    persons         bigint NOT NULL,
    touches         bigint NOT NULL,
    conversions     bigint NOT NULL,
    conversions_none bigint NOT NULL,
    revenue         float8,
    non_converting  bigint NOT NULL,
    algorithmic     jsonb,
    config          jsonb NOT NULL,
    started_at      timestamptz NOT NULL,
    elapsed_ms      float8 NOT NULL,
    PRIMARY KEY (attribution, run)
);
COMMENT ON TABLE mixmodel.attribution_runs IS 'Runs of each attribution, numbered from 1: the range, counts of events, persons, touches, conversions (with the ones without a touch in their window), non-converting journeys, the algorithmic model''s fit and the resolved configuration. A failed run writes nothing.';
COMMENT ON COLUMN mixmodel.attribution_runs.conversions_none IS 'conversions with no touch in their lookback window (credited to channel none)';
COMMENT ON COLUMN mixmodel.attribution_runs.non_converting IS 'non-converting journeys (the Markov null state and the survival model''s non-converting days come from them)';
COMMENT ON COLUMN mixmodel.attribution_runs.algorithmic IS 'fit of the algorithmic model: beta0, theta per channel and lag bucket, iterations, passes over the data, loss, Newton decrement';
SELECT pg_catalog.pg_extension_config_dump('mixmodel.attribution_runs', '');

CREATE TABLE mixmodel.event_scores (
    attribution      text NOT NULL,
    run              integer NOT NULL,
    model            text NOT NULL,
    conversion_id    bigint NOT NULL,
    conversion_event text,
    conversion_time  timestamptz NOT NULL,
    person           text NOT NULL,
    touch_event      text,
    touch_time       timestamptz,
    channel          text NOT NULL,
    touch_key        text,
    campaign         text,
    journey          text,
    message          text,
    position         text NOT NULL,
    touch_index      integer,
    path_length      integer NOT NULL,
    lag_days         float8,
    credit           float8 NOT NULL,
    revenue_credit   float8
) PARTITION BY LIST (attribution);
CREATE INDEX event_scores_run ON mixmodel.event_scores (attribution, run, model);
COMMENT ON TABLE mixmodel.event_scores IS 'Event-level scores of the current run of each attribution: one row per conversion x touch x model with its credit (share of the conversion) and revenue credit; rows with zero credit are left out. A conversion''s rows of one model sum to 1 (participation: its number of distinct channels). Partitioned by attribution (create_attribution adds event_scores_<id>), so a rerun replaces its rows by a truncation.';
COMMENT ON COLUMN mixmodel.event_scores.conversion_id IS 'number of the conversion in the run (in order of person, time, event)';
COMMENT ON COLUMN mixmodel.event_scores.conversion_event IS 'the conversion row''s event column (option event_column), as text';
COMMENT ON COLUMN mixmodel.event_scores.person IS 'the person column, as text';
COMMENT ON COLUMN mixmodel.event_scores.channel IS 'touchpoint name; none for a conversion without a touch in its window; baseline for the share of algorithmic_incremental the baseline takes';
COMMENT ON COLUMN mixmodel.event_scores.touch_key IS 'what the path models count as one channel: the touchpoint, or touchpoint/dimension values (option key)';
COMMENT ON COLUMN mixmodel.event_scores.position IS 'starter (first of several touches), player (middle), closer (last, or the only touch), none';
COMMENT ON COLUMN mixmodel.event_scores.lag_days IS 'conversion time minus touch time, in days';
COMMENT ON COLUMN mixmodel.event_scores.credit IS 'share of the conversion credited to the touch';
COMMENT ON COLUMN mixmodel.event_scores.revenue_credit IS 'credit x the conversion''s revenue (NULL for a conversion without revenue)';

CREATE TABLE mixmodel.attribution_channels (
    attribution  text NOT NULL,
    run          integer NOT NULL,
    model        text NOT NULL,
    channel      text NOT NULL,
    touches      bigint NOT NULL,
    conversions  float8 NOT NULL,
    revenue      float8,
    starter      float8 NOT NULL,
    player       float8 NOT NULL,
    closer       float8 NOT NULL,
    PRIMARY KEY (attribution, run, model, channel),
    FOREIGN KEY (attribution, run) REFERENCES mixmodel.attribution_runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.attribution_channels IS 'Credit per channel and model of every run (kept when a later run replaces the event scores): touches credited, conversions and revenue attributed, and the conversions credited as starter, player and closer.';

CREATE TABLE mixmodel.attribution_paths (
    attribution     text NOT NULL,
    run             integer NOT NULL,
    path            text NOT NULL,
    channels        integer NOT NULL,
    conversions     float8 NOT NULL,
    revenue         float8,
    non_conversions float8 NOT NULL,
    PRIMARY KEY (attribution, run, path),
    FOREIGN KEY (attribution, run) REFERENCES mixmodel.attribution_runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.attribution_paths IS 'The path table of a run, shaped like ChannelAttribution''s: path (touch keys joined by '' > '', after the transforms), its number of distinct channels, conversions, revenue and non-converting journeys; the input of the Markov and Shapley models.';

CREATE TABLE mixmodel.attribution_touchpoints (
    attribution          text NOT NULL,
    run                  integer NOT NULL,
    channel              text NOT NULL,
    touches              bigint NOT NULL,
    converting_paths     bigint NOT NULL,
    non_converting_paths bigint,
    converting_share     float8,
    non_converting_share float8,
    conversion_rate      float8,
    removal_effect       float8,
    incremental_per_touch float8,
    efficiency           integer,
    PRIMARY KEY (attribution, run, channel),
    FOREIGN KEY (attribution, run) REFERENCES mixmodel.attribution_runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.attribution_touchpoints IS 'Touchpoint effectiveness of a run (Adobe''s Diagnostics table): touches on converting and non-converting paths, the share of converting and of non-converting paths the touch key is on, the conversion rate of the paths it is on, its Markov removal effect, its algorithmic incremental conversions per touch and an efficiency score 1-5.';
COMMENT ON COLUMN mixmodel.attribution_touchpoints.channel IS 'touch key (the touchpoint, or touchpoint/dimension values)';
COMMENT ON COLUMN mixmodel.attribution_touchpoints.non_converting_paths IS 'non-converting journeys with the key; NULL when the run has none (they are built for the Markov null state, the conversion-rate Shapley value, or option non_converting)';
COMMENT ON COLUMN mixmodel.attribution_touchpoints.efficiency IS '1 + 4 x (incremental_per_touch - least) / (most - least) over the run''s touch keys, rounded; NULL without the algorithmic model';

CREATE TABLE mixmodel.attribution_scaling (
    attribution      text NOT NULL,
    run              integer NOT NULL,
    model            text NOT NULL,
    model_run        integer NOT NULL,
    channel          text NOT NULL,
    model_channel    text NOT NULL,
    period           date NOT NULL,
    spend            float8,
    mmm_contribution float8 NOT NULL,
    event_credit     float8 NOT NULL,
    factor           float8,
    PRIMARY KEY (attribution, run, model, channel, period),
    FOREIGN KEY (attribution, run) REFERENCES mixmodel.attribution_runs ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE mixmodel.attribution_scaling IS 'Unified measurement, MMM to MTA: per channel and MMM period, the model channel''s spend (NULL when not paid), the marketing-mix model''s contribution, the event-level incremental credit of the conversions in that period (in the model''s KPI unit) and the factor that rescales the event scores to the contribution (NULL when no event credit can carry a contribution).';
