-- access: the role model's two group roles (doc/access.md).  Roles belong to the cluster,
-- not to a database: the first CREATE EXTENSION creates them, later ones (other databases,
-- a restore) find them; DROP EXTENSION leaves them.  Grant them to login roles:
-- GRANT mixmodel_analyst TO alice; GRANT mixmodel_reader TO dashboard.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'mixmodel_analyst') THEN
        CREATE ROLE mixmodel_analyst NOLOGIN;
        COMMENT ON ROLE mixmodel_analyst IS 'mixmodel: harmonizes, trains, scores and plans; sees and changes only the rows of the roles it has the privileges of (doc/access.md).';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'mixmodel_reader') THEN
        CREATE ROLE mixmodel_reader NOLOGIN;
        COMMENT ON ROLE mixmodel_reader IS 'mixmodel: reads the result views of every owner, changes nothing (doc/access.md).';
    END IF;
END $$;
GRANT USAGE ON SCHEMA mixmodel TO mixmodel_analyst, mixmodel_reader;
