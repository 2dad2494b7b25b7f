-- Shared by bench/markov.sql: one order (:o) and null state (:null_state) against bench/markov_reference.py.
CREATE OR REPLACE TEMP VIEW markov_ours AS
SELECT channel, removal_effect, removal_effect_value, conversions, revenue
  FROM mixmodel.markov_attribution('pathdata', 'path', 'conversions', 'value', 'nulls', "order" => :o, use_null => :null_state);
\copy (SELECT * FROM markov_ours) TO '/tmp/mixmodel_markov_check.csv' WITH (FORMAT csv, DELIMITER ';')
\set cmp `/usr/bin/python3 bench/markov_reference.py --compare /tmp/mixmodel_markov_check.csv "${MM_PATHDATA:-/work/shared/data/attribution/channelattribution/PathData.csv}" :o :null_state`
\echo 'markov check: PathData, order' :o ', null state' :null_state ':' :cmp
