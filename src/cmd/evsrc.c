/*
 * evsrc.c - events for the analytics commands from evidence files.
 */
#include <dirent.h>
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

/* Parse one file.  explicit: named by the user (an unknown format is an
 * error), else found in a folder (skipped quietly). */
static void read_file(struct job *j, const char *path, int explicit)
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
  if(rift_source_open(&src, path, &d)) {
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

static int cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(struct job *j, const char *dir, unsigned depth)
{
  DIR *dp;
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  if(depth > EVSRC_MAX_DEPTH) {
    fprintf(stderr, "rift: %s: folders nested too deep, skipped\n", dir);
    j->s->input_errors = 1;
    return;
  }
  dp = opendir(dir);
  if(!dp) {
    fprintf(stderr, "rift: %s: %s\n", dir, strerror(errno));
    j->s->input_errors = 1;
    return;
  }
  while((de = readdir(dp))) {
    char *p;
    size_t len;
    if(!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    if(n == cap) {
      char **nn;
      cap = cap ? cap * 2 : 64;
      nn = realloc(names, cap * sizeof(*nn));
      if(!nn)
        die("out of memory");
      names = nn;
    }
    len = strlen(dir) + strlen(de->d_name) + 2;
    p = malloc(len);
    if(!p)
      die("out of memory");
    snprintf(p, len, "%s/%s", dir, de->d_name);
    names[n++] = p;
  }
  closedir(dp);
  /* a stable order, so that file ids do not depend on the filesystem */
  if(n > 1)
    qsort(names, n, sizeof(*names), cmp_names);
  for(i = 0; i < n; i++) {
    struct stat sb;
    if(!j->rc && !lstat(names[i], &sb)) {
      if(S_ISDIR(sb.st_mode))
        walk(j, names[i], depth + 1);
      else if(S_ISREG(sb.st_mode))
        read_file(j, names[i], 0);
    }
    free(names[i]);
  }
  free(names);
}

rift_err evsrc_read(struct evsrc *s, char **inputs, int n, evsrc_fn fn,
                    void *ctx)
{
  struct job j;
  int i;
  memset(&j, 0, sizeof(j));
  j.s = s;
  j.fn = fn;
  j.ctx = ctx;
  if(rift_pool_init(&j.pool, s->threads))
    die("cannot start threads");
  for(i = 0; i < n && !j.rc; i++) {
    struct stat sb;
    if(stat(inputs[i], &sb)) {
      fprintf(stderr, "rift: %s: %s\n", inputs[i], strerror(errno));
      s->input_errors = 1;
      continue;
    }
    if(S_ISDIR(sb.st_mode))
      walk(&j, inputs[i], 0);
    else
      read_file(&j, inputs[i], 1);
  }
  rift_pool_free(&j.pool);
  return j.rc;
}

const char *evsrc_path(const struct evsrc *s, uint32_t file_id)
{
  if(file_id >= 1 && file_id <= s->npaths)
    return s->paths[file_id - 1];
  return "?";
}

void evsrc_release(struct evsrc *s)
{
  uint32_t i;
  for(i = 0; i < s->npaths; i++)
    free(s->paths[i]);
  free(s->paths);
  s->paths = NULL;
  s->npaths = 0;
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
