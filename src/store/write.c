/*
 * write.c - the case writer: one thread owning one SQLite connection,
 * fed with encoded row blocks through a bounded queue.
 *
 *   parser workers: prepare() -> map/detect -> encode rows into a block
 *   parse caller:   batch()   -> queue the block (in input order; blocks
 *                                while the queue is full)
 *   writer thread:  pop -> bind prepared statements -> insert; one
 *                   transaction per COMMIT_ROWS rows
 *   finish:         indexes, full-text index, finding -> event links
 *
 * Memory is bounded by the queue (QUEUE_BLOCKS) plus the blocks of the
 * batches the parser has in flight.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/pool.h"
#include "core/rtime.h"
#include "store/store-int.h"

#define QUEUE_BLOCKS 32
#define COMMIT_ROWS 100000
#define MAX_PENDING 1024
#define FREE_BLOCKS 16

struct pend {
  const struct rift_batch *b;
  struct blk *k;
};

struct rift_store_writer {
  struct rift_store *s;
  sqlite3 *db;
  unsigned flags;
  pthread_t th;
  int started;
  struct rift_queue q;
  /* owned by the writer thread until it is joined */
  rift_err rc;
  char err[512];
  uint64_t events, findings, inputs;
  int64_t t0, t_loaded;
  int64_t busy_ns, idle_ns; /* writer thread: inserting, waiting for rows */
  int64_t last_id_before; /* events.id before this load */
  /* producers */
  pthread_mutex_t mu;
  struct pend pend[MAX_PENDING];
  size_t npend;
  struct blk *freel[FREE_BLOCKS];
  size_t nfree;
  rift_err (*pre)(void *, struct rift_batch *);
  void *prectx;
  rift_err prod_rc; /* first producer-side error */
};

/* ---- blocks ---------------------------------------------------------------- */

struct blk *blk_new(enum blk_type type, size_t ncol)
{
  struct blk *k = calloc(1, sizeof(*k));
  if(!k)
    return NULL;
  k->type = type;
  k->ncol = ncol;
  rift_buf_init(&k->text, RIFT_BUF_MAX_OUTPUT);
  return k;
}

void blk_free(struct blk *k)
{
  if(!k)
    return;
  rift_buf_release(&k->text);
  free(k->v);
  free(k->refs);
  free(k->msgs);
  free(k);
}

static void blk_reset(struct blk *k, enum blk_type type, size_t ncol)
{
  k->type = type;
  if(ncol != k->ncol) {
    free(k->v);
    k->v = NULL;
    k->caprows = 0;
    k->ncol = ncol;
  }
  k->nrows = 0;
  rift_buf_reset(&k->text);
  free(k->refs);
  k->refs = NULL;
  k->nrefs = 0;
  free(k->msgs);
  k->msgs = NULL;
  k->nmsgs = 0;
}

static struct cval *blk_row(struct blk *k)
{
  struct cval *r;
  if(k->nrows == k->caprows &&
     rift_grow((void **)&k->v, &k->caprows, k->nrows + 1, k->ncol * sizeof(*k->v),
               256))
    return NULL;
  r = &k->v[k->nrows++ * k->ncol];
  memset(r, 0, k->ncol * sizeof(*r));
  return r;
}

static void cv_text(struct blk *k, struct cval *c, const char *s, size_t n)
{
  if(!s) {
    c->t = CV_NULL;
    return;
  }
  if(n > UINT32_MAX)
    n = UINT32_MAX;
  c->t = CV_TEXT;
  c->off = k->text.len;
  c->len = (uint32_t)n;
  rift_buf_add(&k->text, s, n);
}

static void cv_str(struct blk *k, struct cval *c, const char *s)
{
  cv_text(k, c, s, s ? strlen(s) : 0);
}

static void cv_int(struct cval *c, int64_t v)
{
  c->t = CV_INT;
  c->i = v;
}

static void cv_value(struct blk *k, struct cval *c, const struct rift_value *v)
{
  char tmp[32];
  size_t len;
  switch(v->type) {
  case RIFT_V_STR:
    cv_text(k, c, v->s, v->len);
    break;
  case RIFT_V_INT:
    cv_int(c, v->i);
    break;
  case RIFT_V_UINT:
    if(v->u <= INT64_MAX) {
      cv_int(c, (int64_t)v->u);
    }
    else {
      const char *t = rift_value_str(v, tmp, &len);
      cv_text(k, c, t, len);
    }
    break;
  case RIFT_V_FLOAT:
    c->t = CV_REAL;
    c->f = v->f;
    break;
  case RIFT_V_BOOL:
    cv_int(c, v->b);
    break;
  default:
    c->t = CV_NULL;
  }
}

/* field id -> events column (0: none) */
static const uint8_t field_col[RIFT_F__STATIC] = {
#define F(n, t, id) [id] = EVC_##n,
  STORE_EV_FIELDS(F)
#undef F
};

rift_err blk_encode_events(struct blk *k, const struct rift_batch *b)
{
  size_t i;
  uint32_t j;
  for(i = 0; i < b->n; i++) {
    const struct rift_event *e = &b->ev[i];
    struct cval *r = blk_row(k);
    if(!r)
      return RIFT_NOMEM;
    if(e->ts != RIFT_TIME_NONE)
      cv_int(&r[EVC_ts], e->ts);
    cv_str(k, &r[EVC_host], e->host);
    r[EVC_kind].t = CV_STATIC;
    r[EVC_kind].s = rift_kind_name(e->kind);
    cv_int(&r[EVC_file_id], e->file_id);
    cv_int(&r[EVC_offset], (int64_t)e->offset);
    if(e->record_id)
      cv_int(&r[EVC_record_id], (int64_t)e->record_id);
    cv_str(k, &r[EVC_category], e->category);
    cv_str(k, &r[EVC_type], e->type);
    cv_str(k, &r[EVC_action], e->action);
    cv_str(k, &r[EVC_code], e->code);
    cv_str(k, &r[EVC_provider], e->provider);
    cv_str(k, &r[EVC_dataset], e->dataset);
    cv_str(k, &r[EVC_outcome], e->outcome);
    cv_str(k, &r[EVC_message], e->message);
    for(j = 0; j < e->nf; j++) {
      uint32_t id = e->f[j].id;
      int col;
      if(id >= RIFT_F__STATIC || !(col = field_col[id]) ||
         r[col].t != CV_NULL)
        continue;
      cv_value(k, &r[col], &e->f[j].v);
    }
    r[EVC_fields].t = CV_TEXT;
    r[EVC_fields].off = k->text.len;
    store_fields_json(k, &k->text, e);
    if(k->text.err)
      return k->text.err;
    if(k->text.len - r[EVC_fields].off > UINT32_MAX)
      return RIFT_LIMIT;
    r[EVC_fields].len = (uint32_t)(k->text.len - r[EVC_fields].off);
  }
  return k->text.err;
}

/* ---- producer side ------------------------------------------------------- */

static struct blk *blk_get(struct rift_store_writer *w, enum blk_type type,
                           size_t ncol)
{
  struct blk *k = NULL;
  pthread_mutex_lock(&w->mu);
  if(w->nfree)
    k = w->freel[--w->nfree];
  pthread_mutex_unlock(&w->mu);
  if(k) {
    blk_reset(k, type, ncol);
    return k;
  }
  return blk_new(type, ncol);
}

static void blk_put(struct rift_store_writer *w, struct blk *k)
{
  pthread_mutex_lock(&w->mu);
  if(w->nfree < FREE_BLOCKS && k->text.alloc < (64u << 20)) {
    w->freel[w->nfree++] = k;
    k = NULL;
  }
  pthread_mutex_unlock(&w->mu);
  blk_free(k);
}

static rift_err push(struct rift_store_writer *w, struct blk *k)
{
  rift_err rc = rift_queue_push(&w->q, k);
  if(rc)
    blk_free(k);
  return rc;
}

rift_err rift_store_put_batch(struct rift_store_writer *w,
                              const struct rift_batch *b)
{
  struct blk *k;
  rift_err rc;
  if(!b->n)
    return RIFT_OK;
  k = blk_get(w, BLK_EVENTS, EVC__COUNT);
  if(!k)
    return RIFT_NOMEM;
  rc = blk_encode_events(k, b);
  if(rc) {
    blk_free(k);
    return rc;
  }
  return push(w, k);
}

rift_err rift_store_put_input(struct rift_store_writer *w,
                              const struct rift_input *in)
{
  struct blk *k = blk_get(w, BLK_INPUT, INC__COUNT);
  struct cval *r;
  size_t i, n = in->nmsgs < RIFT_INPUT_MAX_MSGS ? in->nmsgs
                                                 : RIFT_INPUT_MAX_MSGS;
  if(!k)
    return RIFT_NOMEM;
  r = blk_row(k);
  if(!r || (n && !(k->msgs = calloc(n * 3, sizeof(*k->msgs))))) {
    blk_free(k);
    return RIFT_NOMEM;
  }
  cv_int(&r[INC_id], in->id);
  cv_str(k, &r[INC_path], in->path ? in->path : "");
  cv_str(k, &r[INC_container], in->container);
  cv_int(&r[INC_size], (int64_t)in->size);
  cv_str(k, &r[INC_sha256], in->sha256);
  cv_str(k, &r[INC_format], in->format);
  cv_str(k, &r[INC_parser], in->parser);
  cv_int(&r[INC_records], (int64_t)in->records);
  cv_int(&r[INC_errors], (int64_t)in->errors);
  cv_int(&r[INC_recovered], (int64_t)in->recovered);
  cv_str(k, &r[INC_status], in->status ? in->status : "ok");
  cv_str(k, &r[INC_error], in->error);
  cv_str(k, &r[INC_host], in->host);
  cv_int(&r[INC_added], in->added ? in->added : rift_time_now());
  for(i = 0; i < n; i++) {
    struct cval *m = &k->msgs[i * 3];
    m[0].t = CV_STATIC;
    m[0].s = in->msgs[i].level == RIFT_DIAG_WARN ? "warning" : "error";
    if(in->msgs[i].offset != UINT64_MAX)
      cv_int(&m[1], (int64_t)in->msgs[i].offset);
    cv_str(k, &m[2], in->msgs[i].text);
  }
  k->nmsgs = n;
  if(k->text.err) {
    blk_free(k);
    return RIFT_NOMEM;
  }
  return push(w, k);
}

static void json_strings(struct blk *k, struct cval *c,
                         const char *const *list)
{
  size_t start = k->text.len, i;
  if(!list) {
    c->t = CV_NULL;
    return;
  }
  rift_buf_addch(&k->text, '[');
  for(i = 0; list[i]; i++) {
    if(i)
      rift_buf_addch(&k->text, ',');
    rift_buf_addch(&k->text, '"');
    rift_buf_add_json(&k->text, list[i], strlen(list[i]));
    rift_buf_addch(&k->text, '"');
  }
  rift_buf_addch(&k->text, ']');
  c->t = CV_TEXT;
  c->off = start;
  c->len = (uint32_t)(k->text.len - start);
}

static rift_err finding_emit(void *ctx, const struct rift_finding *f)
{
  struct rift_store_writer *w = ctx;
  struct blk *k = blk_get(w, BLK_FINDING, FIC__COUNT);
  struct cval *r;
  if(!k)
    return RIFT_NOMEM;
  r = blk_row(k);
  if(!r || (f->nrefs && !(k->refs = malloc(f->nrefs * sizeof(*k->refs))))) {
    blk_free(k);
    return RIFT_NOMEM;
  }
  cv_str(k, &r[FIC_source], f->source);
  cv_str(k, &r[FIC_rule_id], f->rule_id);
  cv_str(k, &r[FIC_rule_name], f->rule_name);
  r[FIC_level].t = CV_STATIC;
  r[FIC_level].s = rift_level_name(f->level);
  cv_int(&r[FIC_severity], f->level);
  json_strings(k, &r[FIC_techniques], f->techniques);
  json_strings(k, &r[FIC_tags], f->tags);
  if(f->ts != RIFT_TIME_NONE)
    cv_int(&r[FIC_ts], f->ts);
  if(f->ts_end != RIFT_TIME_NONE)
    cv_int(&r[FIC_ts_end], f->ts_end);
  cv_str(k, &r[FIC_host], f->host);
  cv_str(k, &r[FIC_message], f->message);
  cv_str(k, &r[FIC_user_name], f->user_name);
  cv_str(k, &r[FIC_source_ip], f->source_ip);
  cv_str(k, &r[FIC_destination_ip], f->destination_ip);
  cv_str(k, &r[FIC_process_name], f->process_name);
  cv_str(k, &r[FIC_process_command_line], f->process_command_line);
  cv_str(k, &r[FIC_details], f->details_json);
  if(f->nrefs)
    memcpy(k->refs, f->refs, f->nrefs * sizeof(*k->refs));
  k->nrefs = f->nrefs;
  if(k->text.err) {
    blk_free(k);
    return RIFT_NOMEM;
  }
  return push(w, k);
}

void rift_store_finding_sink(struct rift_store_writer *w,
                             struct rift_finding_sink *out)
{
  out->emit = finding_emit;
  out->ctx = w;
}

static rift_err sink_prepare(void *ctx, struct rift_batch *b)
{
  struct rift_store_writer *w = ctx;
  struct blk *k;
  rift_err rc = RIFT_OK;
  if(w->pre) {
    rc = w->pre(w->prectx, b);
    if(rc)
      return rc;
  }
  k = blk_get(w, BLK_EVENTS, EVC__COUNT);
  if(!k)
    return RIFT_NOMEM;
  rc = blk_encode_events(k, b);
  if(rc) {
    blk_free(k);
    return rc;
  }
  pthread_mutex_lock(&w->mu);
  if(w->npend < MAX_PENDING) {
    w->pend[w->npend].b = b;
    w->pend[w->npend].k = k;
    w->npend++;
    k = NULL;
  }
  pthread_mutex_unlock(&w->mu);
  if(k) { /* more batches in flight than any parser window: encode later */
    blk_free(k);
  }
  return RIFT_OK;
}

static rift_err sink_batch(void *ctx, struct rift_batch *b)
{
  struct rift_store_writer *w = ctx;
  struct blk *k = NULL;
  size_t i;
  pthread_mutex_lock(&w->mu);
  for(i = 0; i < w->npend; i++) {
    if(w->pend[i].b == b) {
      k = w->pend[i].k;
      w->pend[i] = w->pend[--w->npend];
      break;
    }
  }
  pthread_mutex_unlock(&w->mu);
  if(!k)
    return rift_store_put_batch(w, b);
  return push(w, k);
}

void rift_store_event_sink(struct rift_store_writer *w,
                           rift_err (*pre)(void *prectx, struct rift_batch *b),
                           void *prectx, struct rift_event_sink *out)
{
  w->pre = pre;
  w->prectx = prectx;
  out->prepare = sink_prepare;
  out->batch = sink_batch;
  out->ctx = w;
}

/* ---- the writer thread --------------------------------------------------- */

struct wstmts {
  sqlite3_stmt *ev, *fts, *fi, *fe, *in, *inerr_del, *inerr;
};

static void bind(sqlite3_stmt *st, int i, const struct cval *c,
                 const struct blk *k)
{
  switch(c->t) {
  case CV_INT:
    sqlite3_bind_int64(st, i, c->i);
    break;
  case CV_REAL:
    sqlite3_bind_double(st, i, c->f);
    break;
  case CV_TEXT:
    sqlite3_bind_text(st, i, k->text.buf + c->off, (int)c->len,
                      SQLITE_STATIC);
    break;
  case CV_STATIC:
    sqlite3_bind_text(st, i, c->s, -1, SQLITE_STATIC);
    break;
  default:
    sqlite3_bind_null(st, i);
  }
}

static rift_err step(struct rift_store_writer *w, sqlite3_stmt *st)
{
  int r = sqlite3_step(st);
  sqlite3_reset(st);
  if(r != SQLITE_DONE) {
    snprintf(w->err, sizeof(w->err), "%s", sqlite3_errmsg(w->db));
    return RIFT_DB;
  }
  return RIFT_OK;
}

static rift_err write_blk(struct rift_store_writer *w, struct wstmts *s,
                          const struct blk *k)
{
  size_t i, c;
  rift_err rc = RIFT_OK;
  switch(k->type) {
  case BLK_EVENTS:
    for(i = 0; i < k->nrows && !rc; i++) {
      const struct cval *r = &k->v[i * k->ncol];
      for(c = 0; c < k->ncol; c++)
        bind(s->ev, (int)c + 1, &r[c], k);
      rc = step(w, s->ev);
      /* the full-text index is filled as rows arrive, so that its cost
       * overlaps with parsing */
      if(!rc && (r[EVC_message].t != CV_NULL ||
                 r[EVC_process_command_line].t != CV_NULL)) {
        sqlite3_bind_int64(s->fts, 1, sqlite3_last_insert_rowid(w->db));
        bind(s->fts, 2, &r[EVC_message], k);
        bind(s->fts, 3, &r[EVC_process_command_line], k);
        rc = step(w, s->fts);
      }
    }
    w->events += k->nrows;
    break;
  case BLK_FINDING: {
    int64_t fid;
    for(c = 0; c < k->ncol; c++)
      bind(s->fi, (int)c + 1, &k->v[c], k);
    rc = step(w, s->fi);
    fid = sqlite3_last_insert_rowid(w->db);
    for(i = 0; i < k->nrefs && !rc; i++) {
      const struct rift_event_ref *r = &k->refs[i];
      sqlite3_bind_int64(s->fe, 1, fid);
      sqlite3_bind_int64(s->fe, 2, r->file_id);
      sqlite3_bind_int64(s->fe, 3, (int64_t)r->offset);
      sqlite3_bind_int64(s->fe, 4, (int64_t)r->record_id);
      if(r->ts != RIFT_TIME_NONE)
        sqlite3_bind_int64(s->fe, 5, r->ts);
      else
        sqlite3_bind_null(s->fe, 5);
      rc = step(w, s->fe);
    }
    w->findings++;
    break;
  }
  case BLK_INPUT:
    for(c = 0; c < k->ncol; c++)
      bind(s->in, (int)c + 1, &k->v[c], k);
    rc = step(w, s->in);
    if(!rc) {
      bind(s->inerr_del, 1, &k->v[INC_id], k);
      rc = step(w, s->inerr_del);
    }
    for(i = 0; i < k->nmsgs && !rc; i++) {
      bind(s->inerr, 1, &k->v[INC_id], k);
      for(c = 0; c < 3; c++)
        bind(s->inerr, (int)c + 2, &k->msgs[i * 3 + c], k);
      rc = step(w, s->inerr);
    }
    w->inputs++;
    break;
  }
  return rc;
}

static rift_err prepare_all(struct rift_store_writer *w, struct wstmts *s)
{
  struct rift_buf q;
  int i, r = SQLITE_OK;
  rift_buf_init(&q, RIFT_BUF_MAX_LINE);
  rift_buf_adds(&q, "INSERT INTO events(");
  for(i = 0; i < EVC__COUNT; i++)
    rift_buf_addf(&q, "%s%s", i ? "," : "", store_ev_colname(i));
  rift_buf_adds(&q, ") VALUES(");
  for(i = 0; i < EVC__COUNT; i++)
    rift_buf_adds(&q, i ? ",?" : "?");
  rift_buf_adds(&q, ")");
  if(q.err) {
    rift_buf_release(&q);
    return q.err;
  }
  r |= sqlite3_prepare_v3(w->db, q.buf, -1, SQLITE_PREPARE_PERSISTENT,
                          &s->ev, NULL);
  rift_buf_release(&q);
  if(!r)
    r = sqlite3_prepare_v3(w->db,
      "INSERT INTO events_fts(rowid, message, process_command_line)"
      " VALUES(?,?,?)", -1, SQLITE_PREPARE_PERSISTENT, &s->fts, NULL);
  if(!r)
    r = sqlite3_prepare_v3(w->db,
      "INSERT INTO findings(source, rule_id, rule_name, level, severity,"
      " techniques, tags, ts, ts_end, host, message, user_name, source_ip,"
      " destination_ip, process_name, process_command_line, details)"
      " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1,
      SQLITE_PREPARE_PERSISTENT, &s->fi, NULL);
  if(!r)
    r = sqlite3_prepare_v3(w->db,
      "INSERT INTO finding_events(finding_id, file_id, offset, record_id,"
      " ts) VALUES(?,?,?,?,?)", -1, SQLITE_PREPARE_PERSISTENT, &s->fe, NULL);
  if(!r)
    r = sqlite3_prepare_v3(w->db,
      "INSERT OR REPLACE INTO inputs(id, path, container, size, sha256,"
      " format, parser, records, errors, recovered, status, error, host,"
      " added) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1,
      SQLITE_PREPARE_PERSISTENT, &s->in, NULL);
  if(!r)
    r = sqlite3_prepare_v3(w->db,
      "DELETE FROM input_errors WHERE input_id = ?", -1,
      SQLITE_PREPARE_PERSISTENT, &s->inerr_del, NULL);
  if(!r)
    r = sqlite3_prepare_v3(w->db,
      "INSERT INTO input_errors(input_id, level, offset, message)"
      " VALUES(?,?,?,?)", -1, SQLITE_PREPARE_PERSISTENT, &s->inerr, NULL);
  if(r != SQLITE_OK) {
    snprintf(w->err, sizeof(w->err), "%s", sqlite3_errmsg(w->db));
    return RIFT_DB;
  }
  return RIFT_OK;
}

static void finalize_all(struct wstmts *s)
{
  sqlite3_finalize(s->ev);
  sqlite3_finalize(s->fts);
  sqlite3_finalize(s->fi);
  sqlite3_finalize(s->fe);
  sqlite3_finalize(s->in);
  sqlite3_finalize(s->inerr_del);
  sqlite3_finalize(s->inerr);
}

static void *writer_main(void *arg)
{
  struct rift_store_writer *w = arg;
  struct wstmts s;
  struct blk *k;
  uint64_t rows = 0;
  memset(&s, 0, sizeof(s));
  w->rc = prepare_all(w, &s);
  if(!w->rc)
    w->rc = store_exec(w->db, "BEGIN", w->err, sizeof(w->err));
  int64_t busy = 0, idle = 0, ta = rift_time_now(), tb;
  while((k = rift_queue_pop(&w->q))) {
    tb = rift_time_now();
    idle += tb - ta;
    if(!w->rc) {
      w->rc = write_blk(w, &s, k);
      rows += k->nrows + k->nrefs + k->nmsgs;
      if(!w->rc && rows >= COMMIT_ROWS) {
        w->rc = store_exec(w->db, "COMMIT; BEGIN", w->err, sizeof(w->err));
        rows = 0;
      }
    }
    blk_put(w, k);
    ta = rift_time_now();
    busy += ta - tb;
  }
  w->busy_ns = busy;
  w->idle_ns = idle;
  if(!w->rc)
    w->rc = store_exec(w->db, "COMMIT", w->err, sizeof(w->err));
  else
    sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
  finalize_all(&s);
  return NULL;
}

rift_err rift_store_writer_start(struct rift_store *s, unsigned flags,
                                 struct rift_store_writer **out)
{
  struct rift_store_writer *w;
  sqlite3_stmt *st;
  rift_err rc;
  *out = NULL;
  if(s->mode == RIFT_STORE_READ)
    return RIFT_INVALID;
  w = calloc(1, sizeof(*w));
  if(!w)
    return RIFT_NOMEM;
  w->s = s;
  w->flags = flags;
  pthread_mutex_init(&w->mu, NULL);
  rc = store_db_open(&w->db, s->path, 0, s->err, sizeof(s->err));
  if(!rc)
    rc = store_exec(w->db,
                    (flags & RIFT_STORE_BULK)
                      ? "PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;"
                      : "PRAGMA synchronous=NORMAL;",
                    s->err, sizeof(s->err));
  /* a bulk load into a new case writes without a journal: nothing to
   * roll back to, and every page is written once (a WAL would write it
   * twice); finish switches the case to WAL */
  if(!rc && (flags & RIFT_STORE_BULK) && s->mode == RIFT_STORE_CREATE)
    rc = store_exec(w->db, "PRAGMA journal_mode=OFF;", s->err,
                    sizeof(s->err));
  if(!rc && sqlite3_prepare_v2(w->db,
                               "SELECT coalesce(max(id), 0) FROM events", -1,
                               &st, NULL) == SQLITE_OK) {
    if(sqlite3_step(st) == SQLITE_ROW)
      w->last_id_before = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  if(!rc)
    rc = rift_queue_init(&w->q, QUEUE_BLOCKS);
  if(!rc) {
    w->t0 = rift_time_now();
    if(pthread_create(&w->th, NULL, writer_main, w)) {
      rift_queue_release(&w->q);
      rc = RIFT_NOMEM;
    }
    else {
      w->started = 1;
    }
  }
  if(rc) {
    if(w->db)
      sqlite3_close_v2(w->db);
    pthread_mutex_destroy(&w->mu);
    free(w);
    return rc;
  }
  *out = w;
  return RIFT_OK;
}

static rift_err finish_exec(struct rift_store_writer *w, const char *sql)
{
  rift_err rc = store_exec(w->db, sql, w->err, sizeof(w->err));
  if(rc && !w->rc)
    w->rc = rc;
  return rc;
}

rift_err rift_store_writer_finish(struct rift_store_writer **wp,
                                  struct rift_store_load_stats *st)
{
  struct rift_store_writer *w = *wp;
  int64_t t1;
  size_t i;
  rift_err rc;
  if(!w)
    return RIFT_OK;
  rift_queue_close(&w->q);
  pthread_join(w->th, NULL);
  w->t_loaded = rift_time_now();
  for(i = 0; i < w->npend; i++) /* prepared, never emitted */
    blk_free(w->pend[i].k);
  /* deferred work of the bulk load, also after a writer error so that
   * what was written stays usable */
  finish_exec(w, "BEGIN");
  finish_exec(w, "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
                 " PRAGMA threads=2");
  store_create_indexes(w->db, w->err, sizeof(w->err));
  finish_exec(w,
    "UPDATE finding_events SET event_id = (SELECT e.id FROM events e"
    " WHERE e.file_id = finding_events.file_id"
    " AND e.offset = finding_events.offset"
    " AND (finding_events.record_id = 0"
    " OR e.record_id = finding_events.record_id) ORDER BY e.id LIMIT 1)"
    " WHERE event_id IS NULL");
  finish_exec(w, "COMMIT");
  finish_exec(w, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                 " PRAGMA wal_checkpoint(TRUNCATE);");
  t1 = rift_time_now();
  if(st) {
    st->events = w->events;
    st->findings = w->findings;
    st->inputs = w->inputs;
    st->load_s = (double)(w->t_loaded - w->t0) / 1e9;
    st->write_s = (double)w->busy_ns / 1e9;
    st->wait_s = (double)w->idle_ns / 1e9;
    st->index_s = (double)(t1 - w->t_loaded) / 1e9;
  }
  rc = w->rc ? w->rc : w->prod_rc;
  if(rc)
    snprintf(w->s->err, sizeof(w->s->err), "%s", w->err);
  sqlite3_close_v2(w->db);
  rift_queue_release(&w->q);
  for(i = 0; i < w->nfree; i++)
    blk_free(w->freel[i]);
  pthread_mutex_destroy(&w->mu);
  free(w);
  *wp = NULL;
  return rc;
}
