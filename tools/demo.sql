-- mixmodel demo: the workflow on generated data.  Run by tools/demo.
\pset footer off
CREATE EXTENSION mixmodel;
SELECT mixmodel.version() AS mixmodel_version;
