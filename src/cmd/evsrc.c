/*
 * evsrc.c - events for the analytics commands from evidence files.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "cmd/evsrc.h"
#include "core/pool.h"
#include "detect/endpoint.h"
#include "fmt/format.h"
#include "source/source.h"
#include "source/walk.h"

#if defined(__has_include)
#if __has_include("store/store.h")
#define EVSRC_HAVE_STORE 1
#include "store/store.h"
#endif
#endif

struct job {
  struct evsrc *s;
  evsrc_fn fn;
  void *ctx;
  struct rift_pool *pool;
  rift_err rc;   /* first error of fn */
};

static int add_path(struct evsrc *s, const char *path)
{
  char **np;
  if(s->npaths >= EVSRC_MAX_FILES) {
    fprintf(stderr, "rift: %s: more than %u inputs, the rest is skipped\n",
            path, EVSRC_MAX_FILES);
    s->input_errors = 1;
    return -1;
  }
  np = realloc(s->paths, (s->npaths + 1) * sizeof(*np));
  if(!np)
    die("out of memory");
  s->paths = np;
  s->paths[s->npaths] = strdup(path);
  if(!s->paths[s->npaths])
    die("out of memory");
  s->npaths++;
  return 0;
}

static rift_err sink_batch(void *ctx, struct rift_batch *b)
{
  struct job *j = ctx;
  rift_err rc;
  j->s->events += b->n;
  rc = j->fn(j->ctx, b);
  if(rc && !j->rc)
    j->rc = rc;
  return rc;
}

/* Parse one file, opened at real and shown as path.  explicit: named by
 * the user (an unknown format is an error), else found in a folder or an
 * archive (skipped quietly). */
static void read_file(struct job *j, const char *real, const char *path,
                      int explicit)
{
  struct evsrc *s = j->s;
  struct rift_source src;
  struct rift_diag d;
  const struct rift_format *f;
  struct rift_parse_opts o;
  struct rift_parse_stats st;
  struct rift_event_sink sink = { NULL, sink_batch, j };
  rift_err rc;
  if(s->quiet)
    rift_diag_init(&d, path, NULL, NULL);
  else
    diag_stderr(&d, path);
  if(rift_source_open(&src, real, &d)) {
    s->input_errors = 1;
    return;
  }
  f = rift_format_sniff(src.data, src.len < 4096 ? src.len : 4096, path,
                        src.len);
  if(!f) {
    if(explicit) {
      rift_diag_report(&d, RIFT_DIAG_ERROR, RIFT_UNSUPPORTED, UINT64_MAX,
                       "not a format rift reads");
      s->input_errors = 1;
    }
    rift_source_close(&src);
    return;
  }
  if(add_path(s, path)) {
    rift_source_close(&src);
    return;
  }
  memset(&o, 0, sizeof(o));
  memset(&st, 0, sizeof(st));
  o.file_id = s->npaths;
  o.path = s->paths[s->npaths - 1];
  o.pool = j->pool;
  rc = f->parse(&src, &o, &sink, &d, &st);
  if(st.errors || d.errors)
    s->input_errors = 1;
  if(rc && !j->rc) {
    fprintf(stderr, "rift: %s: %s\n", path, rift_strerror(rc));
    s->input_errors = 1;
  }
  rift_source_close(&src);
}

/* Folders and archives are walked as triage walks them (source/walk.h):
 * sorted, archives extracted member by member into a private folder. */
static rift_err on_item(void *ctx, const struct rift_walk_item *it)
{
  struct job *j = ctx;
  if(it->kind != RIFT_WALK_FILE) {
    if(rift_walk_report(it, stderr))
      j->s->input_errors = 1;
    return RIFT_OK;
  }
  read_file(j, it->real, it->path, it->top);
  return j->rc;
}

int evsrc_have_store(void)
{
#ifdef EVSRC_HAVE_STORE
  return 1;
#else
  return 0;
#endif
}

int evsrc_is_case(const char *path, char *db, size_t cap)
{
  struct stat sb;
  char head[16];
  FILE *f;
  int n;
  if(stat(path, &sb))
    return 0;
  if(S_ISDIR(sb.st_mode)) {
    n = snprintf(db, cap, "%s/case.db", path);
    if(n < 0 || (size_t)n >= cap || stat(db, &sb) || !S_ISREG(sb.st_mode))
      return 0;
  } else {
    n = snprintf(db, cap, "%s", path);
    if(n < 0 || (size_t)n >= cap)
      return 0;
  }
  /* an SQLite database starts with this magic */
  f = fopen(db, "rb");
  if(!f)
    return 0;
  n = (int)fread(head, 1, sizeof(head), f);
  fclose(f);
  return n == 16 && !memcmp(head, "SQLite format 3", 16);
}

#ifdef EVSRC_HAVE_STORE
static rift_err note_input(void *ctx, const struct rift_input *in)
{
  struct evsrc *s = ctx;
  uint32_t i;
  char **np;
  if(in->id == 0 || in->id > EVSRC_MAX_FILES)
    return RIFT_OK;
  if(in->id > s->npaths) {
    np = realloc(s->paths, (size_t)in->id * sizeof(*np));
    if(!np)
      return RIFT_NOMEM;
    s->paths = np;
    for(i = s->npaths; i < in->id; i++)
      s->paths[i] = NULL;
    s->npaths = in->id;
  }
  free(s->paths[in->id - 1]);
  s->paths[in->id - 1] = strdup(in->path ? in->path : "?");
  return s->paths[in->id - 1] ? RIFT_OK : RIFT_NOMEM;
}

/* Every event of a case, in batches, as the store gives them back. */
static rift_err read_case(struct evsrc *s, const char *db, evsrc_fn fn,
                          void *ctx)
{
  struct rift_store *st = NULL;
  struct rift_store_iter *it = NULL;
  struct rift_store_filter f;
  struct rift_batch b;
  struct rift_diag d;
  rift_err rc;
  diag_stderr(&d, db);
  rc = rift_store_open(&st, db, RIFT_STORE_READ, &d);
  if(rc)
    die("%s: cannot open the case: %s", db, rift_strerror(rc));
  rc = rift_store_inputs(st, note_input, s);
  if(rc)
    die("%s: cannot read the inputs: %s", db, rift_strerror(rc));
  rift_store_filter_init(&f);
  f.unordered = 1; /* the analytics order what they need themselves */
  rc = rift_store_iter_open(st, &f, &it);
  if(rc)
    die("%s: cannot read the events: %s", db, rift_strerror(rc));
  rift_batch_init(&b);
  for(;;) {
    rc = rift_store_iter_next(it, &b, 4096);
    if(rc) {
      fprintf(stderr, "rift: %s: %s\n", db, rift_strerror(rc));
      s->input_errors = 1;
      break;
    }
    if(!b.n)
      break;
    s->events += b.n;
    rc = fn(ctx, &b);
    if(rc)
      break;
  }
  rift_batch_release(&b);
  rift_store_iter_free(&it);
  rift_store_free(&st);
  return rc;
}
#endif

rift_err evsrc_read(struct evsrc *s, char **inputs, int n, evsrc_fn fn,
                    void *ctx)
{
  struct job j;
  struct rift_walk_opts wo;
  char db[4096];
  int i;
  for(i = 0; i < n; i++) {
    if(!evsrc_is_case(inputs[i], db, sizeof(db)))
      continue;
    if(n > 1)
      die("%s: a case is read alone, not with other evidence", inputs[i]);
#ifdef EVSRC_HAVE_STORE
    s->case_db = strdup(db);
    if(!s->case_db)
      die("out of memory");
    return read_case(s, db, fn, ctx);
#else
    die("%s: this rift is built without the case store: give it the "
        "evidence files instead", inputs[i]);
#endif
  }
  memset(&j, 0, sizeof(j));
  j.s = s;
  j.fn = fn;
  j.ctx = ctx;
  if(rift_pool_init(&j.pool, s->threads))
    die("cannot start threads");
  rift_walk_opts_init(&wo);
  for(i = 0; i < n && !j.rc; i++) {
    rift_err rc = rift_walk(inputs[i], &wo, on_item, &j);
    if(rc && !j.rc)
      die("%s: %s", inputs[i], rift_strerror(rc));
  }
  rift_pool_free(&j.pool);
  return j.rc;
}

const char *evsrc_path(const struct evsrc *s, uint32_t file_id)
{
  if(file_id >= 1 && file_id <= s->npaths && s->paths[file_id - 1])
    return s->paths[file_id - 1];
  return "?";
}

void evsrc_release(struct evsrc *s)
{
  uint32_t i;
  for(i = 0; i < s->npaths; i++)
    free(s->paths[i]);
  free(s->paths);
  free(s->case_db);
  s->paths = NULL;
  s->case_db = NULL;
  s->npaths = 0;
}

static rift_err endpoint_feed(void *ctx, struct rift_batch *b)
{
  return rift_endpoint_add_batch(ctx, b);
}

void evsrc_endpoint(struct evsrc *s, char **inputs, int n, int load,
                    const char *rdir, unsigned what,
                    struct rift_eprules **rules, struct rift_endpoint *ep)
{
  struct rift_diag d;
  rift_err rc;
  *rules = NULL;
  diag_stderr(&d, rdir ? rdir : "rules");
  if(load && rift_eprules_load(rules, rdir, &d))
    die("cannot load the endpoint rules");
  if(rift_endpoint_init(ep, *rules, what))
    die("out of memory");
  rc = evsrc_read(s, inputs, n, endpoint_feed, ep);
  if(rc)
    die("%s", rift_strerror(rc));
}

void endpoint_report_limits(const struct rift_endpoint *ep)
{
  const struct rift_proctree_stats *p = &ep->pt.st;
  const struct rift_logons_stats *l = &ep->lg.st;
  if(p->dropped_procs || p->dropped_acts || p->dropped_exits ||
     p->dropped_strings || p->dropped_marks)
    fprintf(stderr, "rift: warning: process tree caps reached: %llu "
            "processes, %llu activity records, %llu exits, %llu strings "
            "dropped\n", (unsigned long long)p->dropped_procs,
            (unsigned long long)p->dropped_acts,
            (unsigned long long)p->dropped_exits,
            (unsigned long long)p->dropped_strings);
  if(l->dropped_rows || l->dropped_attempts || l->dropped_strings)
    fprintf(stderr, "rift: warning: logon table caps reached: %llu rows, "
            "%llu attempts dropped\n", (unsigned long long)l->dropped_rows,
            (unsigned long long)l->dropped_attempts);
  if(ep->st.dropped_hits || ep->st.dropped_bytes)
    fprintf(stderr, "rift: warning: %llu detections dropped at the cap\n",
            (unsigned long long)(ep->st.dropped_hits + ep->st.dropped_bytes));
}

/* ---- saving findings into a case ----------------------------------------- */

struct evsave {
#ifdef EVSRC_HAVE_STORE
  struct rift_store *st;
  struct rift_store_writer *w;
  struct rift_finding_sink store, next;
  uint64_t n, replaced;
  char *db;
#else
  int unused;
#endif
};

#ifdef EVSRC_HAVE_STORE
static rift_err tee(void *ctx, const struct rift_finding *f)
{
  struct evsave *sv = ctx;
  rift_err rc = sv->store.emit(sv->store.ctx, f);
  if(rc)
    return rc;
  sv->n++;
  return sv->next.emit ? sv->next.emit(sv->next.ctx, f) : RIFT_OK;
}

#endif

struct evsave *evsave_start(const struct evsrc *s, const char *source,
                            struct rift_finding_sink *next,
                            struct rift_finding_sink *out)
{
#ifdef EVSRC_HAVE_STORE
  struct evsave *sv;
  struct rift_diag d;
  rift_err rc;
  if(!s->case_db)
    return NULL;
  sv = calloc(1, sizeof(*sv));
  if(!sv)
    die("out of memory");
  sv->db = strdup(s->case_db);
  diag_stderr(&d, s->case_db);
  rc = rift_store_open(&sv->st, s->case_db, RIFT_STORE_APPEND, &d);
  if(rc)
    die("%s: cannot open the case for writing: %s", s->case_db,
        rift_strerror(rc));
  /* a new run replaces the findings of the previous one: every detector
   * named in the comma-separated list */
  {
    const char *p = source;
    while(*p) {
      const char *e = strchr(p, ',');
      size_t n = e ? (size_t)(e - p) : strlen(p);
      char one[128];
      uint64_t k = 0;
      if(n && n < sizeof(one)) {
        memcpy(one, p, n);
        one[n] = 0;
        rc = rift_store_delete_findings(sv->st, one, &k);
        if(rc)
          die("%s: cannot replace the earlier %s findings: %s", s->case_db,
              one, rift_strerror(rc));
        sv->replaced += k;
      }
      p += n + (e != NULL);
    }
  }
  rc = rift_store_writer_start(sv->st, 0, &sv->w);
  if(rc)
    die("%s: cannot write to the case: %s", s->case_db, rift_strerror(rc));
  rift_store_finding_sink(sv->w, &sv->store);
  if(next)
    sv->next = *next;
  out->emit = tee;
  out->ctx = sv;
  return sv;
#else
  (void)s;
  (void)source;
  (void)next;
  (void)out;
  return NULL;
#endif
}

void evsave_finish(struct evsave **svp)
{
#ifdef EVSRC_HAVE_STORE
  struct evsave *sv = *svp;
  rift_err rc;
  if(!sv)
    return;
  rc = rift_store_writer_finish(&sv->w, NULL);
  if(rc)
    die("%s: writing the findings failed: %s", sv->db, rift_strerror(rc));
  fprintf(stderr, "rift: %s: %llu findings saved in the case (%llu of an "
          "earlier run replaced)\n", sv->db, (unsigned long long)sv->n,
          (unsigned long long)sv->replaced);
  rift_store_free(&sv->st);
  free(sv->db);
  free(sv);
#endif
  *svp = NULL;
}
