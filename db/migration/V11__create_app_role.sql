-- The role the console runs with (granted to its runtime login; migrations run as the owner). It
-- may read and append to the audit history but never rewrite it: besides the trigger of V2, the
-- database refuses UPDATE, DELETE and TRUNCATE on audit_events to it for lack of privilege.
-- Creating it needs CREATEROLE; a DBA may create it beforehand (CREATE ROLE eks_console_app NOLOGIN).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eks_console_app') THEN
        CREATE ROLE eks_console_app NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- another database of the same server created it at the same moment
END
$$;

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO eks_console_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${flyway:defaultSchema} TO eks_console_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${flyway:defaultSchema} TO eks_console_app;
-- Tables and sequences later migrations create get the same rights; append-only ones revoke theirs.
ALTER DEFAULT PRIVILEGES IN SCHEMA ${flyway:defaultSchema}
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO eks_console_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA ${flyway:defaultSchema}
    GRANT USAGE, SELECT ON SEQUENCES TO eks_console_app;

REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM eks_console_app;
-- The migration history is the owner's business alone.
REVOKE ALL ON ${flyway:table} FROM eks_console_app;
