-- model: result views of the current run of each model (contract names)

CREATE VIEW mixmodel.model_metrics WITH (security_invoker = true) AS
SELECT m.name AS model, r.run, r.split, r.n, r.r2, r.adj_r2, r.mape, r.smape, r.rmse, r.nrmse,
       r.decomp_rssd, r.mape_lift
  FROM mixmodel.models m
  JOIN mixmodel.run_metrics r ON r.model = m.name AND r.run = m.current_run;
COMMENT ON VIEW mixmodel.model_metrics IS 'Fit metrics of the current run of each model: in sample (split train), on the validation rows (split validation, option train_size) and on the holdout (split test), formulas §3.';
COMMENT ON COLUMN mixmodel.model_metrics.model IS 'model name';
COMMENT ON COLUMN mixmodel.model_metrics.run IS 'the model''s current run (models.current_run)';
COMMENT ON COLUMN mixmodel.model_metrics.split IS 'train (in sample), validation (Robyn''s time-series split, option train_size) or test (holdout, out of sample)';
COMMENT ON COLUMN mixmodel.model_metrics.n IS 'periods in the split';
COMMENT ON COLUMN mixmodel.model_metrics.r2 IS '1 - SSE/SST';
COMMENT ON COLUMN mixmodel.model_metrics.adj_r2 IS 'adjusted R2, Robyn''s convention (n of the training rows)';
COMMENT ON COLUMN mixmodel.model_metrics.mape IS 'mean absolute percentage error as a fraction (periods with KPI 0 skipped)';
COMMENT ON COLUMN mixmodel.model_metrics.smape IS 'symmetric MAPE, range [0, 2]';
COMMENT ON COLUMN mixmodel.model_metrics.rmse IS 'root mean squared error, KPI units';
COMMENT ON COLUMN mixmodel.model_metrics.nrmse IS 'RMSE / (max - min) of the KPI in the split';
COMMENT ON COLUMN mixmodel.model_metrics.decomp_rssd IS 'Robyn''s DECOMP.RSSD over paid channels (train row only)';
COMMENT ON COLUMN mixmodel.model_metrics.mape_lift IS 'MAPE.LIFT against the experiments (train row only; NULL without experiments)';

CREATE VIEW mixmodel.model_fit WITH (security_invoker = true) AS
SELECT m.name AS model, f.run, f.period, f.actual, f.predicted, f.residual, f.holdout,
       f.lower AS predicted_lower, f.upper AS predicted_upper
  FROM mixmodel.models m
  JOIN mixmodel.run_fit f ON f.model = m.name AND f.run = m.current_run;
COMMENT ON VIEW mixmodel.model_fit IS 'Actual and predicted KPI per period of the training window of the current run of each model.';
COMMENT ON COLUMN mixmodel.model_fit.model IS 'model name';
COMMENT ON COLUMN mixmodel.model_fit.run IS 'the model''s current run (models.current_run)';
COMMENT ON COLUMN mixmodel.model_fit.period IS 'period start';
COMMENT ON COLUMN mixmodel.model_fit.actual IS 'observed KPI';
COMMENT ON COLUMN mixmodel.model_fit.predicted IS 'fitted KPI (multiplicative: exp of the linear predictor, the conditional median)';
COMMENT ON COLUMN mixmodel.model_fit.residual IS 'actual - predicted';
COMMENT ON COLUMN mixmodel.model_fit.holdout IS 'true for the out-of-sample rows';
COMMENT ON COLUMN mixmodel.model_fit.predicted_lower IS 'Bayesian runs: lower end of the credible interval of the expected KPI (NULL otherwise)';
COMMENT ON COLUMN mixmodel.model_fit.predicted_upper IS 'Bayesian runs: upper end of that interval';
