/*
 * read.c - events and findings back out of a case.
 *
 * An iterator owns a read-only connection of its own and one prepared
 * SELECT; each rift_store_iter_next() rebuilds up to max events into the
 * caller's batch (strings copied into the batch arena, fields parsed from
 * the JSON column), so memory stays bounded by the batch size however
 * large the case.
 */
#include <stdlib.h>
#include <string.h>

#include "core/hmap.h"
#include "core/rtime.h"
#include "store/store-int.h"

struct rift_store_iter {
  sqlite3 *db;
  sqlite3_stmt *st;
  int done;
  int64_t *ids;
  size_t capids;
  struct rift_hmap names; /* field name -> id, no global lock */
  char err[512];
  const char *like;
  size_t likelen;
};

void rift_store_filter_init(struct rift_store_filter *f)
{
  memset(f, 0, sizeof(*f));
  f->from = f->to = RIFT_TIME_NONE;
}

/* ECS names stored in core columns */
static const struct {
  const char *name, *col;
} core_names[] = {
  { "host.name", "host" },          { "event.category", "category" },
  { "event.type", "type" },         { "event.action", "action" },
  { "event.code", "code" },         { "event.provider", "provider" },
  { "event.dataset", "dataset" },   { "event.outcome", "outcome" },
  { "message", "message" },         { "rift.kind", "kind" },
};

static const struct {
  const char *name, *col;
} field_names[] = {
#define F(n, t, id) { NULL, #n },
  STORE_EV_FIELDS(F)
#undef F
};

static const uint32_t field_ids[] = {
#define F(n, t, id) id,
  STORE_EV_FIELDS(F)
#undef F
};

/* The column holding field name, or NULL. */
static const char *column_for(const char *name)
{
  size_t i;
  (void)field_names;
  for(i = 0; i < sizeof(core_names) / sizeof(core_names[0]); i++) {
    if(!strcmp(core_names[i].name, name))
      return core_names[i].col;
  }
  for(i = 0; i < sizeof(field_ids) / sizeof(field_ids[0]); i++) {
    if(!strcmp(rift_field_name(field_ids[i], NULL), name))
      return field_names[i].col;
  }
  return NULL;
}

static void like_pattern(struct rift_buf *p, const char *s)
{
  rift_buf_addch(p, '%');
  for(; *s; s++) {
    if(*s == '%' || *s == '_' || *s == '\\')
      rift_buf_addch(p, '\\');
    rift_buf_addch(p, *s);
  }
  rift_buf_addch(p, '%');
}

rift_err rift_store_iter_open(struct rift_store *s,
                              const struct rift_store_filter *f,
                              struct rift_store_iter **out)
{
  struct rift_store_iter *it;
  struct rift_buf q, pat;
  rift_err rc;
  size_t i;
  int n = 1;
  *out = NULL;
  it = calloc(1, sizeof(*it));
  if(!it)
    return RIFT_NOMEM;
  rift_hmap_init(&it->names, 1u << 20);
  rc = store_db_open(&it->db, s->path, 1, s->err, sizeof(s->err));
  if(rc) {
    rift_store_iter_free(&it);
    return rc;
  }
  sqlite3_exec(it->db, "PRAGMA cache_size=-32768", NULL, NULL, NULL);
  rift_buf_init(&q, RIFT_BUF_MAX_LINE);
  rift_buf_init(&pat, RIFT_BUF_MAX_LINE);
  rift_buf_adds(&q, "SELECT id, ts, host, kind, file_id, offset, record_id,"
                    " category, type, action, code, provider, dataset,"
                    " outcome, message, fields FROM events WHERE 1");
  if(f->from != RIFT_TIME_NONE)
    rift_buf_adds(&q, " AND ts >= ?");
  if(f->to != RIFT_TIME_NONE)
    rift_buf_adds(&q, " AND ts <= ?");
  if(f->host)
    rift_buf_adds(&q, " AND host = ?");
  if(f->file_id)
    rift_buf_adds(&q, " AND file_id = ?");
  if(f->like && *f->like)
    rift_buf_adds(&q, " AND (message LIKE ? ESCAPE '\\'"
                      " OR fields LIKE ? ESCAPE '\\')");
  if(f->fts)
    rift_buf_adds(&q, " AND id IN (SELECT rowid FROM events_fts"
                      " WHERE events_fts MATCH ?)");
  for(i = 0; i < f->neq; i++) {
    const char *col = column_for(f->eq[i].name);
    if(col) {
      rift_buf_addf(&q, " AND %s = ?", col);
    }
    else {
      if(strchr(f->eq[i].name, '"') || strchr(f->eq[i].name, '\\')) {
        snprintf(s->err, sizeof(s->err), "invalid field name '%s'",
                 f->eq[i].name);
        rc = RIFT_INVALID;
        goto out;
      }
      rift_buf_addf(&q, " AND EXISTS (SELECT 1 FROM json_each(fields,"
                        " '$.\"%s\"') WHERE CAST(value AS TEXT) = ?)",
                    f->eq[i].name);
    }
  }
  rift_buf_adds(&q, f->unordered ? " ORDER BY id" : " ORDER BY ts, id");
  if(q.err) {
    rc = q.err;
    goto out;
  }
  if(sqlite3_prepare_v2(it->db, q.buf, -1, &it->st, NULL) != SQLITE_OK) {
    snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(it->db));
    rc = RIFT_DB;
    goto out;
  }
  if(f->from != RIFT_TIME_NONE)
    sqlite3_bind_int64(it->st, n++, f->from);
  if(f->to != RIFT_TIME_NONE)
    sqlite3_bind_int64(it->st, n++, f->to);
  if(f->host)
    sqlite3_bind_text(it->st, n++, f->host, -1, SQLITE_TRANSIENT);
  if(f->file_id)
    sqlite3_bind_int64(it->st, n++, f->file_id);
  if(f->like && *f->like) {
    like_pattern(&pat, f->like);
    sqlite3_bind_text(it->st, n++, pat.buf, (int)pat.len, SQLITE_TRANSIENT);
    sqlite3_bind_text(it->st, n++, pat.buf, (int)pat.len, SQLITE_TRANSIENT);
  }
  if(f->fts)
    sqlite3_bind_text(it->st, n++, f->fts, -1, SQLITE_TRANSIENT);
  for(i = 0; i < f->neq; i++)
    sqlite3_bind_text(it->st, n++, f->eq[i].value, -1, SQLITE_TRANSIENT);
out:
  rift_buf_release(&q);
  rift_buf_release(&pat);
  if(rc) {
    rift_store_iter_free(&it);
    return rc;
  }
  *out = it;
  return RIFT_OK;
}

static const char *dup_col(struct rift_batch *b, sqlite3_stmt *st, int i)
{
  const unsigned char *t = sqlite3_column_text(st, i);
  if(!t)
    return NULL;
  return rift_batch_str(b, (const char *)t,
                        (size_t)sqlite3_column_bytes(st, i));
}

static uint16_t kind_of(const char *name)
{
  unsigned k;
  if(!name)
    return RIFT_KIND_UNKNOWN;
  for(k = 0; k < RIFT_KIND__COUNT; k++) {
    if(!strcmp(rift_kind_name(k), name))
      return (uint16_t)k;
  }
  return RIFT_KIND_UNKNOWN;
}

rift_err rift_store_iter_next(struct rift_store_iter *it, struct rift_batch *b,
                              size_t max)
{
  rift_batch_clear(b);
  if(it->done || !max)
    return RIFT_OK;
  if(max > it->capids) {
    int64_t *n = realloc(it->ids, max * sizeof(*n));
    if(!n)
      return RIFT_NOMEM;
    it->ids = n;
    it->capids = max;
  }
  while(b->n < max) {
    struct rift_event *e;
    int r = sqlite3_step(it->st);
    rift_err rc;
    if(r == SQLITE_DONE) {
      it->done = 1;
      break;
    }
    if(r != SQLITE_ROW) {
      snprintf(it->err, sizeof(it->err), "%s", sqlite3_errmsg(it->db));
      return RIFT_DB;
    }
    e = rift_batch_add(b);
    if(!e)
      return b->arena.err ? b->arena.err : RIFT_NOMEM;
    it->ids[b->n - 1] = sqlite3_column_int64(it->st, 0);
    if(sqlite3_column_type(it->st, 1) != SQLITE_NULL)
      e->ts = sqlite3_column_int64(it->st, 1);
    e->host = dup_col(b, it->st, 2);
    e->kind = kind_of((const char *)sqlite3_column_text(it->st, 3));
    e->file_id = (uint32_t)sqlite3_column_int64(it->st, 4);
    e->offset = (uint64_t)sqlite3_column_int64(it->st, 5);
    e->record_id = (uint64_t)sqlite3_column_int64(it->st, 6);
    e->category = dup_col(b, it->st, 7);
    e->type = dup_col(b, it->st, 8);
    e->action = dup_col(b, it->st, 9);
    e->code = dup_col(b, it->st, 10);
    e->provider = dup_col(b, it->st, 11);
    e->dataset = dup_col(b, it->st, 12);
    e->outcome = dup_col(b, it->st, 13);
    e->message = dup_col(b, it->st, 14);
    if(b->arena.err)
      return b->arena.err;
    if(sqlite3_column_type(it->st, 15) != SQLITE_NULL) {
      rc = store_fields_parse_cached(
        b, e, (const char *)sqlite3_column_text(it->st, 15),
        (size_t)sqlite3_column_bytes(it->st, 15), &it->names);
      if(rc == RIFT_NOMEM)
        return rc;
      /* a damaged fields column keeps the event with what was read */
    }
  }
  return RIFT_OK;
}

const int64_t *rift_store_iter_ids(const struct rift_store_iter *it)
{
  return it->ids;
}

void rift_store_iter_free(struct rift_store_iter **it)
{
  if(!*it)
    return;
  sqlite3_finalize((*it)->st);
  if((*it)->db)
    sqlite3_close_v2((*it)->db);
  rift_hmap_release(&(*it)->names);
  free((*it)->ids);
  free(*it);
  *it = NULL;
}

static int lower(int c)
{
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int icontains(const char *h, size_t hn, const char *n, size_t nn)
{
  size_t i, j;
  int c0;
  if(!nn)
    return 1;
  if(hn < nn)
    return 0;
  c0 = lower((unsigned char)n[0]);
  for(i = 0; i + nn <= hn; i++) {
    if(lower((unsigned char)h[i]) != c0)
      continue;
    for(j = 1; j < nn; j++) {
      if(lower((unsigned char)h[i + j]) != lower((unsigned char)n[j]))
        break;
    }
    if(j == nn)
      return 1;
  }
  return 0;
}

int rift_event_contains(const struct rift_event *e, const char *s, size_t n)
{
  uint32_t i;
  char tmp[40];
  size_t len;
  if(e->message && icontains(e->message, strlen(e->message), s, n))
    return 1;
  for(i = 0; i < e->nf; i++) {
    const char *t;
    if(e->f[i].id == RIFT_F_LOG_FILE_PATH)
      continue; /* the input's name, not the event's content */
    t = rift_value_str(&e->f[i].v, tmp, &len);
    if(t && icontains(t, len, s, n))
      return 1;
  }
  return 0;
}

/* ---- findings --------------------------------------------------------------- */

#define MAX_TECHNIQUES 64
#define MAX_REFS_READ 100000

/* ["a","b"] into list (strings point into buf, which is modified). */
static void str_array(char *buf, const char **list, size_t max)
{
  size_t n = 0;
  char *p = buf;
  while(p && *p && n + 1 < max) {
    char *q, *o;
    p = strchr(p, '"');
    if(!p)
      break;
    q = o = ++p;
    while(*q && *q != '"') {
      if(*q == '\\' && q[1])
        q++;
      *o++ = *q++;
    }
    if(!*q)
      break;
    *o = 0;
    list[n++] = p;
    p = q + 1;
  }
  list[n] = NULL;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
  const unsigned char *t = sqlite3_column_text(st, i);
  return t ? strdup((const char *)t) : NULL;
}

rift_err rift_store_findings(struct rift_store *s,
                             rift_err (*fn)(void *ctx,
                                            const struct rift_store_finding *f),
                             void *ctx)
{
  sqlite3_stmt *st, *rs;
  rift_err rc = RIFT_OK;
  int r;
  if(sqlite3_prepare_v2(s->db,
                        "SELECT id, source, rule_id, rule_name, severity,"
                        " techniques, tags, ts, ts_end, host, message,"
                        " user_name, source_ip, destination_ip,"
                        " process_name, process_command_line, details"
                        " FROM findings ORDER BY ts, id",
                        -1, &st, NULL) != SQLITE_OK) {
    snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(s->db));
    return RIFT_DB;
  }
  if(sqlite3_prepare_v2(s->db,
                        "SELECT fe.file_id, fe.offset, fe.record_id, fe.ts,"
                        " coalesce(fe.event_id, 0), coalesce(i.path, '')"
                        " FROM finding_events fe LEFT JOIN inputs i"
                        " ON i.id = fe.file_id WHERE fe.finding_id = ?"
                        " ORDER BY fe.rowid",
                        -1, &rs, NULL) != SQLITE_OK) {
    snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return RIFT_DB;
  }
  while(!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
    struct rift_store_finding sf;
    struct rift_finding *f = &sf.f;
    const char *tech[MAX_TECHNIQUES], *tags[MAX_TECHNIQUES];
    char *texts[16];
    struct rift_event_ref *refs = NULL;
    char **paths = NULL;
    int64_t *evids = NULL;
    size_t nrefs = 0, cap = 0, k;
    int c;
    memset(&sf, 0, sizeof(sf));
    sf.id = sqlite3_column_int64(st, 0);
    for(c = 0; c < 16; c++)
      texts[c] = col_dup(st, c + 1);
    f->source = texts[0];
    f->rule_id = texts[1];
    f->rule_name = texts[2];
    f->level = (enum rift_level)sqlite3_column_int(st, 4);
    str_array(texts[4], tech, MAX_TECHNIQUES);
    f->techniques = tech;
    str_array(texts[5], tags, MAX_TECHNIQUES);
    f->tags = tags;
    f->ts = sqlite3_column_type(st, 7) != SQLITE_NULL
              ? sqlite3_column_int64(st, 7) : RIFT_TIME_NONE;
    f->ts_end = sqlite3_column_type(st, 8) != SQLITE_NULL
                  ? sqlite3_column_int64(st, 8) : f->ts;
    f->host = texts[8];
    f->message = texts[9];
    f->user_name = texts[10];
    f->source_ip = texts[11];
    f->destination_ip = texts[12];
    f->process_name = texts[13];
    f->process_command_line = texts[14];
    f->details_json = texts[15];
    sqlite3_bind_int64(rs, 1, sf.id);
    while(nrefs < MAX_REFS_READ && sqlite3_step(rs) == SQLITE_ROW) {
      if(nrefs == cap) {
        size_t ncap = cap ? cap * 2 : 8;
        void *a = realloc(refs, ncap * sizeof(*refs));
        void *b = a ? realloc(paths, ncap * sizeof(*paths)) : NULL;
        void *d = b ? realloc(evids, ncap * sizeof(*evids)) : NULL;
        if(a)
          refs = a;
        if(b)
          paths = b;
        if(d)
          evids = d;
        if(!d) {
          rc = RIFT_NOMEM;
          break;
        }
        cap = ncap;
      }
      refs[nrefs].file_id = (uint32_t)sqlite3_column_int64(rs, 0);
      refs[nrefs].offset = (uint64_t)sqlite3_column_int64(rs, 1);
      refs[nrefs].record_id = (uint64_t)sqlite3_column_int64(rs, 2);
      refs[nrefs].ts = sqlite3_column_type(rs, 3) != SQLITE_NULL
                         ? sqlite3_column_int64(rs, 3) : RIFT_TIME_NONE;
      evids[nrefs] = sqlite3_column_int64(rs, 4);
      paths[nrefs] = col_dup(rs, 5);
      nrefs++;
    }
    sqlite3_reset(rs);
    f->refs = refs;
    f->nrefs = nrefs;
    sf.ref_paths = (const char *const *)paths;
    sf.ref_event_ids = evids;
    if(!rc)
      rc = fn(ctx, &sf);
    for(k = 0; k < nrefs; k++)
      free(paths[k]);
    free(paths);
    free(refs);
    free(evids);
    for(c = 0; c < 16; c++)
      free(texts[c]);
  }
  if(!rc && r != SQLITE_DONE && r != SQLITE_ROW) {
    snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(s->db));
    rc = RIFT_DB;
  }
  sqlite3_finalize(st);
  sqlite3_finalize(rs);
  return rc;
}
