-- model: Bayesian inference (issue 11).  Runs record their inference; a Bayesian run has no
-- ridge candidate, lambda or KKT residual; fitted values and decomposition carry intervals.
ALTER TABLE mixmodel.runs ALTER COLUMN chosen_candidate DROP NOT NULL, ALTER COLUMN lambda_max DROP NOT NULL,
    ALTER COLUMN kkt DROP NOT NULL;
ALTER TABLE mixmodel.runs ADD COLUMN inference text NOT NULL DEFAULT 'ridge' CHECK (inference IN ('ridge', 'bayes', 'map'));
-- @altered TABLE mixmodel.runs
ALTER TABLE mixmodel.run_fit ADD COLUMN lower float8, ADD COLUMN upper float8;
-- @altered TABLE mixmodel.run_fit
ALTER TABLE mixmodel.run_decomposition ADD COLUMN lower float8, ADD COLUMN upper float8;
-- @altered TABLE mixmodel.run_decomposition
-- score: response_curve returns intervals (a new result type); the replay recreates it and
-- the views, whose interval columns are not all appended at the end (a view depending on
-- these, made by a user, stops the update: drop it first, recreate it after)
DROP VIEW mixmodel.response_curves;
DROP VIEW mixmodel.channel_performance;
DROP VIEW mixmodel.touchpoint_breakdown;
DROP FUNCTION mixmodel.response_curve(text, text, date, date, int4, float8);
-- a 0.1.0 model was fitted by the ridge search, and its options may name candidates (which
-- Bayesian inference, the default now, refuses): it keeps ridge until its owner says otherwise
UPDATE mixmodel.models SET options = options || '{"inference": "ridge"}' WHERE NOT options ? 'inference';
