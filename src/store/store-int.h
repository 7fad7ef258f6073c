/*
 * store-int.h - private to src/store/: the schema's column lists, encoded
 * row blocks and the shared connection helpers.
 *
 * Rows travel from producer threads to the writer thread as blocks: an
 * array of column values (struct cval) per row plus one text buffer that
 * holds every string of the block.  Strings are referenced by offset, so
 * the buffer may grow while rows are added.
 */
#ifndef RIFT_STORE_INT_H
#define RIFT_STORE_INT_H

#include "core/buf.h"
#include "core/libsqlite.h"
#include "store/store.h"

/* events: core columns, in this order, then the field columns, then
 * fields (JSON).  C(column, SQL type) */
#define STORE_EV_CORE(C)                                              \
  C(ts, "INTEGER") C(host, "TEXT COLLATE NOCASE") C(kind, "TEXT")     \
  C(file_id, "INTEGER") C(offset, "INTEGER") C(record_id, "INTEGER")  \
  C(category, "TEXT") C(type, "TEXT") C(action, "TEXT")               \
  C(code, "TEXT") C(provider, "TEXT") C(dataset, "TEXT")              \
  C(outcome, "TEXT") C(message, "TEXT")

/* Columns copied from the first value of a field, for the queries
 * analysts run most.  F(column, SQL type, field id) */
#define STORE_EV_FIELDS(F)                                            \
  F(channel, "TEXT", RIFT_F_WINLOG_CHANNEL)                           \
  F(event_id, "INTEGER", RIFT_F_WINLOG_EVENT_ID)                      \
  F(user_name, "TEXT", RIFT_F_USER_NAME)                              \
  F(user_domain, "TEXT", RIFT_F_USER_DOMAIN)                          \
  F(user_id, "TEXT", RIFT_F_USER_ID)                                  \
  F(target_user_name, "TEXT", RIFT_F_USER_TARGET_NAME)                \
  F(target_user_domain, "TEXT", RIFT_F_USER_TARGET_DOMAIN)            \
  F(process_pid, "INTEGER", RIFT_F_PROCESS_PID)                       \
  F(process_name, "TEXT", RIFT_F_PROCESS_NAME)                        \
  F(process_executable, "TEXT", RIFT_F_PROCESS_EXECUTABLE)            \
  F(process_command_line, "TEXT", RIFT_F_PROCESS_COMMAND_LINE)        \
  F(process_entity_id, "TEXT", RIFT_F_PROCESS_ENTITY_ID)              \
  F(parent_pid, "INTEGER", RIFT_F_PROCESS_PARENT_PID)                 \
  F(parent_name, "TEXT", RIFT_F_PROCESS_PARENT_NAME)                  \
  F(parent_executable, "TEXT", RIFT_F_PROCESS_PARENT_EXECUTABLE)      \
  F(parent_command_line, "TEXT", RIFT_F_PROCESS_PARENT_COMMAND_LINE)  \
  F(source_ip, "TEXT", RIFT_F_SOURCE_IP)                              \
  F(source_port, "INTEGER", RIFT_F_SOURCE_PORT)                       \
  F(destination_ip, "TEXT", RIFT_F_DESTINATION_IP)                    \
  F(destination_port, "INTEGER", RIFT_F_DESTINATION_PORT)             \
  F(destination_domain, "TEXT", RIFT_F_DESTINATION_DOMAIN)            \
  F(file_path, "TEXT", RIFT_F_FILE_PATH)                              \
  F(registry_path, "TEXT", RIFT_F_REGISTRY_PATH)                      \
  F(service_name, "TEXT", RIFT_F_SERVICE_NAME)                        \
  F(dns_question, "TEXT", RIFT_F_DNS_QUESTION_NAME)                   \
  F(url, "TEXT", RIFT_F_URL_ORIGINAL)

enum {
#define C(n, t) EVC_##n,
  STORE_EV_CORE(C)
#undef C
#define F(n, t, id) EVC_##n,
  STORE_EV_FIELDS(F)
#undef F
  EVC_fields,
  EVC__COUNT
};

#define FC(C)                                                          \
  C(source) C(rule_id) C(rule_name) C(level) C(severity) C(techniques) \
  C(tags) C(ts) C(ts_end) C(host) C(message) C(user_name) C(source_ip) \
  C(destination_ip) C(process_name) C(process_command_line) C(details)

enum {
#define C(n) FIC_##n,
  FC(C)
#undef C
  FIC__COUNT
};

#define IC(C)                                                           \
  C(id) C(path) C(container) C(size) C(sha256) C(format) C(parser)      \
  C(records) C(errors) C(recovered) C(status) C(error) C(host) C(added)

enum {
#define C(n) INC_##n,
  IC(C)
#undef C
  INC__COUNT
};

enum cv_type { CV_NULL, CV_INT, CV_REAL, CV_TEXT, CV_STATIC };

/* One column value.  CV_TEXT: bytes [off, off+len) of the block's text;
 * CV_STATIC: a string that lives as long as the program. */
struct cval {
  uint32_t t;
  uint32_t len;
  union {
    int64_t i;
    double f;
    uint64_t off;
    const char *s;
  };
};

enum blk_type { BLK_EVENTS, BLK_FINDING, BLK_INPUT };

#define BLK_SEEN_IDS 65536

struct blk {
  enum blk_type type;
  size_t ncol;        /* values per row */
  struct cval *v;     /* nrows * ncol */
  size_t nrows, caprows;
  struct rift_buf text;
  struct rift_event_ref *refs; /* BLK_FINDING */
  size_t nrefs;
  struct cval *msgs;  /* BLK_INPUT: nmsgs * 3 (level, offset, text) */
  size_t nmsgs;
  /* encoder scratch: one bit per field id below BLK_SEEN_IDS, set while
   * an event is encoded (and cleared after), to spot repeated fields */
  uint64_t seen[BLK_SEEN_IDS / 64];
};

struct rift_store {
  sqlite3 *db;
  char *path;
  enum rift_store_mode mode;
  uint32_t next_file_id;
  char err[512];
};

/* store.c */
rift_err store_db_open(sqlite3 **db, const char *path, int readonly,
                       char *err, size_t errlen);
rift_err store_exec(sqlite3 *db, const char *sql, char *err, size_t errlen);
rift_err store_create_indexes(sqlite3 *db, char *err, size_t errlen);
const char *store_ev_colname(int i);
int store_ev_col_is_int(int i);

/* write.c */
struct blk *blk_new(enum blk_type type, size_t ncol);
void blk_free(struct blk *b);
rift_err blk_encode_events(struct blk *k, const struct rift_batch *b);

/* fjson.c: the fields column */
rift_err store_fields_json(struct blk *k, struct rift_buf *out,
                           const struct rift_event *e);
struct rift_hmap;
/* cache (may be NULL) maps names to field ids without the global lock */
rift_err store_fields_parse_cached(struct rift_batch *b, struct rift_event *e,
                                   const char *json, size_t n,
                                   struct rift_hmap *cache);

#endif
