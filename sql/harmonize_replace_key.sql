-- replace restatement: the default key holds every column the mappings read, case-rule
-- conditions included (issue 13, defect 4); rows of different channels on one day stay
-- apart, and a restated row replaces only its own key
-- (in one transaction, rolled back, so the harmonized state of other tests is untouched)
SET client_min_messages = warning;
BEGIN;
CREATE SCHEMA rk;
CREATE TABLE rk.media (day date, source text, spend float8, loaded_at timestamptz);
INSERT INTO rk.media VALUES ('2024-01-01', 'tv_network', 100, '2024-01-02 06:00+00'),
                            ('2024-01-01', 'google', 50, '2024-01-02 06:00+00'),
                            ('2024-01-02', 'tv_network', 110, '2024-01-03 06:00+00'),
                            ('2024-01-02', 'google', 55, '2024-01-03 06:00+00');
-- the channel comes from a case rule on "source", which no dimension maps
SELECT mixmodel.add_dataset_rule('rk_media', 'rk.media', granularity => 'day', date_column => 'day',
         restatement => 'replace', loaded_at_column => 'loaded_at',
         mappings => '{"dimensions": {"channel": {"default": {"value": "tv"},
                                                  "cases": [{"conditions": [{"column": "source", "op": "equals", "value": "google"}],
                                                             "then": "search"}]}},
                       "metrics": {"spend": {"column": "spend"}}}');
-- the key: the date column and source (the column the case rule reads)
SELECT substring(mixmodel.dataset_rule_sql('rk_media') FROM 'DISTINCT ON \(([^)]*)\)') AS restatement_key;
SELECT dataset, rows_read, rows_written FROM mixmodel.sync();
SELECT period, channel, spend FROM mixmodel.harmonized WHERE dataset = 'rk_media' ORDER BY period, channel;
-- a restatement of google's first day replaces that row only
INSERT INTO rk.media VALUES ('2024-01-01', 'google', 70, '2024-01-05 06:00+00');
SELECT dataset, sync_mode, rows_read, rows_written FROM mixmodel.sync('incremental');
SELECT period, channel, spend FROM mixmodel.harmonized WHERE dataset = 'rk_media' ORDER BY period, channel;
SELECT dataset, rows_read FROM mixmodel.sync();
SELECT period, channel, spend FROM mixmodel.harmonized WHERE dataset = 'rk_media' ORDER BY period, channel;
-- a metric's filter column joins the key too; the value column a metric sums does not
SELECT mixmodel.update_dataset_rule('rk_media', mappings => '{"dimensions": {"channel": {"value": "tv"}},
         "metrics": {"spend": {"column": "spend", "where": {"conditions": [{"column": "source", "op": "not_equals", "value": "google"}]}},
                     "cost": {"column": "spend", "where": {"conditions": [{"column": "spend", "op": "exists"}]}}}}');
SELECT substring(mixmodel.dataset_rule_sql('rk_media') FROM 'DISTINCT ON \(([^)]*)\)') AS restatement_key;
SELECT dataset, rows_read FROM mixmodel.sync();
SELECT period, channel, spend, cost FROM mixmodel.harmonized WHERE dataset = 'rk_media' ORDER BY period, channel;
ROLLBACK;
