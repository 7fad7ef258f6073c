/*
 * store.c - opening a case database, its schema, case information, the
 * inputs (manifest) and the summary queries.  See docs/case-schema.md for
 * the schema as users see it; the column lists live in store-int.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/rtime.h"
#include "store/store-int.h"

#define RIFT_APPLICATION_ID 0x52494654 /* "RIFT" */

static const char *const ev_cols[EVC__COUNT] = {
#define C(n, t) #n,
  STORE_EV_CORE(C)
#undef C
#define F(n, t, id) #n,
  STORE_EV_FIELDS(F)
#undef F
  "fields"
};

static const char *const ev_types[EVC__COUNT] = {
#define C(n, t) t,
  STORE_EV_CORE(C)
#undef C
#define F(n, t, id) t,
  STORE_EV_FIELDS(F)
#undef F
  "TEXT"
};

const char *store_ev_colname(int i)
{
  return ev_cols[i];
}

int store_ev_col_is_int(int i)
{
  return !strcmp(ev_types[i], "INTEGER");
}

static void seterr(char *err, size_t errlen, const char *what, sqlite3 *db)
{
  if(err && errlen)
    snprintf(err, errlen, "%s%s%s", what, db ? ": " : "",
             db ? sqlite3_errmsg(db) : "");
}

rift_err store_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
  char *msg = NULL;
  if(sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    if(err && errlen)
      snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return RIFT_DB;
  }
  return RIFT_OK;
}

/* Every connection belongs to one thread at a time (the writer's to the
 * writer thread, an iterator's to its reader), so SQLite's own locks are
 * not needed; nor is its memory accounting, which takes a global lock on
 * every allocation. */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void config(void)
{
  sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

rift_err store_db_open(sqlite3 **db, const char *path, int readonly,
                       char *err, size_t errlen)
{
  int flags = readonly ? SQLITE_OPEN_READONLY
                       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  *db = NULL;
  pthread_once(&config_once, config);
  if(sqlite3_open_v2(path, db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
     SQLITE_OK) {
    seterr(err, errlen, "cannot open database", *db);
    sqlite3_close(*db);
    *db = NULL;
    return RIFT_DB;
  }
  sqlite3_busy_timeout(*db, 60000);
  sqlite3_extended_result_codes(*db, 1);
  return RIFT_OK;
}

static rift_err create_schema(sqlite3 *db, char *err, size_t errlen)
{
  struct rift_buf q;
  rift_err rc;
  int i;
  rift_buf_init(&q, RIFT_BUF_MAX_LINE);
  rift_buf_addf(&q,
    "PRAGMA application_id=%d;"
    "PRAGMA user_version=%d;"
    "BEGIN;"
    "CREATE TABLE case_info(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE inputs(id INTEGER PRIMARY KEY, path TEXT NOT NULL,"
    " container TEXT, size INTEGER, sha256 TEXT, format TEXT, parser TEXT,"
    " records INTEGER, errors INTEGER, recovered INTEGER, status TEXT,"
    " error TEXT, host TEXT, added INTEGER);"
    "CREATE TABLE input_errors(input_id INTEGER NOT NULL, level TEXT,"
    " offset INTEGER, message TEXT);"
    "CREATE TABLE events(id INTEGER PRIMARY KEY",
    RIFT_APPLICATION_ID, RIFT_STORE_SCHEMA_VERSION);
  for(i = 0; i < EVC__COUNT; i++)
    rift_buf_addf(&q, ", %s %s", ev_cols[i], ev_types[i]);
  rift_buf_adds(&q,
    ");"
    "CREATE TABLE findings(id INTEGER PRIMARY KEY, source TEXT,"
    " rule_id TEXT, rule_name TEXT, level TEXT, severity INTEGER,"
    " techniques TEXT, tags TEXT, ts INTEGER, ts_end INTEGER,"
    " host TEXT COLLATE NOCASE, message TEXT, user_name TEXT,"
    " source_ip TEXT, destination_ip TEXT, process_name TEXT,"
    " process_command_line TEXT, details TEXT);"
    "CREATE TABLE finding_events(finding_id INTEGER NOT NULL,"
    " event_id INTEGER, file_id INTEGER, offset INTEGER,"
    " record_id INTEGER, ts INTEGER);"
    "CREATE VIRTUAL TABLE events_fts USING fts5(message,"
    " process_command_line, content='events', content_rowid='id',"
    " columnsize=0);"
    "CREATE INDEX input_errors_input ON input_errors(input_id);"
    "CREATE INDEX finding_events_finding ON finding_events(finding_id);"
    "CREATE VIEW events_v AS SELECT"
    " strftime('%Y-%m-%dT%H:%M:%f', ts / 1000000000.0, 'unixepoch')"
    " || 'Z' AS time, * FROM events;"
    "CREATE VIEW findings_v AS SELECT f.id AS finding_id, f.level,"
    " f.rule_name, f.rule_id, f.techniques, e.*, i.path AS input_path"
    " FROM findings f JOIN finding_events fe ON fe.finding_id = f.id"
    " LEFT JOIN events_v e ON e.id = fe.event_id"
    " LEFT JOIN inputs i ON i.id = fe.file_id;"
    "COMMIT;");
  if(q.err) {
    rift_buf_release(&q);
    return q.err;
  }
  rc = store_exec(db, q.buf, err, errlen);
  rift_buf_release(&q);
  return rc;
}

rift_err store_create_indexes(sqlite3 *db, char *err, size_t errlen)
{
  return store_exec(db,
    "CREATE INDEX IF NOT EXISTS events_ts ON events(ts);"
    "CREATE INDEX IF NOT EXISTS events_host_ts ON events(host, ts);"
    "CREATE INDEX IF NOT EXISTS events_file ON events(file_id, offset);"
    "CREATE INDEX IF NOT EXISTS events_channel_id ON events(channel,"
    " event_id, ts);"
    "CREATE INDEX IF NOT EXISTS finding_events_event ON"
    " finding_events(event_id);"
    "CREATE INDEX IF NOT EXISTS findings_ts ON findings(ts);",
    err, errlen);
}

static rift_err pragma_int(sqlite3 *db, const char *sql, int64_t *v)
{
  sqlite3_stmt *st;
  rift_err rc = RIFT_DB;
  if(sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    return RIFT_DB;
  if(sqlite3_step(st) == SQLITE_ROW) {
    *v = sqlite3_column_int64(st, 0);
    rc = RIFT_OK;
  }
  sqlite3_finalize(st);
  return rc;
}

static rift_err check_case(struct rift_store *s, struct rift_diag *d)
{
  int64_t app = 0, ver = 0;
  if(pragma_int(s->db, "PRAGMA application_id", &app) ||
     pragma_int(s->db, "PRAGMA user_version", &ver)) {
    snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(s->db));
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_DB, UINT64_MAX,
                     "not a readable database: %s", s->err);
    return RIFT_DB;
  }
  if(app != RIFT_APPLICATION_ID) {
    snprintf(s->err, sizeof(s->err), "not a rift case database");
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_INVALID, UINT64_MAX,
                     "not a rift case database");
    return RIFT_INVALID;
  }
  if(ver > RIFT_STORE_SCHEMA_VERSION) {
    snprintf(s->err, sizeof(s->err), "case schema %lld is newer than %d",
             (long long)ver, RIFT_STORE_SCHEMA_VERSION);
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_UNSUPPORTED, UINT64_MAX,
                     "case schema version %lld is newer than this rift "
                     "reads (%d)", (long long)ver, RIFT_STORE_SCHEMA_VERSION);
    return RIFT_UNSUPPORTED;
  }
  return RIFT_OK;
}

rift_err rift_store_open(struct rift_store **out, const char *path,
                         enum rift_store_mode mode, struct rift_diag *d)
{
  struct rift_store *s;
  struct stat stt;
  rift_err rc;
  int64_t maxid = 0;
  *out = NULL;
  if(mode == RIFT_STORE_CREATE && !stat(path, &stt)) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_EXISTS, UINT64_MAX,
                     "case database already exists");
    return RIFT_EXISTS;
  }
  if(mode != RIFT_STORE_CREATE && stat(path, &stt)) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_NOTFOUND, UINT64_MAX,
                     "no case database: %s", strerror(errno));
    return RIFT_NOTFOUND;
  }
  s = calloc(1, sizeof(*s));
  if(!s)
    return RIFT_NOMEM;
  s->mode = mode;
  s->path = strdup(path);
  if(!s->path) {
    free(s);
    return RIFT_NOMEM;
  }
  rc = store_db_open(&s->db, path, mode == RIFT_STORE_READ, s->err,
                     sizeof(s->err));
  if(rc) {
    rift_diag_report(d, RIFT_DIAG_ERROR, rc, UINT64_MAX, "%s", s->err);
    rift_store_free(&s);
    return rc;
  }
  if(mode == RIFT_STORE_CREATE) {
    /* WAL is switched on when the first load finishes (a bulk load into
     * a new case writes without a journal) or when s is freed */
    rc = store_exec(s->db, "PRAGMA page_size=65536;", s->err, sizeof(s->err));
    if(!rc)
      rc = create_schema(s->db, s->err, sizeof(s->err));
    if(rc)
      rift_diag_report(d, RIFT_DIAG_ERROR, rc, UINT64_MAX,
                       "cannot create the case schema: %s", s->err);
  }
  else {
    rc = check_case(s, d);
  }
  if(!rc && mode == RIFT_STORE_APPEND)
    rc = store_exec(s->db, "PRAGMA journal_mode=WAL;", s->err,
                    sizeof(s->err));
  if(!rc) {
    if(pragma_int(s->db, "SELECT coalesce(max(id), 0) FROM inputs", &maxid))
      maxid = 0;
    s->next_file_id = (uint32_t)maxid + 1;
  }
  if(rc) {
    rift_store_free(&s);
    return rc;
  }
  *out = s;
  return RIFT_OK;
}

void rift_store_free(struct rift_store **s)
{
  if(!*s)
    return;
  if((*s)->db) {
    if((*s)->mode != RIFT_STORE_READ)
      sqlite3_exec((*s)->db, "PRAGMA journal_mode=WAL; PRAGMA optimize;",
                   NULL, NULL, NULL);
    sqlite3_close_v2((*s)->db);
  }
  free((*s)->path);
  free(*s);
  *s = NULL;
}

const char *rift_store_errmsg(const struct rift_store *s)
{
  return s ? s->err : "";
}

const char *rift_store_path(const struct rift_store *s)
{
  return s->path;
}

static rift_err dberr(struct rift_store *s)
{
  snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(s->db));
  return RIFT_DB;
}

rift_err rift_store_info_set(struct rift_store *s, const char *key,
                             const char *value)
{
  sqlite3_stmt *st;
  int r;
  if(sqlite3_prepare_v2(s->db,
                        "INSERT OR REPLACE INTO case_info(key, value) "
                        "VALUES(?, ?)", -1, &st, NULL) != SQLITE_OK)
    return dberr(s);
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
  r = sqlite3_step(st);
  sqlite3_finalize(st);
  return r == SQLITE_DONE ? RIFT_OK : dberr(s);
}

rift_err rift_store_delete_findings(struct rift_store *s, const char *source,
                                    uint64_t *deleted)
{
  static const char *const sql[2] = {
    "DELETE FROM finding_events WHERE finding_id IN "
    "(SELECT id FROM findings WHERE source = ?)",
    "DELETE FROM findings WHERE source = ?",
  };
  int i;
  *deleted = 0;
  for(i = 0; i < 2; i++) {
    sqlite3_stmt *st;
    int r;
    if(sqlite3_prepare_v2(s->db, sql[i], -1, &st, NULL) != SQLITE_OK)
      return dberr(s);
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    sqlite3_finalize(st);
    if(r != SQLITE_DONE)
      return dberr(s);
    if(i == 1)
      *deleted = (uint64_t)sqlite3_changes(s->db);
  }
  return RIFT_OK;
}

char *rift_store_info_get(struct rift_store *s, const char *key)
{
  sqlite3_stmt *st;
  char *v = NULL;
  if(sqlite3_prepare_v2(s->db, "SELECT value FROM case_info WHERE key = ?",
                        -1, &st, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  if(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    v = strdup((const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return v;
}

uint32_t rift_store_next_file_id(struct rift_store *s)
{
  return s->next_file_id++;
}

uint32_t rift_store_find_sha256(struct rift_store *s, const char *sha256)
{
  sqlite3_stmt *st;
  uint32_t id = 0;
  if(!sha256 || sqlite3_prepare_v2(s->db,
                                   "SELECT id FROM inputs WHERE sha256 = ? "
                                   "AND status IN ('ok', 'errors') "
                                   "ORDER BY id LIMIT 1",
                                   -1, &st, NULL) != SQLITE_OK)
    return 0;
  sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
  if(sqlite3_step(st) == SQLITE_ROW)
    id = (uint32_t)sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return id;
}

static const char *coltext(sqlite3_stmt *st, int i)
{
  return (const char *)sqlite3_column_text(st, i);
}

#define MAX_MSGS_READ RIFT_INPUT_MAX_MSGS

rift_err rift_store_inputs(struct rift_store *s,
                           rift_err (*fn)(void *ctx,
                                          const struct rift_input *in),
                           void *ctx)
{
  sqlite3_stmt *st, *ms;
  rift_err rc = RIFT_OK;
  int r;
  if(sqlite3_prepare_v2(s->db,
                        "SELECT id, path, container, size, sha256, format,"
                        " parser, records, errors, recovered, status, error,"
                        " host, added FROM inputs ORDER BY id",
                        -1, &st, NULL) != SQLITE_OK)
    return dberr(s);
  if(sqlite3_prepare_v2(s->db,
                        "SELECT level, offset, message FROM input_errors"
                        " WHERE input_id = ? ORDER BY rowid LIMIT 100",
                        -1, &ms, NULL) != SQLITE_OK) {
    sqlite3_finalize(st);
    return dberr(s);
  }
  while(!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
    struct rift_input in;
    struct rift_input_msg msgs[MAX_MSGS_READ];
    char *texts[MAX_MSGS_READ];
    size_t n = 0, k;
    memset(&in, 0, sizeof(in));
    in.id = (uint32_t)sqlite3_column_int64(st, INC_id);
    in.path = coltext(st, INC_path);
    in.container = coltext(st, INC_container);
    in.size = (uint64_t)sqlite3_column_int64(st, INC_size);
    in.sha256 = coltext(st, INC_sha256);
    in.format = coltext(st, INC_format);
    in.parser = coltext(st, INC_parser);
    in.records = (uint64_t)sqlite3_column_int64(st, INC_records);
    in.errors = (uint64_t)sqlite3_column_int64(st, INC_errors);
    in.recovered = (uint64_t)sqlite3_column_int64(st, INC_recovered);
    in.status = coltext(st, INC_status);
    in.error = coltext(st, INC_error);
    in.host = coltext(st, INC_host);
    in.added = sqlite3_column_int64(st, INC_added);
    sqlite3_bind_int64(ms, 1, in.id);
    while(n < MAX_MSGS_READ && sqlite3_step(ms) == SQLITE_ROW) {
      const char *lv = coltext(ms, 0), *tx = coltext(ms, 2);
      msgs[n].level = lv && !strcmp(lv, "warning") ? RIFT_DIAG_WARN
                                                   : RIFT_DIAG_ERROR;
      msgs[n].offset = sqlite3_column_type(ms, 1) == SQLITE_NULL
                         ? UINT64_MAX
                         : (uint64_t)sqlite3_column_int64(ms, 1);
      texts[n] = strdup(tx ? tx : "");
      msgs[n].text = texts[n] ? texts[n] : "";
      n++;
    }
    sqlite3_reset(ms);
    in.msgs = msgs;
    in.nmsgs = n;
    rc = fn(ctx, &in);
    for(k = 0; k < n; k++)
      free(texts[k]);
  }
  if(!rc && r != SQLITE_DONE)
    rc = dberr(s);
  sqlite3_finalize(st);
  sqlite3_finalize(ms);
  return rc;
}

static int64_t col_time(sqlite3_stmt *st, int i)
{
  return sqlite3_column_type(st, i) == SQLITE_NULL
           ? RIFT_TIME_NONE
           : sqlite3_column_int64(st, i);
}

rift_err rift_store_totals(struct rift_store *s, struct rift_store_totals *t)
{
  sqlite3_stmt *st;
  memset(t, 0, sizeof(*t));
  t->first = t->last = RIFT_TIME_NONE;
  if(sqlite3_prepare_v2(s->db,
                        "SELECT (SELECT count(*) FROM events),"
                        " (SELECT min(ts) FROM events),"
                        " (SELECT max(ts) FROM events),"
                        " (SELECT count(*) FROM inputs),"
                        " (SELECT count(*) FROM findings),"
                        " (SELECT count(DISTINCT host) FROM events)",
                        -1, &st, NULL) != SQLITE_OK)
    return dberr(s);
  if(sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_finalize(st);
    return dberr(s);
  }
  t->events = (uint64_t)sqlite3_column_int64(st, 0);
  t->first = col_time(st, 1);
  t->last = col_time(st, 2);
  t->inputs = (uint64_t)sqlite3_column_int64(st, 3);
  t->findings = (uint64_t)sqlite3_column_int64(st, 4);
  t->hosts = (uint64_t)sqlite3_column_int64(st, 5);
  sqlite3_finalize(st);
  return RIFT_OK;
}

rift_err rift_store_counts(struct rift_store *s, enum rift_store_dim dim,
                           rift_err (*fn)(void *ctx,
                                          const struct rift_store_count *c),
                           void *ctx)
{
  static const char *const sql[] = {
    [RIFT_DIM_HOST] = "SELECT coalesce(host, ''), '', count(*), min(ts),"
                      " max(ts) FROM events GROUP BY 1 ORDER BY 3 DESC, 1",
    /* events with a channel through the (channel, event_id, ts) index;
     * the others (not Windows event logs) by dataset or source kind */
    [RIFT_DIM_CHANNEL] = "SELECT channel, '', count(*), min(ts), max(ts)"
                         " FROM events WHERE channel IS NOT NULL"
                         " GROUP BY channel UNION ALL"
                         " SELECT coalesce(dataset, kind, ''), '', count(*),"
                         " min(ts), max(ts) FROM events"
                         " WHERE channel IS NULL GROUP BY 1 ORDER BY 3 DESC, 1",
    [RIFT_DIM_EVENT_ID] = "SELECT channel, CAST(event_id AS TEXT), count(*),"
                          " min(ts), max(ts) FROM events"
                          " WHERE channel IS NOT NULL GROUP BY channel,"
                          " event_id UNION ALL"
                          " SELECT coalesce(dataset, kind, ''),"
                          " coalesce(code, ''), count(*), min(ts), max(ts)"
                          " FROM events WHERE channel IS NULL GROUP BY 1, 2"
                          " ORDER BY 3 DESC, 1, 2",
    [RIFT_DIM_PROVIDER] = "SELECT coalesce(provider, ''), '', count(*),"
                          " min(ts), max(ts) FROM events GROUP BY 1"
                          " ORDER BY 3 DESC, 1",
    [RIFT_DIM_KIND] = "SELECT coalesce(kind, ''), '', count(*), min(ts),"
                      " max(ts) FROM events GROUP BY 1 ORDER BY 3 DESC, 1",
    [RIFT_DIM_LEVEL] = "SELECT level, '', count(*), min(ts), max(ts)"
                       " FROM findings GROUP BY level"
                       " ORDER BY max(severity) DESC",
  };
  sqlite3_stmt *st;
  rift_err rc = RIFT_OK;
  int r;
  if((unsigned)dim > RIFT_DIM_LEVEL)
    return RIFT_INVALID;
  if(sqlite3_prepare_v2(s->db, sql[dim], -1, &st, NULL) != SQLITE_OK)
    return dberr(s);
  while(!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
    struct rift_store_count c;
    c.key = coltext(st, 0) ? coltext(st, 0) : "";
    c.key2 = coltext(st, 1) ? coltext(st, 1) : "";
    c.n = (uint64_t)sqlite3_column_int64(st, 2);
    c.first = col_time(st, 3);
    c.last = col_time(st, 4);
    rc = fn(ctx, &c);
  }
  if(!rc && r != SQLITE_DONE)
    rc = dberr(s);
  sqlite3_finalize(st);
  return rc;
}
