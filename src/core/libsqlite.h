/*
 * libsqlite.h - SQLite, opened when first needed.
 *
 * Only the commands that write or read a case database call SQLite, so it
 * is not linked (its relocations cost every rift start about 0.15 ms):
 * src/store/ includes this header instead of <sqlite3.h> and calls through
 * a table filled on the first call (RIFT_DLIB_TABLE, core/dlib.h), with
 * SQLite's own prototypes.  A function not in RIFT_SQLITE_SYMS fails to
 * link: add it to the list and to the #defines.
 */
#ifndef RIFT_LIBSQLITE_H
#define RIFT_LIBSQLITE_H

#include <sqlite3.h>

#include "core/dlib.h"

#define RIFT_SQLITE_SYMS(X) \
  X(sqlite3_bind_double) X(sqlite3_bind_int64) X(sqlite3_bind_null) \
  X(sqlite3_bind_text) X(sqlite3_busy_timeout) X(sqlite3_changes) \
  X(sqlite3_close) X(sqlite3_close_v2) X(sqlite3_column_bytes) \
  X(sqlite3_column_int) X(sqlite3_column_int64) X(sqlite3_column_text) \
  X(sqlite3_column_type) X(sqlite3_config) X(sqlite3_errmsg) \
  X(sqlite3_exec) X(sqlite3_extended_result_codes) X(sqlite3_finalize) \
  X(sqlite3_free) X(sqlite3_last_insert_rowid) X(sqlite3_open_v2) \
  X(sqlite3_prepare_v2) X(sqlite3_prepare_v3) X(sqlite3_reset) \
  X(sqlite3_step)

RIFT_DLIB_TABLE(libsqlite, RIFT_SQLITE_SYMS)

#ifndef RIFT_LIBSQLITE_TABLE
#define sqlite3_bind_double (*rift_libsqlite()->sqlite3_bind_double)
#define sqlite3_bind_int64 (*rift_libsqlite()->sqlite3_bind_int64)
#define sqlite3_bind_null (*rift_libsqlite()->sqlite3_bind_null)
#define sqlite3_bind_text (*rift_libsqlite()->sqlite3_bind_text)
#define sqlite3_busy_timeout (*rift_libsqlite()->sqlite3_busy_timeout)
#define sqlite3_changes (*rift_libsqlite()->sqlite3_changes)
#define sqlite3_close (*rift_libsqlite()->sqlite3_close)
#define sqlite3_close_v2 (*rift_libsqlite()->sqlite3_close_v2)
#define sqlite3_column_bytes (*rift_libsqlite()->sqlite3_column_bytes)
#define sqlite3_column_int (*rift_libsqlite()->sqlite3_column_int)
#define sqlite3_column_int64 (*rift_libsqlite()->sqlite3_column_int64)
#define sqlite3_column_text (*rift_libsqlite()->sqlite3_column_text)
#define sqlite3_column_type (*rift_libsqlite()->sqlite3_column_type)
#define sqlite3_config (*rift_libsqlite()->sqlite3_config)
#define sqlite3_errmsg (*rift_libsqlite()->sqlite3_errmsg)
#define sqlite3_exec (*rift_libsqlite()->sqlite3_exec)
#define sqlite3_extended_result_codes (*rift_libsqlite()->sqlite3_extended_result_codes)
#define sqlite3_finalize (*rift_libsqlite()->sqlite3_finalize)
#define sqlite3_free (*rift_libsqlite()->sqlite3_free)
#define sqlite3_last_insert_rowid (*rift_libsqlite()->sqlite3_last_insert_rowid)
#define sqlite3_open_v2 (*rift_libsqlite()->sqlite3_open_v2)
#define sqlite3_prepare_v2 (*rift_libsqlite()->sqlite3_prepare_v2)
#define sqlite3_prepare_v3 (*rift_libsqlite()->sqlite3_prepare_v3)
#define sqlite3_reset (*rift_libsqlite()->sqlite3_reset)
#define sqlite3_step (*rift_libsqlite()->sqlite3_step)
#endif

#endif
