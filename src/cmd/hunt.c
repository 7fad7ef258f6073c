/*
 * hunt.c - rift hunt: run Sigma rules over evidence.
 *
 * Evidence files (folders are searched) are recognised by the format
 * registry (fmt/format.h) and parsed in parallel; the Sigma sink
 * (detect/sigma/sigma-sink.h) matches events on the parser threads and
 * reports findings in input order.  Findings are printed as a summary by
 * level and rule, or as JSON lines (--jsonl).
 *
 * rift hunt CASE reads the case's stored events in turn and matches them
 * on the pool's threads (cwork/cemit, hunt_case); its findings go back into
 * the case through one more finding sink.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/sigma-cmd.h"
#include "core/hmap.h"
#include "core/pool.h"
#include "core/progress.h"
#include "core/rtime.h"
#include "detect/sigma/sigma-sink.h"
#include "fmt/evtx.h"
#include "fmt/format.h"
#include "fmt/textlog.h"
#include "source/walk.h"
#include "source/source.h"
#include "store/store.h"

static const char usage_str[] =
  "usage: rift hunt [options] EVIDENCE...\n"
  "       rift hunt [options] CASE\n"
  "\n"
  "Run Sigma rules over evidence files (folders and zip/7z/tar archives\n"
  "are searched; archives extracted under $TMPDIR), or over the\n"
  "events of a case made by rift triage, and report the detections: a\n"
  "summary by level and rule, or one JSON object per detection with\n"
  "--jsonl.  Over a case, the detections are also stored in it (table\n"
  "findings, with links to their events), replacing those of any earlier\n"
  "Sigma hunt of the case.\n"
  "\n"
  SIGMA_OPTS_USAGE
  "      --min-level L    report only detections of level L or above:\n"
  "                       informational, low, medium, high, critical\n"
  "      --jsonl          one JSON object per detection on stdout (rule.id,\n"
  "                       rule.name, rule.level, threat.technique.id,\n"
  "                       @timestamp, host.name, log.file.path, record id)\n"
  "  -t, --threads N      threads that parse and match (default: one per CPU)\n"
  "      --carve          also recover event log records from slack space\n"
  "      --logsource LS   read files rift does not recognise as text logs of\n"
  "                       this Sigma logsource, one event per line, e.g.\n"
  "                       --logsource product=cisco,service=aaa\n"
  "      --stats          print counts and throughput on stderr\n"
  "      --parse-only     parse the evidence but match nothing (to measure\n"
  "                       what the rules cost)\n"
  "  -q, --quiet          do not report damaged input on stderr\n"
  "  -h, --help           this help\n"
  "\n"
  "Rules rift cannot run are counted on stderr; `rift rules check` lists\n"
  "each with the reason.  The exit status is 1 if some input was damaged\n"
  "or unreadable.\n";

#define MAX_INPUTS 1000000

struct input {
  char *path;
  const char *format;
};

struct hunt {
  struct input *in;
  size_t nin, capin;
  int jsonl;
  int quiet;
  struct rift_buf out;       /* JSON lines waiting for stdout */
  int write_failed;
  /* summary */
  struct rift_hmap byrule;   /* rule id + title -> index in rows */
  struct row {
    const char *id, *title;
    enum rift_level level;
    uint64_t count;
  } *rows;
  size_t nrows, caprows;
  uint64_t findings, per_level[5];
};

/* ---- inputs ------------------------------------------------------------------- */

static void add_input(struct hunt *h, const char *path)
{
  if(h->nin == h->capin && (h->capin ? h->capin * 2 : 64) > MAX_INPUTS)
    die("more than %d input files", MAX_INPUTS);
  if(rift_grow((void **)&h->in, &h->capin, h->nin + 1, sizeof(*h->in), 64))
    die("out of memory");
  h->in[h->nin].path = strdup(path);
  h->in[h->nin].format = NULL;
  if(!h->in[h->nin].path)
    die("out of memory");
  h->nin++;
}

/* ---- findings ------------------------------------------------------------------ */

static void json_str(struct rift_buf *b, const char *s)
{
  rift_buf_addch(b, '"');
  if(s)
    rift_buf_add_json(b, s, strlen(s));
  rift_buf_addch(b, '"');
}

static void flush_out(struct hunt *h, int force)
{
  if(h->out.len && (force || h->out.len > (1u << 20))) {
    if(!h->write_failed && write_all(1, h->out.buf, h->out.len))
      h->write_failed = 1;
    rift_buf_reset(&h->out);
  }
}

static void json_finding(struct hunt *h, const struct rift_finding *f)
{
  struct rift_buf *b = &h->out;
  char ts[RIFT_TIME_FMT_MAX];
  size_t i;
  const struct input *in = NULL;
  if(f->nrefs && f->refs[0].file_id < h->nin)
    in = &h->in[f->refs[0].file_id];
  rift_buf_adds(b, "{\"@timestamp\":");
  if(f->ts != RIFT_TIME_NONE) {
    rift_buf_addch(b, '"');
    rift_buf_add(b, ts, rift_time_fmt(ts, f->ts, 7));
    rift_buf_addch(b, '"');
  }
  else {
    rift_buf_adds(b, "null");
  }
  rift_buf_adds(b, ",\"event\":{\"kind\":\"alert\",\"module\":\"sigma\"}");
  rift_buf_adds(b, ",\"rule\":{\"id\":");
  json_str(b, f->rule_id);
  rift_buf_adds(b, ",\"name\":");
  json_str(b, f->rule_name);
  rift_buf_adds(b, ",\"level\":");
  json_str(b, rift_level_name(f->level));
  rift_buf_adds(b, "},\"threat\":{\"technique\":{\"id\":[");
  for(i = 0; f->techniques && f->techniques[i]; i++) {
    if(i)
      rift_buf_addch(b, ',');
    json_str(b, f->techniques[i]);
  }
  rift_buf_adds(b, "]}},\"host\":{\"name\":");
  if(f->host)
    json_str(b, f->host);
  else
    rift_buf_adds(b, "null");
  rift_buf_adds(b, "},\"log\":{\"file\":{\"path\":");
  if(in)
    json_str(b, in->path);
  else
    rift_buf_adds(b, "null");
  rift_buf_adds(b, "}}");
  if(f->nrefs) {
    if(in && in->format && !strcmp(in->format, "evtx")) {
      rift_buf_adds(b, ",\"winlog\":{\"record_id\":");
      rift_buf_add_u64(b, f->refs[0].record_id);
      rift_buf_addch(b, '}');
    }
    rift_buf_adds(b, ",\"rift\":{\"record_id\":");
    rift_buf_add_u64(b, f->refs[0].record_id);
    rift_buf_adds(b, ",\"offset\":");
    rift_buf_add_u64(b, f->refs[0].offset);
    if(f->nrefs > 1) {
      rift_buf_adds(b, ",\"events\":[");
      for(i = 0; i < f->nrefs; i++) {
        const struct input *ri = f->refs[i].file_id < h->nin
                                   ? &h->in[f->refs[i].file_id] : NULL;
        if(i)
          rift_buf_addch(b, ',');
        rift_buf_adds(b, "{\"log.file.path\":");
        if(ri)
          json_str(b, ri->path);
        else
          rift_buf_adds(b, "null");
        rift_buf_adds(b, ",\"record_id\":");
        rift_buf_add_u64(b, f->refs[i].record_id);
        rift_buf_adds(b, ",\"@timestamp\":");
        if(f->refs[i].ts != RIFT_TIME_NONE) {
          rift_buf_addch(b, '"');
          rift_buf_add(b, ts, rift_time_fmt(ts, f->refs[i].ts, 7));
          rift_buf_addch(b, '"');
        }
        else {
          rift_buf_adds(b, "null");
        }
        rift_buf_addch(b, '}');
      }
      rift_buf_addch(b, ']');
    }
    rift_buf_addch(b, '}');
  }
  if(f->user_name) {
    rift_buf_adds(b, ",\"user\":{\"name\":");
    json_str(b, f->user_name);
    rift_buf_addch(b, '}');
  }
  if(f->process_name || f->process_command_line) {
    rift_buf_adds(b, ",\"process\":{");
    if(f->process_name) {
      rift_buf_adds(b, "\"executable\":");
      json_str(b, f->process_name);
    }
    if(f->process_command_line) {
      if(f->process_name)
        rift_buf_addch(b, ',');
      rift_buf_adds(b, "\"command_line\":");
      json_str(b, f->process_command_line);
    }
    rift_buf_addch(b, '}');
  }
  rift_buf_adds(b, ",\"message\":");
  json_str(b, f->message);
  rift_buf_adds(b, "}\n");
  flush_out(h, 0);
}

static rift_err on_finding(void *ctx, const struct rift_finding *f)
{
  struct hunt *h = ctx;
  union rift_hval *v;
  int isnew;
  char key[1024];
  int kl;
  h->findings++;
  if((unsigned)f->level < 5)
    h->per_level[f->level]++;
  if(h->jsonl) {
    json_finding(h, f);
    return h->out.err;
  }
  kl = snprintf(key, sizeof(key), "%s\x1f%s", f->rule_id ? f->rule_id : "",
                f->rule_name ? f->rule_name : "");
  if(kl < 0 || (size_t)kl >= sizeof(key))
    kl = (int)sizeof(key) - 1;
  if(rift_hmap_put(&h->byrule, key, (size_t)kl, &v, &isnew))
    return RIFT_NOMEM;
  if(isnew) {
    if(rift_grow((void **)&h->rows, &h->caprows, h->nrows + 1,
                 sizeof(*h->rows), 64))
      return RIFT_NOMEM;
    /* the rule's strings live as long as the rule set */
    h->rows[h->nrows].id = f->rule_id;
    h->rows[h->nrows].title = f->rule_name;
    h->rows[h->nrows].level = f->level;
    h->rows[h->nrows].count = 0;
    v->u = h->nrows++;
  }
  h->rows[v->u].count++;
  return RIFT_OK;
}

static int row_cmp(const void *a, const void *b)
{
  const struct row *x = a, *y = b;
  if(x->level != y->level)
    return x->level > y->level ? -1 : 1;
  if(x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp(x->title ? x->title : "", y->title ? y->title : "");
}

static void print_summary(struct hunt *h)
{
  size_t i;
  int l;
  printf("%llu detections", (unsigned long long)h->findings);
  if(h->findings) {
    const char *sep = " (";
    for(l = RIFT_LEVEL_CRITICAL; l >= RIFT_LEVEL_INFO; l--) {
      if(!h->per_level[l])
        continue;
      printf("%s%s %llu", sep, rift_level_name((enum rift_level)l),
             (unsigned long long)h->per_level[l]);
      sep = ", ";
    }
    printf(")");
  }
  printf("\n");
  if(!h->nrows)
    return;
  qsort(h->rows, h->nrows, sizeof(*h->rows), row_cmp);
  printf("\n%-13s %8s  %s\n", "level", "count", "rule");
  for(i = 0; i < h->nrows; i++)
    printf("%-13s %8llu  %s  [%s]\n", rift_level_name(h->rows[i].level),
           (unsigned long long)h->rows[i].count,
           h->rows[i].title ? h->rows[i].title : "",
           h->rows[i].id ? h->rows[i].id : "");
}

/* ---- parse-only sink ------------------------------------------------------------ */

struct counter {
  uint64_t events;
};

static rift_err count_batch(void *ctx, struct rift_batch *b)
{
  ((struct counter *)ctx)->events += b->n;
  return RIFT_OK;
}

/* ---- text logs named by the user ------------------------------------------------- */

static const struct rift_format fmt_textlog = {
  "textlog", "rift-textlog 1", NULL, rift_textlog_parse
};

/* "product=cisco,service=aaa" -> a mapping that sends that logsource to
 * textlog events (the format of rules/mappings/). */
static char *textlog_mapping(const char *spec)
{
  struct rift_buf b;
  const char *p = spec, *product = NULL;
  char *copy = strdup(spec), *tok, *save = NULL;
  char *cat = NULL, *svc = NULL;
  if(!copy)
    die("out of memory");
  (void)p;
  for(tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    char *eq = strchr(tok, '=');
    if(!eq || eq[1] == 0 || strpbrk(eq + 1, "\"\n:#{}[]"))
      die("--logsource: '%s' is not key=value (product, category, service)",
          tok);
    *eq = 0;
    if(!strcmp(tok, "product"))
      product = eq + 1;
    else if(!strcmp(tok, "category"))
      cat = eq + 1;
    else if(!strcmp(tok, "service"))
      svc = eq + 1;
    else
      die("--logsource: unknown key '%s' (product, category, service)", tok);
  }
  if(!product && !cat && !svc)
    die("--logsource: name at least one of product, category, service");
  rift_buf_init(&b, RIFT_BUF_MAX_LINE);
  if(product)
    rift_buf_addf(&b, "product: \"%s\"\n", product);
  rift_buf_adds(&b, "logsources:\n  - events: [{kind: textlog}]\n");
  if(cat)
    rift_buf_addf(&b, "    category: \"%s\"\n", cat);
  if(svc)
    rift_buf_addf(&b, "    service: \"%s\"\n", svc);
  free(copy);
  if(b.err)
    die("out of memory");
  return rift_buf_detach(&b, NULL);
}

/* ---- a case as the evidence --------------------------------------------------- */

/* Is path a case: a folder with case.db, or an SQLite file? */
static int is_case(const char *path, char *db, size_t cap)
{
  struct stat st;
  char head[16];
  FILE *f;
  if(stat(path, &st))
    return 0;
  if(S_ISDIR(st.st_mode)) {
    snprintf(db, cap, "%s/case.db", path);
    return !stat(db, &st) && S_ISREG(st.st_mode);
  }
  f = fopen(path, "rb");
  if(!f)
    return 0;
  if(fread(head, 1, 16, f) != 16 || memcmp(head, "SQLite format 3", 16)) {
    fclose(f);
    return 0;
  }
  fclose(f);
  snprintf(db, cap, "%s", path);
  return 1;
}

/* Findings go both to the case and to the summary or JSON lines. */
struct tee {
  struct rift_finding_sink store;
  struct rift_finding_sink print;
};

static rift_err tee_emit(void *ctx, const struct rift_finding *f)
{
  struct tee *t = ctx;
  rift_err rc = t->store.emit(t->store.ctx, f);
  if(!rc)
    rc = t->print.emit(t->print.ctx, f);
  return rc;
}

static rift_err case_input(void *ctx, const struct rift_input *in)
{
  struct hunt *h = ctx;
  while(h->nin <= in->id)
    add_input(h, "");
  free(h->in[in->id].path);
  h->in[in->id].path = strdup(in->path ? in->path : "");
  if(!h->in[in->id].path)
    return RIFT_NOMEM;
  h->in[in->id].format = in->format && !strcmp(in->format, "evtx") ? "evtx"
                                                                    : NULL;
  return RIFT_OK;
}

#define CASE_BATCH 4096

/* rift hunt CASE in parallel: batch i is read when its turn comes (the
 * iterator is one SQLite statement), matched on the runner that read it,
 * and handed to the correlations and the output in case order. */
struct cread {
  struct rift_store_iter *it;
  struct rift_sigma_sink *sk;
  struct hunt *h;
  struct rift_progress *prog;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  size_t turn;      /* next batch to read */
  int eof;          /* the iterator is exhausted */
  rift_err read_rc; /* reading failed */
  rift_err rc;      /* matching failed (first error) */
  uint64_t done;
};

struct cslot {
  _Alignas(64) struct rift_batch b;
  rift_err rc;
};

static void cwork(void *ctx, size_t i, void *slotp)
{
  struct cread *cr = ctx;
  struct cslot *sl = slotp;
  rift_batch_clear(&sl->b);
  sl->rc = RIFT_OK;
  pthread_mutex_lock(&cr->mu);
  while(cr->turn != i)
    pthread_cond_wait(&cr->cv, &cr->mu);
  if(!cr->eof && !cr->read_rc) {
    rift_err rc = rift_store_iter_next(cr->it, &sl->b, CASE_BATCH);
    if(rc)
      cr->read_rc = rc;
    else if(sl->b.n < CASE_BATCH)
      cr->eof = 1;
  }
  cr->turn++;
  pthread_cond_broadcast(&cr->cv);
  pthread_mutex_unlock(&cr->mu);
  if(sl->b.n)
    sl->rc = rift_sigma_sink_prepare(cr->sk, &sl->b);
}

static void cemit(void *ctx, size_t i, void *slotp)
{
  struct cread *cr = ctx;
  struct cslot *sl = slotp;
  rift_err rc = sl->rc;
  (void)i;
  if(!sl->b.n || cr->rc)
    return;
  if(!rc)
    rc = rift_sigma_sink_batch(cr->sk, &sl->b);
  if(rc) {
    cr->rc = rc;
    return;
  }
  cr->done += sl->b.n;
  rift_progress_update(cr->prog, cr->done);
  flush_out(cr->h, 0);
}

/* rift hunt CASE: the case's events through the rules; findings into the
 * case.  Returns the exit status. */
static int hunt_case(struct hunt *h, const char *db, struct rift_sigma *set,
                     const struct rift_sigma_run_opts *ro0,
                     const struct sigma_opts *so, int stats,
                     struct rift_pool *pool)
{
  struct rift_store *s;
  struct rift_store_writer *w = NULL;
  struct rift_store_iter *it = NULL;
  struct rift_store_filter flt;
  struct rift_store_load_stats lst;
  struct rift_sigma_sink *sk = NULL;
  struct rift_sigma_run_opts ro = *ro0;
  struct rift_finding_sink ts;
  struct tee tee;
  struct rift_batch b;
  struct rift_diag d;
  struct rift_progress prog;
  struct rift_store_totals tot;
  uint64_t old = 0;
  int64_t t0 = rift_time_now(), t1;
  rift_err rc;
  size_t i;
  diag_stderr(&d, db);
  if(rift_store_open(&s, db, RIFT_STORE_APPEND, &d))
    die("%s: cannot open the case for writing", db);
  if(rift_store_inputs(s, case_input, h))
    die("%s: cannot read the case's inputs: %s", db, rift_store_errmsg(s));
  if(rift_store_totals(s, &tot))
    die("%s: %s", db, rift_store_errmsg(s));
  if(rift_store_delete_findings(s, "sigma", &old))
    die("%s: cannot replace earlier Sigma findings: %s", db,
        rift_store_errmsg(s));
  if(rift_store_writer_start(s, 0, &w))
    die("%s: cannot write to the case: %s", db, rift_store_errmsg(s));
  rift_store_finding_sink(w, &tee.store);
  tee.print = *ro.sink;
  ts.emit = tee_emit;
  ts.ctx = &tee;
  ro.sink = &ts;
  if(rift_sigma_sink_new(set, &ro, &sk))
    die("out of memory");
  rift_store_filter_init(&flt);
  flt.unordered = 1;   /* correlations sort what they need */
  if(rift_store_iter_open(s, &flt, &it))
    die("%s: cannot read events: %s", db, rift_store_errmsg(s));
  rift_progress_init(&prog, "hunt", tot.events);
  {
    /* batches are read in turn (one reader), matched in parallel, and
     * their hits taken in case order */
    struct cread cr;
    struct cslot *slots;
    void **slotp;
    size_t window = rift_pool_threads(pool) > 1 ? rift_pool_threads(pool) * 2
                                                : 1;
    size_t nb = tot.events / CASE_BATCH + 1;
    memset(&cr, 0, sizeof(cr));
    cr.it = it;
    cr.sk = sk;
    cr.h = h;
    cr.prog = &prog;
    pthread_mutex_init(&cr.mu, NULL);
    pthread_cond_init(&cr.cv, NULL);
    slots = rift_pool_slots(window, sizeof(*slots), &slotp);
    if(!slots)
      die("out of memory");
    for(i = 0; i < window; i++)
      rift_batch_init(&slots[i].b);
    /* nb covers the events counted at the start; a last empty batch ends
     * the read early if there are fewer */
    if(rift_pool_map_ordered(pool, nb, window, cwork, cemit, &cr, slotp))
      die("out of memory");
    if(cr.read_rc)
      die("%s: reading events: %s", db, rift_store_errmsg(s));
    if(cr.rc)
      die("%s: %s", db, rift_strerror(cr.rc));
    if(!cr.eof) {
      /* events added since the count: the rest on this thread */
      rift_batch_init(&b);
      for(;;) {
        rc = rift_store_iter_next(it, &b, CASE_BATCH);
        if(rc)
          die("%s: reading events: %s", db, rift_store_errmsg(s));
        if(!b.n)
          break;
        rc = rift_sigma_sink_prepare(sk, &b);
        if(!rc)
          rc = rift_sigma_sink_batch(sk, &b);
        if(rc)
          die("%s: %s", db, rift_strerror(rc));
        flush_out(h, 0);
      }
      rift_batch_release(&b);
    }
    for(i = 0; i < window; i++)
      rift_batch_release(&slots[i].b);
    rift_pool_slots_free(slots, slotp);
    pthread_mutex_destroy(&cr.mu);
    pthread_cond_destroy(&cr.cv);
  }
  rift_progress_done(&prog);
  rift_store_iter_free(&it);
  if(rift_sigma_sink_finish(sk))
    die("out of memory while evaluating correlations");
  if(rift_store_writer_finish(&w, &lst))
    die("%s: storing findings: %s", db, rift_store_errmsg(s));
  {
    /* which rules the case's Sigma findings come from */
    struct rift_buf rb;
    rift_buf_init(&rb, RIFT_BUF_MAX_LINE);
    for(i = 0; i < so->nrules; i++)
      rift_buf_addf(&rb, "%s%s", i ? ":" : "", so->rules[i]);
    if(!so->nrules)
      rift_buf_adds(&rb, getenv("RIFT_RULES") && *getenv("RIFT_RULES")
                           ? getenv("RIFT_RULES") : "<builtin>");
    if(!rb.err)
      rift_store_info_set(s, "sigma_rules", rb.buf);
    rift_buf_release(&rb);
  }
  t1 = rift_time_now();
  flush_out(h, 1);
  if(!h->jsonl)
    print_summary(h);
  if(!h->quiet)
    fprintf(stderr, "rift: %s: %llu findings stored%s\n", db,
            (unsigned long long)lst.findings,
            old ? " (earlier Sigma findings replaced)" : "");
  if(stats) {
    uint64_t ev = 0, mev = 0, hits = 0;
    rift_sigma_sink_counts(sk, &ev, &mev, &hits);
    fprintf(stderr, "rift: %llu events, %llu matched, %llu rule matches, "
            "%.3f s\n", (unsigned long long)ev, (unsigned long long)mev,
            (unsigned long long)hits, (double)(t1 - t0) / 1e9);
  }
  rift_sigma_sink_free(&sk);
  rift_store_free(&s);
  return h->write_failed ? RIFT_EXIT_INPUT_ERRORS : RIFT_EXIT_OK;
}

/* ---- hunting evidence ------------------------------------------------------------ */

/* What one walk over the evidence needs.  Folders and archives are walked
 * as triage walks them (source/walk.h); each file is hunted as it is met
 * (an archive member is deleted again once hunted). */
struct hctx {
  struct hunt *h;
  struct rift_event_sink *es;
  struct rift_pool *pool;
  unsigned flags;
  const char *textls;
  struct rift_progress *prog;
  uint64_t bytes, records, damaged, unrecognised;
  int input_errors;
};

static void stderr_report(void *ctx, const struct rift_diag_msg *m)
{
  int *quiet = ctx;
  if(*quiet)
    return;
  rift_diag_stderr(NULL, m);
}

static void hunt_file(struct hctx *x, const char *real, const char *path)
{
  struct hunt *h = x->h;
  struct input *in;
  struct rift_source src;
  struct rift_diag d;
  const struct rift_format *fmt;
  struct rift_parse_opts po;
  struct rift_parse_stats pst;
  size_t k;
  rift_err rc;
  add_input(h, path);
  k = h->nin - 1;
  in = &h->in[k];
  rift_diag_init(&d, in->path, stderr_report, &h->quiet);
  if(rift_source_open(&src, real, &d)) {
    x->input_errors = 1;
    return;
  }
  fmt = rift_format_sniff(src.data, src.len < 4096 ? src.len : 4096,
                          in->path, src.len);
  if(!fmt && x->textls)
    fmt = &fmt_textlog;
  if(!fmt) {
    x->unrecognised++;
    rift_source_close(&src);
    return;
  }
  in->format = fmt->name;
  memset(&po, 0, sizeof(po));
  memset(&pst, 0, sizeof(pst));
  po.file_id = (uint32_t)k;
  po.pool = x->pool;
  po.path = in->path;
  po.flags = x->flags;
  rc = fmt->parse(&src, &po, x->es, &d, &pst);
  if(rc)
    die("%s: %s", in->path, rift_strerror(rc));
  x->bytes += src.len;
  x->records += pst.records;
  x->damaged += pst.errors;
  if(pst.errors || d.errors)
    x->input_errors = 1;
  rift_source_close(&src);
  rift_progress_update(x->prog, h->nin);
  flush_out(h, 0);
}

static rift_err hunt_item(void *ctx, const struct rift_walk_item *it)
{
  struct hctx *x = ctx;
  if(it->kind != RIFT_WALK_FILE) {
    rift_progress_done(x->prog);
    if(rift_walk_report(it, stderr))
      x->input_errors = 1;
    return RIFT_OK;
  }
  hunt_file(x, it->real, it->path);
  return RIFT_OK;
}

/* ---- the command ------------------------------------------------------------------ */

int cmd_hunt(int argc, char **argv)
{
  static const struct option opts[] = {
    SIGMA_LONG_OPTS,
    { "min-level", required_argument, NULL, 'l' },
    { "jsonl", no_argument, NULL, 'j' },
    { "threads", required_argument, NULL, 't' },
    { "carve", no_argument, NULL, 'c' },
    { "logsource", required_argument, NULL, 'L' },
    { "stats", no_argument, NULL, 's' },
    { "parse-only", no_argument, NULL, 'p' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct sigma_opts so;
  struct hunt h;
  struct rift_sigma *set = NULL;
  struct rift_sigma_sink *sk = NULL;
  struct rift_sigma_stats sst;
  struct rift_finding_sink fsink;
  struct rift_sigma_run_opts ro;
  struct rift_event_sink es;
  struct counter cnt = { 0 };
  struct rift_pool *pool;
  struct rift_progress prog;
  unsigned threads = 0, flags = 0;
  int c, i, stats = 0, parse_only = 0, status = RIFT_EXIT_OK;
  int min_level = RIFT_LEVEL_INFO;
  const char *textls = NULL;
  char *textmap = NULL;
  unsigned long load_errors = 0;
  struct hctx hx;
  struct rift_walk_opts wo;
  int64_t t0, t1;
  size_t k;

  memset(&so, 0, sizeof(so));
  memset(&h, 0, sizeof(h));
  help_if_asked(argc, argv, usage_str);
  while((c = getopt_long(argc, argv, "r:t:qh", opts, NULL)) != -1) {
    if(sigma_opts_take(&so, c, optarg, usage_str))
      continue;
    switch(c) {
    case 'l':
      min_level = rift_level_parse(optarg);
      if(min_level < 0)
        usage_die(usage_str, "unknown level '%s'", optarg);
      break;
    case 'j':
      h.jsonl = 1;
      break;
    case 't':
      threads = (unsigned)parse_count("--threads", optarg, 256);
      break;
    case 'c':
      flags |= RIFT_EVTX_CARVE;
      break;
    case 'L':
      textls = optarg;
      break;
    case 's':
      stats = 1;
      break;
    case 'p':
      parse_only = 1;
      break;
    case 'q':
      h.quiet = 1;
      break;
    default:
      usage_die(usage_str, "unknown option");
    }
  }
  if(optind >= argc)
    usage_die(usage_str, "no evidence given");

  /* a case? */
  {
    char db[4096];
    if(optind + 1 == argc && is_case(argv[optind], db, sizeof(db))) {
      int st;
      if(parse_only || textls || flags)
        usage_die(usage_str, "--parse-only, --logsource and --carve apply "
                             "to evidence files, not to a case");
      set = sigma_load(&so, &load_errors);
      rift_sigma_get_stats(set, &sst);
      if(!h.quiet || stats)
        fprintf(stderr,
                "rift: %zu rules active, %zu unsupported, %zu invalid "
                "(`rift rules check` lists them)\n",
                sst.active, sst.unsupported, sst.invalid);
      rift_buf_init(&h.out, RIFT_BUF_MAX_OUTPUT);
      rift_hmap_init(&h.byrule, 1u << 20);
      fsink.emit = on_finding;
      fsink.ctx = &h;
      memset(&ro, 0, sizeof(ro));
      ro.min_level = (enum rift_level)min_level;
      ro.sink = &fsink;
      if(rift_pool_init(&pool, threads))
        die("cannot start threads");
      st = hunt_case(&h, db, set, &ro, &so, stats, pool);
      rift_pool_free(&pool);
      if(load_errors && st == RIFT_EXIT_OK)
        st = RIFT_EXIT_INPUT_ERRORS;
      rift_sigma_free(&set);
      rift_hmap_release(&h.byrule);
      rift_buf_release(&h.out);
      free(h.rows);
      for(k = 0; k < h.nin; k++)
        free(h.in[k].path);
      free(h.in);
      return st;
    }
  }

  /* rules */
  if(textls)
    textmap = textlog_mapping(textls);
  if(!parse_only) {
    set = sigma_load_with(&so, textmap, &load_errors);
    rift_sigma_get_stats(set, &sst);
    if(load_errors)
      status = RIFT_EXIT_INPUT_ERRORS;
    if(!h.quiet || stats)
      fprintf(stderr,
              "rift: %zu rules active, %zu unsupported, %zu invalid "
              "(`rift rules check` lists them)\n",
              sst.active, sst.unsupported, sst.invalid);
    if(!sst.active)
      fprintf(stderr, "rift: warning: no rule can run\n");
  }

  rift_buf_init(&h.out, RIFT_BUF_MAX_OUTPUT);
  rift_hmap_init(&h.byrule, 1u << 20);
  fsink.emit = on_finding;
  fsink.ctx = &h;
  memset(&ro, 0, sizeof(ro));
  ro.min_level = (enum rift_level)min_level;
  ro.sink = &fsink;
  if(parse_only) {
    es.prepare = NULL;
    es.batch = count_batch;
    es.ctx = &cnt;
  }
  else {
    if(rift_sigma_sink_new(set, &ro, &sk))
      die("out of memory");
    rift_sigma_sink_events(sk, &es);
  }
  if(rift_pool_init(&pool, threads))
    die("cannot start threads");

  t0 = rift_time_now();
  rift_progress_init(&prog, "hunt: files", 0);
  memset(&hx, 0, sizeof(hx));
  hx.h = &h;
  hx.es = &es;
  hx.pool = pool;
  hx.flags = flags;
  hx.textls = textls;
  hx.prog = &prog;
  rift_walk_opts_init(&wo);
  for(i = optind; i < argc; i++) {
    rift_err rc;
    rc = rift_walk(argv[i], &wo, hunt_item, &hx);
    if(rc)
      die("%s: %s", argv[i], rift_strerror(rc));
    flush_out(&h, 0);
  }
  if(hx.input_errors)
    status = RIFT_EXIT_INPUT_ERRORS;
  rift_progress_done(&prog);
  if(sk && rift_sigma_sink_finish(sk))
    die("out of memory while evaluating correlations");
  if(sk && rift_sigma_run_dropped(rift_sigma_sink_run(sk)))
    fprintf(stderr, "rift: warning: %llu rule matches beyond the first %u "
            "were not kept for correlation rules; correlations may miss "
            "findings\n",
            (unsigned long long)rift_sigma_run_dropped(rift_sigma_sink_run(sk)),
            RIFT_SIGMA_MAX_CORR_MATCHES);
  t1 = rift_time_now();
  rift_pool_free(&pool);
  flush_out(&h, 1);

  if(!h.jsonl && !parse_only)
    print_summary(&h);
  if(hx.unrecognised && !h.quiet)
    fprintf(stderr, "rift: %llu file(s) skipped: not a format rift reads\n",
            (unsigned long long)hx.unrecognised);
  if(stats) {
    double secs = (double)(t1 - t0) / 1e9;
    uint64_t ev = 0, mev = 0, hits = 0;
    if(sk)
      rift_sigma_sink_counts(sk, &ev, &mev, &hits);
    else
      ev = cnt.events;
    fprintf(stderr,
            "rift: %zu files, %.1f MiB, %llu records (%llu damaged), "
            "%llu events, %llu matched, %llu rule matches, %llu findings\n",
            h.nin, (double)hx.bytes / 1048576.0, (unsigned long long)hx.records,
            (unsigned long long)hx.damaged, (unsigned long long)ev,
            (unsigned long long)mev, (unsigned long long)hits,
            (unsigned long long)h.findings);
    fprintf(stderr, "rift: %.3f s, %.1f MB/s\n", secs,
            secs > 0 ? (double)hx.bytes / 1e6 / secs : 0.0);
    if(set)
      fprintf(stderr,
              "rift: compiled %zu rule variants, %zu tests, %zu index keys, "
              "%zu literal patterns, %zu regexes\n",
              sst.entries, sst.tests, sst.keys, sst.patterns, sst.regexes);
  }
  if(h.write_failed)
    status = RIFT_EXIT_INPUT_ERRORS;
  rift_sigma_sink_free(&sk);
  rift_sigma_free(&set);
  rift_hmap_release(&h.byrule);
  rift_buf_release(&h.out);
  free(textmap);
  free(h.rows);
  for(k = 0; k < h.nin; k++)
    free(h.in[k].path);
  free(h.in);
  return status;
}
