/*
 * triage.c - rift triage: evidence in, a case out.
 *
 *   walk (folders, archives)  ->  per input: open read-only, SHA-256,
 *   sniff the format  ->  parse in parallel (rift_pool)  ->  prepare() on
 *   the workers: ECS mapping + streaming detection, row encoding  ->
 *   batch() in order: the store's writer thread (bounded queue)  ->
 *   indexes, full-text index  ->  CASE/manifest.json  ->  summary.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/case.h"
#include "cmd/cmd.h"
#include "cmd/sigma-cmd.h"
#include "core/hmap.h"
#include "core/pool.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "detect/endpoint.h"
#include "detect/netan.h"
#include "detect/sigma/sigma-sink.h"
#include "fmt/format.h"
#include "map/map.h"
#include "out/json.h"
#include "out/report.h"
#include "out/timeline.h"
#include "source/hash.h"
#include "source/walk.h"
#include "store/store.h"

static const char usage_str[] =
  "usage: rift triage [options] EVIDENCE... -o CASE\n"
  "\n"
  "Read every artifact under EVIDENCE (files, folders such as KAPE,\n"
  "Velociraptor or UAC collections, and zip/7z/tar/tar.gz/tar.zst\n"
  "archives, extracted only into a temporary folder in CASE), recognise\n"
  "each by its content, and build the case CASE: CASE/case.db (SQLite, see\n"
  "docs/case-schema.md) and CASE/manifest.json (every input with its size,\n"
  "SHA-256, format, records read and errors).  Evidence is only read.\n"
  "\n"
  "  -o, --output CASE   the case folder (created if needed)\n"
  "  -r, --rules PATH    Sigma rules (file or folder, repeatable) to hunt\n"
  "                      with while parsing; findings go into the case\n"
  "      --mapping FILE  Sigma logsource/field mapping instead of rift's\n"
  "      --placeholders FILE  values for the expand modifier\n"
  "      --no-endpoint   do not run the endpoint analytics (process trees,\n"
  "                      behaviour, logons: rift endpoint CASE runs them)\n"
  "      --no-net        do not run the network analytics (rare external\n"
  "                      destinations, fingerprints, beacons: rift net rare|\n"
  "                      beacons CASE runs them)\n"
  "      --append        add the evidence to an existing case (another host)\n"
  "      --force         replace an existing case\n"
  "  -t, --threads N     parser threads (default: one per CPU)\n"
  "  -q, --quiet         no summary, no per-record damage reports\n"
  "  -h, --help          this help\n"
  "\n"
  "Damaged or unreadable inputs are reported on stderr (path and reason)\n"
  "and in the manifest; everything else is still read.  The endpoint\n"
  "analytics (rift endpoint) run over this run's events and store their\n"
  "findings in the case; after --append, `rift endpoint CASE` recomputes\n"
  "them over the whole case.  Exit status: 0,\n"
  "1 if the run completed but some inputs had errors, 128 on failure.\n";

#define STDERR_LINES_PER_INPUT 20
#define SUMMARY_ERRORS 10

struct tin {
  const char *path;
  char *host;
  struct rift_input_msg msgs[RIFT_INPUT_MAX_MSGS];
  size_t nmsgs;
  unsigned long printed, hidden;
};

struct triage {
  const char *casedir;
  struct rift_store *s;
  struct rift_store_writer *w;
  struct rift_event_sink store_sink, sink;
  struct rift_finding_sink findings;
  struct rift_pool *pool;
  unsigned threads;
  struct rift_walk_opts wo;
  const char *rules;       /* the rule paths, for case_info */
  struct sigma_opts so;
  struct rift_sigma *set;
  struct rift_sigma_sink *sk;
  struct rift_eprules *eprules; /* endpoint analytics (NULL: off) */
  int net;                      /* network analytics on */
  struct rift_netcfg netcfg;
  struct rift_netmodel netmodel;
  struct rift_endpoint ep;
  int quiet;
  struct tin *cur;
  struct rift_hmap seen; /* sha256 -> file id, this run */
  struct rift_hmap sizes; /* sizes of the inputs hashed in this run */
  struct rift_progress prog;
  int64_t t0;
  /* this run */
  uint64_t inputs, with_errors, skipped, dups, events, bytes, archives;
  char *errlines[SUMMARY_ERRORS];
  size_t nerr;
};

/* ---- streaming detection ----------------------------------------------------- */

/* Runs on the parser workers for every batch, after ECS mapping and
 * before the rows are encoded for the case: Sigma matching (the hits wait
 * in the batch until sink_batch() turns them into findings, in order). */
static rift_err triage_detect(struct triage *t, struct rift_batch *b)
{
  return t->sk ? rift_sigma_sink_prepare(t->sk, b) : RIFT_OK;
}

static rift_err triage_prepare(void *ctx, struct rift_batch *b)
{
  struct triage *t = ctx;
  rift_err rc = rift_map_batch(b);
  if(!rc)
    rc = triage_detect(t, b);
  return rc;
}

/* ---- the event sink ---------------------------------------------------------- */

static rift_err sink_prepare(void *ctx, struct rift_batch *b)
{
  struct triage *t = ctx;
  return t->store_sink.prepare(t->store_sink.ctx, b);
}

static rift_err sink_batch(void *ctx, struct rift_batch *b)
{
  struct triage *t = ctx;
  size_t i;
  if(t->cur && !t->cur->host) {
    for(i = 0; i < b->n; i++) {
      if(b->ev[i].host) {
        t->cur->host = strdup(b->ev[i].host);
        break;
      }
    }
  }
  t->events += b->n;
  rift_progress_update(&t->prog, t->events);
  if(t->eprules) {
    /* the endpoint engine copies what it keeps from the batch */
    rift_err rc = rift_endpoint_add_batch(&t->ep, b);
    if(rc)
      return rc;
  }
  if(t->sk) {
    /* findings go to the case's finding sink (t->findings) */
    rift_err rc = rift_sigma_sink_batch(t->sk, b);
    if(rc)
      return rc;
  }
  if(t->net) {
    /* the network model keeps what it needs (flows, TLS, DNS, x509) */
    for(i = 0; i < b->n; i++) {
      rift_err rc = rift_netmodel_add(&t->netmodel, &b->ev[i]);
      if(rc)
        return rc;
    }
  }
  return t->store_sink.batch(t->store_sink.ctx, b);
}

/* ---- problems with an input ---------------------------------------------------- */

static void say(struct triage *t, const char *path, enum rift_diag_level lv,
                uint64_t off, const char *text)
{
  rift_progress_done(&t->prog);
  if(off != UINT64_MAX)
    fprintf(stderr, "rift: %s: %s at offset 0x%llx: %s\n", path,
            lv == RIFT_DIAG_ERROR ? "error" : "warning",
            (unsigned long long)off, text);
  else
    fprintf(stderr, "rift: %s: %s: %s\n", path,
            lv == RIFT_DIAG_ERROR ? "error" : "warning", text);
}

static void tin_add(struct triage *t, struct tin *in, enum rift_diag_level lv,
                    uint64_t off, const char *text)
{
  if(in->nmsgs < RIFT_INPUT_MAX_MSGS) {
    char *c = strdup(text);
    if(c) {
      in->msgs[in->nmsgs].level = lv;
      in->msgs[in->nmsgs].offset = off;
      in->msgs[in->nmsgs].text = c;
      in->nmsgs++;
    }
  }
  if(t->quiet && lv != RIFT_DIAG_ERROR)
    return;
  if(in->printed < STDERR_LINES_PER_INPUT) {
    say(t, in->path, lv, off, text);
    in->printed++;
  }
  else {
    in->hidden++;
  }
}

static void tin_report(void *ctx, const struct rift_diag_msg *m)
{
  struct triage *t = ctx;
  if(t->cur)
    tin_add(t, t->cur, m->level, m->offset, m->text);
}

static void tin_release(struct tin *in)
{
  size_t i;
  for(i = 0; i < in->nmsgs; i++)
    free((char *)in->msgs[i].text);
  free(in->host);
  memset(in, 0, sizeof(*in));
}

static void note_error(struct triage *t, const char *path, const char *why)
{
  char *line = NULL;
  t->with_errors++;
  if(t->nerr < SUMMARY_ERRORS && asprintf(&line, "%s: %s", path, why) >= 0)
    t->errlines[t->nerr++] = line;
}

static const char *first_error(const struct tin *in)
{
  size_t i;
  for(i = 0; i < in->nmsgs; i++) {
    if(in->msgs[i].level == RIFT_DIAG_ERROR)
      return in->msgs[i].text;
  }
  return in->nmsgs ? in->msgs[0].text : NULL;
}

static void put_input(struct triage *t, struct rift_input *in,
                      const struct tin *ti)
{
  rift_err rc;
  if(ti) {
    in->msgs = ti->msgs;
    in->nmsgs = ti->nmsgs;
    in->host = ti->host;
  }
  in->added = rift_time_now();
  rc = rift_store_put_input(t->w, in);
  if(rc)
    die("%s: cannot record the input: %s", in->path, rift_strerror(rc));
  t->inputs++;
}

/* ---- one input ------------------------------------------------------------------ */

/* SHA-256 on a thread of its own while the input is parsed (inputs whose
 * size no other input has cannot be duplicates, so they need not wait
 * for their hash). */
struct hashjob {
  const struct rift_source *src;
  char hex[RIFT_SHA256_HEX];
  rift_err rc;
  pthread_t th;
  int started;
};

static void *hash_main(void *arg)
{
  struct hashjob *h = arg;
  h->rc = rift_sha256_source(h->src, h->hex);
  return NULL;
}

/* Could an input of this size be a duplicate?  (Remembers the size.) */
static int size_seen(struct triage *t, uint64_t size)
{
  char key[24];
  size_t n = rift_fmt_u64(key, size);
  union rift_hval *v;
  int isnew;
  if(rift_hmap_put(&t->sizes, key, n, &v, &isnew))
    return 1;
  return !isnew;
}

/* The sizes and hashes of the inputs already in the case (--append), so
 * that duplicates are found without reading the case during the load. */
static rift_err known_input(void *ctx, const struct rift_input *in)
{
  struct triage *t = ctx;
  union rift_hval *v;
  int isnew;
  if(!in->sha256 || strlen(in->sha256) != 64 ||
     (strcmp(in->status, "ok") && strcmp(in->status, "errors")))
    return RIFT_OK;
  size_seen(t, in->size);
  if(!rift_hmap_put(&t->seen, in->sha256, 64, &v, &isnew) && isnew)
    v->u = in->id;
  return RIFT_OK;
}

static rift_err on_archive(struct triage *t, const struct rift_walk_item *it)
{
  struct rift_input in;
  struct rift_source src;
  struct tin ti;
  char sha[RIFT_SHA256_HEX] = "";
  size_t i;
  memset(&in, 0, sizeof(in));
  memset(&ti, 0, sizeof(ti));
  ti.path = it->path;
  in.id = rift_store_next_file_id(t->s);
  in.path = it->path;
  in.container = it->container;
  in.size = it->size;
  in.format = it->format;
  in.parser = it->parser;
  in.records = it->members;
  if(!rift_source_open(&src, it->real, NULL)) {
    if(!rift_sha256_source(&src, sha))
      in.sha256 = sha;
    rift_source_close(&src);
  }
  if(it->error)
    tin_add(t, &ti, RIFT_DIAG_ERROR, UINT64_MAX, it->error);
  for(i = 0; i < it->nproblems; i++)
    tin_add(t, &ti, strncmp(it->problems[i], "warning: ", 9)
                      ? RIFT_DIAG_ERROR : RIFT_DIAG_WARN,
            UINT64_MAX, it->problems[i]);
  in.errors = (it->error ? 1 : 0) + it->nproblems;
  in.status = it->error ? "failed" : in.errors ? "errors" : "ok";
  in.error = first_error(&ti);
  if(in.error)
    note_error(t, it->path, in.error);
  t->archives++;
  t->bytes += it->size;
  put_input(t, &in, &ti);
  tin_release(&ti);
  return RIFT_OK;
}

static rift_err on_bad(struct triage *t, const struct rift_walk_item *it)
{
  struct rift_input in;
  struct tin ti;
  memset(&in, 0, sizeof(in));
  memset(&ti, 0, sizeof(ti));
  ti.path = it->path;
  in.id = rift_store_next_file_id(t->s);
  in.path = it->path;
  in.container = it->container;
  in.size = it->size;
  in.error = it->error;
  if(it->benign) {
    in.status = "skipped";
    t->skipped++;
  }
  else {
    in.status = "failed";
    in.errors = 1;
    tin_add(t, &ti, RIFT_DIAG_ERROR, UINT64_MAX, it->error);
    note_error(t, it->path, it->error);
  }
  put_input(t, &in, &ti);
  tin_release(&ti);
  return RIFT_OK;
}

static rift_err on_file(struct triage *t, const struct rift_walk_item *it)
{
  struct rift_input in;
  struct rift_source src;
  struct rift_diag d;
  struct rift_parse_opts po;
  struct rift_parse_stats st;
  const struct rift_format *fmt;
  union rift_hval *seen;
  struct hashjob hj;
  struct tin ti;
  char sha[RIFT_SHA256_HEX] = "", why[300];
  const char *claimed;
  uint32_t dup;
  int isnew;
  rift_err rc;

  memset(&in, 0, sizeof(in));
  memset(&ti, 0, sizeof(ti));
  memset(&st, 0, sizeof(st));
  memset(&hj, 0, sizeof(hj));
  ti.path = it->path;
  t->cur = &ti;
  rift_diag_init(&d, it->path, tin_report, t);
  in.id = rift_store_next_file_id(t->s);
  in.path = it->path;
  in.container = it->container;
  in.size = it->size;
  if(rift_source_open(&src, it->real, &d)) {
    in.status = "failed";
    in.errors = 1;
    goto done;
  }
  in.size = src.len;
  t->bytes += src.len;
  if(!src.len) {
    rift_diag_report(&d, RIFT_DIAG_ERROR, RIFT_TRUNCATED, UINT64_MAX,
                     "empty file (0 bytes)");
    in.status = "failed";
    in.errors = 1;
    goto close;
  }
  memset(&hj, 0, sizeof(hj));
  hj.src = &src;
  dup = 0;
  if(size_seen(t, src.len)) {
    if(rift_sha256_source(&src, sha))
      die("%s: cannot compute SHA-256 (OpenSSL)", it->path);
    in.sha256 = sha;
    if(!rift_hmap_put(&t->seen, sha, 64, &seen, &isnew)) {
      if(isnew)
        seen->u = in.id;
      else
        dup = (uint32_t)seen->u;
    }
  }
  else if(!pthread_create(&hj.th, NULL, hash_main, &hj)) {
    hj.started = 1;
  }
  else if(rift_sha256_source(&src, sha)) {
    die("%s: cannot compute SHA-256 (OpenSSL)", it->path);
  }
  else {
    in.sha256 = sha;
  }
  fmt = rift_format_sniff(src.data, src.len < 4096 ? src.len : 4096,
                          it->path, src.len);
  if(fmt) {
    in.format = fmt->name;
    in.parser = fmt->parser;
  }
  if(dup) {
    snprintf(why, sizeof(why), "same content as input %u, not read twice",
             dup);
    in.status = "duplicate";
    in.error = why;
    t->dups++;
    goto close;
  }
  if(!fmt) {
    claimed = rift_format_claimed(it->path);
    if(claimed) {
      snprintf(why, sizeof(why),
               "the name says %s but the content is not %s (no %s "
               "signature)", claimed, claimed, claimed);
      rift_diag_report(&d, RIFT_DIAG_ERROR, RIFT_CORRUPT, UINT64_MAX, "%s",
                       why);
      in.status = "failed";
      in.errors = 1;
    }
    else {
      in.status = "skipped";
      in.error = "not a format rift reads";
      t->skipped++;
    }
    goto close;
  }
  memset(&po, 0, sizeof(po));
  po.file_id = in.id;
  po.pool = t->pool;
  po.path = it->path;
  po.threads = t->threads;
  rc = fmt->parse(&src, &po, &t->sink, &d, &st);
  if(rc == RIFT_NOMEM)
    die("%s: out of memory", it->path);
  if(rc)
    rift_diag_report(&d, RIFT_DIAG_ERROR, rc, UINT64_MAX,
                     "reading stopped: %s", rift_strerror(rc));
  in.records = st.records;
  in.errors = st.errors;
  in.recovered = st.recovered;
  if(in.errors < d.errors)
    in.errors = d.errors;
  if(!in.errors)
    in.status = "ok";
  else
    in.status = in.records ? "errors" : "failed";
close:
  if(hj.started) {
    pthread_join(hj.th, NULL);
    if(hj.rc)
      die("%s: cannot compute SHA-256 (OpenSSL)", it->path);
    memcpy(sha, hj.hex, sizeof(sha));
    in.sha256 = sha;
    if(!rift_hmap_put(&t->seen, sha, 64, &seen, &isnew) && isnew)
      seen->u = in.id;
  }
  rift_source_close(&src);
done:
  if(ti.hidden)
    say(t, it->path, RIFT_DIAG_WARN, UINT64_MAX, "more problems not shown "
        "(see manifest.json)");
  if(!in.error && in.errors)
    in.error = first_error(&ti);
  if(in.errors)
    note_error(t, it->path, in.error ? in.error : "damaged");
  put_input(t, &in, &ti);
  t->cur = NULL;
  tin_release(&ti);
  return RIFT_OK;
}

static rift_err on_item(void *ctx, const struct rift_walk_item *it)
{
  struct triage *t = ctx;
  switch(it->kind) {
  case RIFT_WALK_ARCHIVE:
    return on_archive(t, it);
  case RIFT_WALK_BAD:
    return on_bad(t, it);
  default:
    return on_file(t, it);
  }
}

/* ---- the manifest ------------------------------------------------------------------ */

#define MAX_SOURCES 16

struct source_count {
  char format[32];
  uint64_t files, records;
};

struct mctx {
  struct rift_json *j;
  struct source_count src[MAX_SOURCES];
  size_t nsrc;
};

static void count_source(struct mctx *m, const struct rift_input *in)
{
  size_t i;
  if(!in->format || (strcmp(in->status, "ok") && strcmp(in->status, "errors")))
    return;
  for(i = 0; i < m->nsrc && strcmp(m->src[i].format, in->format); i++)
    ;
  if(i == m->nsrc) {
    if(m->nsrc == MAX_SOURCES)
      return;
    snprintf(m->src[i].format, sizeof(m->src[i].format), "%s", in->format);
    m->nsrc++;
  }
  m->src[i].files++;
  m->src[i].records += in->records;
}

static rift_err manifest_input(void *ctx, const struct rift_input *in)
{
  struct mctx *m = ctx;
  struct rift_json *j = m->j;
  size_t i;
  count_source(m, in);
  rift_json_begin(j, '{');
  rift_json_key(j, "id");
  rift_json_u64(j, in->id);
  rift_json_key(j, "path");
  rift_json_str(j, in->path);
  if(in->container) {
    rift_json_key(j, "container");
    rift_json_str(j, in->container);
  }
  rift_json_key(j, "size");
  rift_json_u64(j, in->size);
  rift_json_key(j, "sha256");
  rift_json_str(j, in->sha256);
  rift_json_key(j, "format");
  rift_json_str(j, in->format);
  rift_json_key(j, "parser");
  rift_json_str(j, in->parser);
  rift_json_key(j, "records");
  rift_json_u64(j, in->records);
  rift_json_key(j, "errors");
  rift_json_u64(j, in->errors);
  if(in->recovered) {
    rift_json_key(j, "recovered");
    rift_json_u64(j, in->recovered);
  }
  rift_json_key(j, "status");
  rift_json_str(j, in->status);
  if(in->error) {
    rift_json_key(j, "error");
    rift_json_str(j, in->error);
  }
  if(in->host) {
    rift_json_key(j, "host");
    rift_json_str(j, in->host);
  }
  rift_json_key(j, "added");
  rift_json_time(j, in->added);
  if(in->nmsgs) {
    rift_json_key(j, "problems");
    rift_json_begin(j, '[');
    for(i = 0; i < in->nmsgs; i++) {
      rift_json_begin(j, '{');
      rift_json_key(j, "level");
      rift_json_str(j, in->msgs[i].level == RIFT_DIAG_WARN ? "warning"
                                                           : "error");
      if(in->msgs[i].offset != UINT64_MAX) {
        rift_json_key(j, "offset");
        rift_json_u64(j, in->msgs[i].offset);
      }
      rift_json_key(j, "message");
      rift_json_str(j, in->msgs[i].text);
      rift_json_end(j);
    }
    rift_json_end(j);
  }
  rift_json_end(j);
  return j->b->err;
}

static void write_manifest(struct triage *t, struct mctx *m)
{
  struct rift_buf b;
  struct rift_json j;
  char path[4096], tmp[4200];
  FILE *f;
  rift_err rc;
  rift_buf_init(&b, RIFT_BUF_MAX_FILE);
  rift_json_init(&j, &b);
  j.pretty = 1;
  rift_json_begin(&j, '{');
  rift_json_key(&j, "rift_version");
  rift_json_str(&j, "0.1.0");
  rift_json_key(&j, "schema_version");
  rift_json_u64(&j, RIFT_STORE_SCHEMA_VERSION);
  rift_json_key(&j, "written");
  rift_json_time(&j, rift_time_now());
  rift_json_key(&j, "inputs");
  rift_json_begin(&j, '[');
  m->j = &j;
  rc = rift_store_inputs(t->s, manifest_input, m);
  rift_json_end(&j);
  rift_json_end(&j);
  rift_buf_addch(&b, '\n');
  if(rc || b.err)
    die("%s: cannot build manifest.json: %s", t->casedir,
        rc ? rift_store_errmsg(t->s) : rift_strerror(b.err));
  snprintf(path, sizeof(path), "%s/manifest.json", t->casedir);
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  f = fopen(tmp, "w");
  if(!f || fwrite(b.buf, 1, b.len, f) != b.len || fclose(f))
    die("%s: cannot write: %s", tmp, strerror(errno));
  if(rename(tmp, path))
    die("%s: cannot write: %s", path, strerror(errno));
  rift_buf_release(&b);
}

/* ---- the summary --------------------------------------------------------------- */

struct top {
  char line[1024];
  size_t len;
  int n, max;
  uint64_t rest;
};

static rift_err top_add(void *ctx, const struct rift_store_count *c)
{
  struct top *tp = ctx;
  char num[32];
  int w;
  if(tp->n >= tp->max) {
    tp->rest += c->n;
    return RIFT_OK;
  }
  w = snprintf(tp->line + tp->len, sizeof(tp->line) - tp->len, "%s%s %s",
               tp->n ? ", " : "", *c->key ? c->key : "(none)",
               fmt_count(num, sizeof(num), c->n));
  if(w > 0 && (size_t)w < sizeof(tp->line) - tp->len)
    tp->len += (size_t)w;
  tp->n++;
  return RIFT_OK;
}

static rift_err level_add(void *ctx, const struct rift_store_count *c)
{
  return top_add(ctx, c);
}

/* CASE/timeline.csv (streamed from the case, bounded memory) and
 * CASE/report.html, as DESIGN.md promises every case has. */
static void write_outputs(struct triage *t)
{
  char path[PATH_MAX];
  struct rift_store_filter f;
  struct rift_store_iter *it;
  struct rift_report_opts ro = { t->casedir, 2000 };
  struct rift_batch b;
  struct rift_buf out;
  FILE *fp;
  rift_err rc;
  rift_buf_init(&out, (size_t)1 << 31);
  snprintf(path, sizeof(path), "%s/timeline.csv", t->casedir);
  fp = fopen(path, "w");
  if(!fp)
    die("%s: cannot write: %s", path, strerror(errno));
  rift_timeline_header(&out, RIFT_TIMELINE_CSV);
  rift_store_filter_init(&f);
  rc = rift_store_iter_open(t->s, &f, &it);
  if(rc)
    die("%s: cannot read the case: %s", t->casedir, rift_store_errmsg(t->s));
  rift_batch_init(&b);
  while(!(rc = rift_store_iter_next(it, &b, 4096)) && b.n) {
    const int64_t *ids = rift_store_iter_ids(it);
    size_t i;
    for(i = 0; i < b.n; i++)
      rift_timeline_row(&out, RIFT_TIMELINE_CSV, &b.ev[i], ids[i]);
    if(out.err || fwrite(out.buf, 1, out.len, fp) != out.len)
      die("%s: cannot write", path);
    rift_buf_reset(&out);
  }
  rift_store_iter_free(&it);
  rift_batch_release(&b);
  if(rc || fwrite(out.buf, 1, out.len, fp) != out.len || fclose(fp))
    die("%s: cannot write the timeline", path);
  rift_buf_reset(&out);
  if(rift_report_html(t->s, &out, &ro))
    die("%s: cannot build the report: %s", t->casedir, rift_store_errmsg(t->s));
  snprintf(path, sizeof(path), "%s/report.html", t->casedir);
  fp = fopen(path, "w");
  if(!fp || fwrite(out.buf, 1, out.len, fp) != out.len || fclose(fp))
    die("%s: cannot write the report", path);
  rift_buf_release(&out);
}

static void summary(struct triage *t, double secs,
                    const struct rift_store_load_stats *ls,
                    const struct mctx *m)
{
  struct rift_store_totals tot;
  struct top tp;
  char a[RIFT_TIME_FMT_MAX], b[RIFT_TIME_FMT_MAX], n1[32], n2[32];
  size_t i;
  if(rift_store_totals(t->s, &tot))
    return;
  printf("rift triage: %s inputs (%.1f MiB) -> %s events in %.1f s "
         "(%.1f MB/s; load %.1f s, index %.1f s)\n",
         fmt_count(n1, sizeof(n1), t->inputs), (double)t->bytes / 1048576.0,
         fmt_count(n2, sizeof(n2), t->events), secs,
         secs > 0 ? (double)t->bytes / 1e6 / secs : 0.0, ls->load_s,
         ls->index_s);
  printf("  case      %s/  (case.db, manifest.json, timeline.csv, report.html)%s\n", t->casedir,
         tot.events != t->events ? "  [appended]" : "");
  memset(&tp, 0, sizeof(tp));
  tp.max = 5;
  rift_store_counts(t->s, RIFT_DIM_HOST, top_add, &tp);
  printf("  hosts     %s: %s%s\n", fmt_count(n1, sizeof(n1), tot.hosts),
         tp.line, tp.rest ? ", ..." : "");
  if(tot.first != RIFT_TIME_NONE) {
    a[rift_time_fmt(a, tot.first, 0)] = 0;
    b[rift_time_fmt(b, tot.last, 0)] = 0;
    printf("  time      %s .. %s\n", a, b);
  }
  printf("  sources  ");
  for(i = 0; i < m->nsrc; i++)
    printf("%s %s: %s %s from %s %s", i ? ";" : "", m->src[i].format,
           fmt_count(n1, sizeof(n1), m->src[i].records),
           rift_format_find(m->src[i].format) ? "events" : "members",
           fmt_count(n2, sizeof(n2), m->src[i].files),
           rift_format_find(m->src[i].format) ? "files" : "archives");
  printf("%s\n", m->nsrc ? "" : " none");
  memset(&tp, 0, sizeof(tp));
  tp.max = 6;
  rift_store_counts(t->s, RIFT_DIM_CHANNEL, top_add, &tp);
  printf("  events    %s: %s%s\n", fmt_count(n1, sizeof(n1), tot.events),
         tp.line, tp.rest ? ", ..." : "");
  memset(&tp, 0, sizeof(tp));
  tp.max = 5;
  rift_store_counts(t->s, RIFT_DIM_LEVEL, level_add, &tp);
  if(tot.findings)
    printf("  findings  %s: %s\n", fmt_count(n1, sizeof(n1), tot.findings),
           tp.line);
  else if(t->rules || t->eprules)
    printf("  findings  none\n");
  else
    printf("  findings  none (no rules: rift triage -r RULES, or rift hunt "
           "%s -r RULES)\n", t->casedir);
  {
    char n3[32], n4[32];
    printf("  inputs    %s in the case; this run: %s files and archives, "
           "%s skipped (not a format rift reads), %s duplicates\n",
           fmt_count(n1, sizeof(n1), tot.inputs),
           fmt_count(n2, sizeof(n2), t->inputs),
           fmt_count(n3, sizeof(n3), t->skipped),
           fmt_count(n4, sizeof(n4), t->dups));
  }
  if(t->with_errors) {
    printf("  errors    %llu inputs with errors (details in "
           "%s/manifest.json):\n", (unsigned long long)t->with_errors,
           t->casedir);
    for(i = 0; i < t->nerr; i++)
      printf("              %s\n", t->errlines[i]);
    if(t->with_errors > t->nerr)
      printf("              ...\n");
  }
  else {
    printf("  errors    none\n");
  }
  printf("  next      open %s/report.html (findings, hosts, sources)\n"
         "            rift proctree %s --image NAME; rift logons %s\n"
         "            rift search %s KEYWORD\n"
         "            rift export %s --format ecs -o %s.ecs.jsonl\n"
         "            sqlite3 %s/case.db   (schema: docs/case-schema.md)\n",
         t->casedir, t->casedir, t->casedir, t->casedir, t->casedir,
         t->casedir, t->casedir);
}

/* ---- the case folder ---------------------------------------------------------- */

static const char *const case_files[] = {
  "case.db", "case.db-wal", "case.db-shm", "manifest.json", "timeline.csv",
  "report.html", NULL
};

static void mkdirs(const char *dir)
{
  char p[4096];
  size_t i, n = strlen(dir);
  if(n >= sizeof(p))
    die("%s: path too long", dir);
  memcpy(p, dir, n + 1);
  for(i = 1; i <= n; i++) {
    if(p[i] == '/' || !p[i]) {
      char c = p[i];
      p[i] = 0;
      if(mkdir(p, 0755) && errno != EEXIST)
        die("%s: cannot create the case folder: %s", p, strerror(errno));
      p[i] = c;
    }
  }
}

static struct rift_store *open_case(const char *dir, int force, int append)
{
  char db[4096], p[4200];
  struct rift_store *s;
  struct rift_diag d;
  struct stat st;
  int i;
  rift_err rc;
  mkdirs(dir);
  if(stat(dir, &st) || !S_ISDIR(st.st_mode))
    die("%s: not a folder", dir);
  case_db_path(db, sizeof(db), dir);
  if(!stat(db, &st)) {
    if(append) {
      diag_stderr(&d, db);
      rc = rift_store_open(&s, db, RIFT_STORE_APPEND, &d);
      if(rc)
        die("%s: cannot open the case to append", db);
      return s;
    }
    if(!force)
      die("%s already holds a case: use --append to add evidence to it "
          "or --force to replace it", dir);
    for(i = 0; case_files[i]; i++) {
      snprintf(p, sizeof(p), "%s/%s", dir, case_files[i]);
      if(unlink(p) && errno != ENOENT)
        die("%s: cannot remove: %s", p, strerror(errno));
    }
  }
  diag_stderr(&d, db);
  rc = rift_store_open(&s, db, RIFT_STORE_CREATE, &d);
  if(rc)
    die("%s: cannot create the case", db);
  return s;
}

int cmd_triage(int argc, char **argv)
{
  static const struct option opts[] = {
    SIGMA_LONG_OPTS,
    { "output", required_argument, NULL, 'o' },
    { "append", no_argument, NULL, 'a' },
    { "force", no_argument, NULL, 'f' },
    { "no-endpoint", no_argument, NULL, 'E' },
    { "no-net", no_argument, NULL, 'N' },
    { "threads", required_argument, NULL, 't' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct triage t;
  struct rift_store_load_stats ls;
  struct mctx mc;
  char tmpl[4200], *tmpdir, rules_abs[PATH_MAX];
  struct rift_buf rules_list;
  unsigned long load_errors = 0;
  int force = 0, append = 0, endpoint = 1, net = 1, c, i;
  size_t k;
  rift_err rc;

  help_if_asked(argc, argv, usage_str);
  memset(&t, 0, sizeof(t));
  while((c = getopt_long(argc, argv, "o:r:t:qh", opts, NULL)) != -1) {
    if(sigma_opts_take(&t.so, c, optarg, usage_str))
      continue;
    switch(c) {
    case 'o':
      t.casedir = optarg;
      break;
    case 'a':
      append = 1;
      break;
    case 'f':
      force = 1;
      break;
    case 'E':
      endpoint = 0;
      break;
    case 'N':
      net = 0;
      break;
    case 't':
      t.threads = (unsigned)parse_count("--threads", optarg, 256);
      break;
    case 'q':
      t.quiet = 1;
      break;
    default:
      usage_die(usage_str, "unknown option");
    }
  }
  if(!t.casedir)
    usage_die(usage_str, "no case folder (-o CASE)");
  if(optind >= argc)
    usage_die(usage_str, "no evidence given");
  if(force && append)
    usage_die(usage_str, "--force and --append exclude each other");
  rift_buf_init(&rules_list, RIFT_BUF_MAX_LINE);
  for(k = 0; k < t.so.nrules; k++) {
    if(!realpath(t.so.rules[k], rules_abs))
      die("%s: cannot read the rules: %s", t.so.rules[k], strerror(errno));
    rift_buf_addf(&rules_list, "%s%s", k ? ":" : "", rules_abs);
  }
  if(t.so.nrules) {
    struct rift_sigma_stats sst;
    t.rules = rules_list.buf;
    t.set = sigma_load(&t.so, &load_errors);
    rift_sigma_get_stats(t.set, &sst);
    if(!t.quiet)
      fprintf(stderr, "rift: %zu Sigma rules active, %zu unsupported, %zu "
              "invalid (`rift rules check` lists them)\n", sst.active,
              sst.unsupported, sst.invalid);
  }

  t.t0 = rift_time_now();
  t.s = open_case(t.casedir, force, append);
  {
    char *created = rift_store_info_get(t.s, "created");
    char now[RIFT_TIME_FMT_MAX];
    if(!created) {
      now[rift_time_fmt(now, t.t0, 0)] = 0;
      rift_store_info_set(t.s, "created", now);
    }
    free(created);
  }
  rift_store_info_set(t.s, "rift_version", "0.1.0");
  if(t.rules)
    rift_store_info_set(t.s, "rules", t.rules);
  rift_hmap_init(&t.seen, 1u << 24);
  rift_hmap_init(&t.sizes, 1u << 24);
  if(rift_store_inputs(t.s, known_input, &t))
    die("%s: cannot read the case: %s", t.casedir, rift_store_errmsg(t.s));
  rc = rift_store_writer_start(t.s, RIFT_STORE_BULK, &t.w);
  if(rc)
    die("%s: cannot write the case: %s", t.casedir,
        rift_store_errmsg(t.s));
  rift_store_event_sink(t.w, triage_prepare, &t, &t.store_sink);
  rift_store_finding_sink(t.w, &t.findings);
  if(endpoint) {
    struct rift_diag ed;
    diag_stderr(&ed, "rules/endpoint");
    if(rift_eprules_load(&t.eprules, NULL, &ed))
      die("cannot load the endpoint rules");
    rift_endpoint_init(&t.ep, t.eprules, RIFT_EP_ALL);
  }
  if(net) {
    struct rift_diag nd;
    diag_stderr(&nd, "rules/net");
    if(rift_netcfg_load(&t.netcfg, NULL, &nd))
      die("cannot load the network rules");
    rift_netmodel_init(&t.netmodel, &t.netcfg);
    t.net = 1;
  }
  if(t.set) {
    struct rift_sigma_run_opts ro;
    memset(&ro, 0, sizeof(ro));
    ro.min_level = RIFT_LEVEL_INFO;
    ro.sink = &t.findings;
    if(rift_sigma_sink_new(t.set, &ro, &t.sk))
      die("out of memory");
  }
  t.sink.prepare = sink_prepare;
  t.sink.batch = sink_batch;
  t.sink.ctx = &t;
  if(rift_pool_init(&t.pool, t.threads))
    die("cannot start threads");
  if(rift_walk_tmpdir(t.casedir, tmpl, sizeof(tmpl)))
    die("%s: cannot create a temporary folder: %s", t.casedir,
        strerror(errno));
  tmpdir = tmpl;
  rift_walk_opts_init(&t.wo);
  t.wo.tmpdir = tmpdir;
  {
    struct stat cs;
    if(!stat(t.casedir, &cs)) {
      t.wo.skip_dev = (uint64_t)cs.st_dev;
      t.wo.skip_ino = (uint64_t)cs.st_ino;
      t.wo.skip_set = 1;
    }
  }
  rift_progress_init(&t.prog, "triage: events", 0);

  for(i = optind; i < argc; i++) {
    rc = rift_walk(argv[i], &t.wo, on_item, &t);
    if(rc)
      die("%s: %s", argv[i], rift_strerror(rc));
  }
  rift_progress_done(&t.prog);
  rmdir(tmpdir);
  rift_pool_free(&t.pool);
  if(t.sk && rift_sigma_sink_finish(t.sk))   /* correlations */
    die("out of memory while evaluating correlations");
  if(t.eprules) {
    rc = rift_endpoint_finish(&t.ep, &t.findings);
    if(rc)
      die("%s: endpoint analytics: %s", t.casedir, rift_strerror(rc));
  }
  if(t.net) {
    rc = rift_net_rare(&t.netmodel, &t.findings);
    if(!rc)
      rc = rift_net_beacons(&t.netmodel, &t.findings);
    if(rc)
      die("%s: network analytics: %s", t.casedir, rift_strerror(rc));
  }
  rc = rift_store_writer_finish(&t.w, &ls);
  if(rc)
    die("%s: writing the case failed: %s", t.casedir,
        rift_store_errmsg(t.s));
  memset(&mc, 0, sizeof(mc));
  write_manifest(&t, &mc);
  write_outputs(&t);
  if(!t.quiet)
    summary(&t, (double)(rift_time_now() - t.t0) / 1e9, &ls, &mc);
  for(k = 0; k < t.nerr; k++)
    free(t.errlines[k]);
  rift_hmap_release(&t.seen);
  rift_hmap_release(&t.sizes);
  rift_store_free(&t.s);
  rift_sigma_sink_free(&t.sk);
  rift_sigma_free(&t.set);
  if(t.eprules) {
    rift_endpoint_release(&t.ep);
    rift_eprules_free(&t.eprules);
  }
  if(t.net) {
    rift_netmodel_release(&t.netmodel);
    rift_netcfg_release(&t.netcfg);
  }
  rift_buf_release(&rules_list);
  return t.with_errors || load_errors ? RIFT_EXIT_INPUT_ERRORS : RIFT_EXIT_OK;
}
