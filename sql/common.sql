-- common: the extension loads and reports its version
SELECT mixmodel.version();
SELECT extversion = mixmodel.version() AS control_matches_sql
  FROM pg_extension WHERE extname = 'mixmodel';
