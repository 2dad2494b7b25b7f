/*
 * autonomous.c: one row of mixmodel.audit_log written in a transaction of its
 * own, so that the record of a failed training, scoring or refresh survives
 * the rollback of the transaction that failed.
 *
 * A dynamic background worker does the insert: it connects to the caller's
 * database as the caller's session user (who may log in), takes the caller's
 * current role for the insert (so privileges are the caller's), commits and
 * exits; the caller waits for it.  This needs nothing beyond a worker slot
 * (max_worker_processes): no loopback connection, password or extension.
 * The caller holds no lock the insert needs (audit_log has no foreign keys and
 * takes ids from a sequence), and the worker gives up after lock_timeout in
 * case a caller does (for example, a transaction that is altering the table).
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "postmaster/bgworker.h"
#include "storage/dsm.h"
#include "storage/ipc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

PG_FUNCTION_INFO_V1(audit_autonomous);

PGDLLEXPORT void mm_audit_worker_main(Datum arg);

#define AUDIT_FIELDS 6			/* who, session_who, action, object_type, object_name, details */

typedef struct AuditRequest
{
	Oid			dbid;
	Oid			session_user;
	Oid			current_user;
	int			done;			/* set by the worker after its commit */
	char		error[256];		/* the worker's error message, if any */
	Size		offset[AUDIT_FIELDS];	/* NUL-terminated strings after the header */
} AuditRequest;

void
mm_audit_worker_main(Datum arg)
{
	dsm_segment *seg;
	AuditRequest *req;
	Datum		values[AUDIT_FIELDS];
	Oid			types[AUDIT_FIELDS] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};

	BackgroundWorkerUnblockSignals();
	seg = dsm_attach(DatumGetUInt32(arg));
	if (seg == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("mixmodel audit worker could not attach to its request")));
	req = (AuditRequest *) dsm_segment_address(seg);
	BackgroundWorkerInitializeConnectionByOid(req->dbid, req->session_user, 0);

	for (int i = 0; i < AUDIT_FIELDS; i++)
		values[i] = CStringGetTextDatum((char *) req + req->offset[i]);

	PG_TRY();
	{
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		SetConfigOption("lock_timeout", "5s", PGC_USERSET, PGC_S_SESSION);
		SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION);
		SetUserIdAndSecContext(req->current_user, SECURITY_LOCAL_USERID_CHANGE);
		PushActiveSnapshot(GetTransactionSnapshot());
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute_with_args("INSERT INTO mixmodel.audit_log (who, session_who, action, object_type, object_name, details) "
								  "VALUES ($1, $2, $3, $4, $5, CAST($6 AS pg_catalog.jsonb))",
								  AUDIT_FIELDS, types, values, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "audit insert failed");
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
		req->done = 1;
	}
	PG_CATCH();
	{
		ErrorData  *e;

		MemoryContextSwitchTo(TopMemoryContext);
		e = CopyErrorData();
		strlcpy(req->error, e->message ? e->message : "unknown error", sizeof(req->error));
		PG_RE_THROW();
	}
	PG_END_TRY();
	dsm_detach(seg);
	proc_exit(0);
}

/*
 * _audit_autonomous(action, object_type, object_name, details jsonb) -> boolean:
 * true when the row was committed; false, with a WARNING saying why, when it
 * could not be (no free worker slot, or the insert failed).  Never raises for
 * those: it runs in exception handlers that must re-raise the original error.
 */
Datum
audit_autonomous(PG_FUNCTION_ARGS)
{
	const char *fields[AUDIT_FIELDS];
	Size		size = MAXALIGN(sizeof(AuditRequest));
	dsm_segment *seg;
	AuditRequest *req;
	BackgroundWorker w;
	BackgroundWorkerHandle *handle;
	BgwHandleStatus st;
	pid_t		pid;

	for (int i = 0; i < 3; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("action, object_type and object_name must not be NULL")));
	fields[0] = GetUserNameFromId(GetUserId(), false);
	fields[1] = GetUserNameFromId(GetSessionUserId(), false);
	for (int i = 0; i < 3; i++)
		fields[2 + i] = text_to_cstring(PG_GETARG_TEXT_PP(i));
	fields[5] = PG_ARGISNULL(3) ? "{}" : JsonbToCString(NULL, &PG_GETARG_JSONB_P(3)->root, 0);
	for (int i = 0; i < AUDIT_FIELDS; i++)
		size += strlen(fields[i]) + 1;

	seg = dsm_create(size, 0);
	req = (AuditRequest *) dsm_segment_address(seg);
	memset(req, 0, sizeof(AuditRequest));
	req->dbid = MyDatabaseId;
	req->session_user = GetSessionUserId();
	req->current_user = GetUserId();
	size = MAXALIGN(sizeof(AuditRequest));
	for (int i = 0; i < AUDIT_FIELDS; i++)
	{
		req->offset[i] = size;
		strcpy((char *) req + size, fields[i]);
		size += strlen(fields[i]) + 1;
	}

	memset(&w, 0, sizeof(w));
	w.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	w.bgw_start_time = BgWorkerStart_RecoveryFinished;
	w.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(w.bgw_library_name, BGW_MAXLEN, "mixmodel");
	snprintf(w.bgw_function_name, BGW_MAXLEN, "mm_audit_worker_main");
	snprintf(w.bgw_name, BGW_MAXLEN, "mixmodel audit for PID %d", MyProcPid);
	snprintf(w.bgw_type, BGW_MAXLEN, "mixmodel audit");
	w.bgw_main_arg = UInt32GetDatum(dsm_segment_handle(seg));
	w.bgw_notify_pid = MyProcPid;

	if (!RegisterDynamicBackgroundWorker(&w, &handle))
	{
		dsm_detach(seg);
		ereport(WARNING,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("could not record the %s of %s \"%s\" in mixmodel.audit_log", fields[2], fields[3], fields[4]),
				 errdetail("No background worker slot was free."),
				 errhint("Raise max_worker_processes.")));
		PG_RETURN_BOOL(false);
	}
	st = WaitForBackgroundWorkerStartup(handle, &pid);
	if (st == BGWH_STARTED || st == BGWH_STOPPED)
		st = WaitForBackgroundWorkerShutdown(handle);
	if (st == BGWH_POSTMASTER_DIED)
		ereport(FATAL,
				(errcode(ERRCODE_ADMIN_SHUTDOWN),
				 errmsg("postmaster exited while mixmodel was recording an audit entry")));
	if (!req->done)
	{
		char	   *why = pstrdup(req->error[0] ? req->error : "the worker stopped before committing");

		dsm_detach(seg);
		ereport(WARNING,
				(errmsg("could not record the %s of %s \"%s\" in mixmodel.audit_log", fields[2], fields[3], fields[4]),
				 errdetail("%s", why)));
		PG_RETURN_BOOL(false);
	}
	dsm_detach(seg);
	PG_RETURN_BOOL(true);
}
