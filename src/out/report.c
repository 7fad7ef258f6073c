/*
 * report.c - the case report: one self-contained HTML file (no scripts,
 * no external assets) that a responder can mail or open offline.
 *
 * Sections: what the case holds (totals, time span, hosts, sources),
 * findings by level and by rule, the findings themselves (most severe
 * first, each with the evidence file and record of its supporting events),
 * and the inputs that could not be read cleanly.  Everything comes from
 * the store; nothing is computed that `sqlite3 CASE/case.db` could not
 * show.
 */
#include <stdlib.h>
#include <string.h>

#include "core/hmap.h"
#include "core/rtime.h"
#include "out/report.h"

#define MAX_ROWS 200        /* hosts, sources, inputs with errors */
#define MAX_RULES 1000      /* rows of the per-rule table */

struct rule_row {
  char *key;                 /* source \x1f rule id */
  const char *source, *rule_id, *name, *techniques;
  int level;
  uint64_t n;
  int64_t first, last;
  char *hosts;               /* up to a few host names */
};

struct ctx {
  struct rift_buf *b;
  const struct rift_report_opts *o;
  struct rift_hmap rules;    /* key -> index into rows */
  struct rule_row *rows;
  size_t nrows, caprows;
  uint64_t by_level[5];
  uint64_t findings, shown;
  int pass;                  /* 0: tally, 1: list */
  int level;                 /* list pass: the level being listed */
};

static void esc(struct rift_buf *b, const char *s)
{
  if(s)
    rift_buf_add_xml(b, s, strlen(s));
}

static void tm(struct rift_buf *b, int64_t ns)
{
  char t[RIFT_TIME_FMT_MAX];
  if(ns == RIFT_TIME_NONE) {
    rift_buf_adds(b, "-");
    return;
  }
  rift_buf_add(b, t, rift_time_fmt(t, ns, 0));
}

static const char *level_class(int l)
{
  static const char *const c[] = { "info", "low", "medium", "high", "critical" };
  return l >= 0 && l < 5 ? c[l] : "info";
}

static char *techniques_text(const char *const *t)
{
  struct rift_buf b;
  size_t i;
  rift_buf_init(&b, RIFT_BUF_MAX_LINE);
  for(i = 0; t && t[i] && i < 16; i++) {
    if(i)
      rift_buf_adds(&b, " ");
    rift_buf_adds(&b, t[i]);
  }
  return rift_buf_detach(&b, NULL);
}

static rift_err tally(void *arg, const struct rift_store_finding *sf)
{
  struct ctx *c = arg;
  const struct rift_finding *f = &sf->f;
  union rift_hval *v;
  struct rule_row *r;
  int isnew;
  char key[1024];
  int n;
  c->findings++;
  if((unsigned)f->level < 5)
    c->by_level[f->level]++;
  n = snprintf(key, sizeof(key), "%s\x1f%s", f->source ? f->source : "",
               f->rule_id ? f->rule_id : (f->rule_name ? f->rule_name : ""));
  if(n < 0)
    return RIFT_OK;
  if((size_t)n >= sizeof(key))
    n = sizeof(key) - 1;
  if(rift_hmap_put(&c->rules, key, (size_t)n, &v, &isnew))
    return RIFT_OK; /* table full: the per-rule table stops growing */
  if(isnew) {
    if(rift_grow((void **)&c->rows, &c->caprows, c->nrows + 1,
                 sizeof(*c->rows), 64))
      return RIFT_NOMEM;
    r = &c->rows[c->nrows];
    memset(r, 0, sizeof(*r));
    r->key = strdup(key);
    r->source = strdup(f->source ? f->source : "");
    r->rule_id = strdup(f->rule_id ? f->rule_id : "");
    r->name = strdup(f->rule_name ? f->rule_name : "");
    r->techniques = techniques_text(f->techniques);
    r->level = f->level;
    r->first = f->ts;
    r->last = f->ts_end != RIFT_TIME_NONE ? f->ts_end : f->ts;
    r->hosts = strdup("");
    v->u = c->nrows++;
  }
  r = &c->rows[v->u];
  r->n++;
  if(f->ts != RIFT_TIME_NONE && (r->first == RIFT_TIME_NONE || f->ts < r->first))
    r->first = f->ts;
  if(f->ts_end != RIFT_TIME_NONE && f->ts_end > r->last)
    r->last = f->ts_end;
  if((int)f->level > r->level)
    r->level = f->level;
  if(f->host && *f->host && strlen(r->hosts) < 200 && !strstr(r->hosts, f->host)) {
    size_t a = strlen(r->hosts), l = strlen(f->host);
    char *nh = realloc(r->hosts, a + l + 3);
    if(nh) {
      if(a)
        memcpy(nh + a, ", ", 2), a += 2;
      memcpy(nh + a, f->host, l + 1);
      r->hosts = nh;
    }
  }
  return RIFT_OK;
}

static rift_err list(void *arg, const struct rift_store_finding *sf)
{
  struct ctx *c = arg;
  const struct rift_finding *f = &sf->f;
  struct rift_buf *b = c->b;
  size_t i;
  char *tech;
  if((int)f->level != c->level || c->shown >= c->o->max_findings)
    return RIFT_OK;
  c->shown++;
  rift_buf_addf(b, "<tr class=\"%s\"><td>", level_class(f->level));
  tm(b, f->ts);
  rift_buf_adds(b, "</td><td class=\"lv\">");
  esc(b, rift_level_name(f->level));
  rift_buf_adds(b, "</td><td>");
  esc(b, f->rule_name);
  tech = techniques_text(f->techniques);
  if(tech && *tech) {
    rift_buf_adds(b, " <span class=\"t\">");
    esc(b, tech);
    rift_buf_adds(b, "</span>");
  }
  free(tech);
  rift_buf_adds(b, "<br><span class=\"src\">");
  esc(b, f->source);
  rift_buf_adds(b, "</span></td><td>");
  esc(b, f->host);
  rift_buf_adds(b, "</td><td>");
  esc(b, f->message);
  if(f->process_command_line) {
    rift_buf_adds(b, "<br><code>");
    esc(b, f->process_command_line);
    rift_buf_adds(b, "</code>");
  }
  rift_buf_adds(b, "</td><td class=\"ev\">");
  for(i = 0; i < f->nrefs && i < 5; i++) {
    const char *p = sf->ref_paths ? sf->ref_paths[i] : NULL;
    const char *base = p ? strrchr(p, '/') : NULL;
    rift_buf_adds(b, "<span title=\"");
    esc(b, p);
    rift_buf_adds(b, "\">");
    esc(b, base ? base + 1 : p ? p : "?");
    rift_buf_addf(b, "</span> #%llu<br>", (unsigned long long)f->refs[i].record_id);
  }
  if(f->nrefs > 5)
    rift_buf_addf(b, "and %zu more", f->nrefs - 5);
  rift_buf_adds(b, "</td></tr>\n");
  return b->err;
}

struct counts {
  struct rift_buf *b;
  int rows;
  int two; /* key2 column */
};

static rift_err count_row(void *arg, const struct rift_store_count *c)
{
  struct counts *k = arg;
  struct rift_buf *b = k->b;
  if(k->rows++ >= MAX_ROWS)
    return RIFT_OK;
  rift_buf_adds(b, "<tr><td>");
  esc(b, c->key && *c->key ? c->key : "(none)");
  if(k->two) {
    rift_buf_adds(b, "</td><td>");
    esc(b, c->key2);
  }
  rift_buf_addf(b, "</td><td class=\"n\">%llu</td><td>", (unsigned long long)c->n);
  tm(b, c->first);
  rift_buf_adds(b, "</td><td>");
  tm(b, c->last);
  rift_buf_adds(b, "</td></tr>\n");
  return b->err;
}

struct inputs {
  struct rift_buf *b;
  uint64_t total, ok, errors, failed, skipped, dup;
  int rows;
  int listing;
};

static rift_err input_row(void *arg, const struct rift_input *in)
{
  struct inputs *k = arg;
  struct rift_buf *b = k->b;
  if(!k->listing) {
    k->total++;
    if(!in->status || !strcmp(in->status, "ok"))
      k->ok++;
    else if(!strcmp(in->status, "errors"))
      k->errors++;
    else if(!strcmp(in->status, "failed"))
      k->failed++;
    else if(!strcmp(in->status, "skipped"))
      k->skipped++;
    else if(!strcmp(in->status, "duplicate"))
      k->dup++;
    return RIFT_OK;
  }
  if(!in->status || (strcmp(in->status, "errors") && strcmp(in->status, "failed")))
    return RIFT_OK;
  if(k->rows++ >= MAX_ROWS)
    return RIFT_OK;
  rift_buf_adds(b, "<tr><td>");
  esc(b, in->path);
  rift_buf_adds(b, "</td><td>");
  esc(b, in->status);
  rift_buf_addf(b, "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td><td>",
                (unsigned long long)in->records, (unsigned long long)in->errors);
  esc(b, in->error);
  rift_buf_adds(b, "</td></tr>\n");
  return b->err;
}

static int by_level_count(const void *a, const void *b)
{
  const struct rule_row *x = a, *y = b;
  if(x->level != y->level)
    return y->level - x->level;
  if(x->n != y->n)
    return x->n < y->n ? 1 : -1;
  return strcmp(x->name, y->name);
}

static const char css[] =
  "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
  "h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}"
  "table{border-collapse:collapse;width:100%;margin:.5em 0}"
  "td,th{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}"
  "th{background:#f4f4f4}td.n{text-align:right}code{font-size:12px;word-break:break-all}"
  ".critical .lv{background:#7a0010;color:#fff}"
  ".high .lv{background:#d9342b;color:#fff}"
  ".medium .lv{background:#f0a020}"
  ".low .lv{background:#f6e58d}"
  ".t{color:#555;font-size:12px}.src{color:#777;font-size:12px}"
  ".ev{font-size:12px;white-space:nowrap}"
  ".kv td:first-child{width:12em;font-weight:bold}";

rift_err rift_report_html(struct rift_store *s, struct rift_buf *b,
                          const struct rift_report_opts *o)
{
  struct ctx c;
  struct rift_store_totals t;
  struct counts k;
  struct inputs in;
  size_t i;
  int l;
  rift_err rc;
  memset(&c, 0, sizeof(c));
  c.b = b;
  c.o = o;
  rift_hmap_init(&c.rules, MAX_RULES);
  rc = rift_store_totals(s, &t);
  if(rc)
    return rc;
  rc = rift_store_findings(s, tally, &c);
  if(rc)
    goto out;
  if(c.nrows)
    qsort(c.rows, c.nrows, sizeof(*c.rows), by_level_count);
  memset(&in, 0, sizeof(in));
  in.b = b;
  rc = rift_store_inputs(s, input_row, &in);
  if(rc)
    goto out;

  rift_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<title>rift report: ");
  esc(b, o->title);
  rift_buf_addf(b, "</title><style>%s</style></head><body>\n<h1>rift case report</h1>\n", css);
  rift_buf_adds(b, "<table class=\"kv\"><tr><td>case</td><td>");
  esc(b, o->title);
  rift_buf_adds(b, "</td></tr><tr><td>generated</td><td>");
  tm(b, rift_time_now());
  rift_buf_adds(b, " by rift</td></tr><tr><td>evidence</td><td>");
  rift_buf_addf(b, "%llu inputs: %llu read, %llu with errors, %llu failed, "
                   "%llu not a format rift reads, %llu duplicates",
                (unsigned long long)in.total, (unsigned long long)in.ok,
                (unsigned long long)in.errors, (unsigned long long)in.failed,
                (unsigned long long)in.skipped, (unsigned long long)in.dup);
  rift_buf_addf(b, "</td></tr><tr><td>events</td><td>%llu from %llu hosts</td></tr>"
                   "<tr><td>time span</td><td>",
                (unsigned long long)t.events, (unsigned long long)t.hosts);
  tm(b, t.first);
  rift_buf_adds(b, " .. ");
  tm(b, t.last);
  rift_buf_addf(b, "</td></tr><tr><td>findings</td><td>%llu: critical %llu, high %llu, "
                   "medium %llu, low %llu, informational %llu</td></tr></table>\n",
                (unsigned long long)c.findings, (unsigned long long)c.by_level[4],
                (unsigned long long)c.by_level[3], (unsigned long long)c.by_level[2],
                (unsigned long long)c.by_level[1], (unsigned long long)c.by_level[0]);

  rift_buf_adds(b, "<h2>Findings by rule</h2>\n");
  if(!c.nrows)
    rift_buf_adds(b, "<p>No findings: run <code>rift triage -r RULES</code>, "
                     "<code>rift hunt CASE -r RULES</code>, <code>rift endpoint "
                     "CASE</code> or <code>rift net rare|beacons CASE</code>.</p>\n");
  else
    rift_buf_adds(b, "<table><tr><th>level</th><th>rule</th>"
                     "<th>detector</th><th>count</th><th>hosts</th><th>first</th>"
                     "<th>last</th></tr>\n");
  for(i = 0; i < c.nrows; i++) {
    struct rule_row *r = &c.rows[i];
    rift_buf_addf(b, "<tr class=\"%s\"><td class=\"lv\">", level_class(r->level));
    esc(b, rift_level_name(r->level));
    rift_buf_adds(b, "</td><td>");
    esc(b, r->name);
    if(*r->techniques) {
      rift_buf_adds(b, " <span class=\"t\">");
      esc(b, r->techniques);
      rift_buf_adds(b, "</span>");
    }
    rift_buf_adds(b, "</td><td class=\"src\">");
    esc(b, r->source);
    rift_buf_addf(b, "</td><td class=\"n\">%llu</td><td>", (unsigned long long)r->n);
    esc(b, r->hosts);
    rift_buf_adds(b, "</td><td>");
    tm(b, r->first);
    rift_buf_adds(b, "</td><td>");
    tm(b, r->last);
    rift_buf_adds(b, "</td></tr>\n");
  }
  if(c.nrows)
    rift_buf_adds(b, "</table>\n");

  if(c.findings) {
    rift_buf_addf(b, "<h2>Findings</h2>\n<p>Most severe first, at most %llu; every "
                     "finding names the evidence file and record of its events "
                     "(hover for the full path).</p>\n<table><tr><th>time</th>"
                     "<th>level</th><th>rule</th><th>host</th><th>what</th>"
                     "<th>evidence</th></tr>\n",
                  (unsigned long long)o->max_findings);
    c.pass = 1;
    for(l = RIFT_LEVEL_CRITICAL; l >= RIFT_LEVEL_INFO && !rc; l--) {
      c.level = l;
      rc = rift_store_findings(s, list, &c);
    }
    rift_buf_adds(b, "</table>\n");
    if(c.shown < c.findings)
      rift_buf_addf(b, "<p>%llu more findings in the case: <code>sqlite3 case.db "
                       "'select * from findings_v'</code>.</p>\n",
                    (unsigned long long)(c.findings - c.shown));
  }

  rift_buf_adds(b, "<h2>Hosts</h2>\n<table><tr><th>host</th><th>events</th>"
                   "<th>first</th><th>last</th></tr>\n");
  k.b = b;
  k.rows = 0;
  k.two = 0;
  if(!rc)
    rc = rift_store_counts(s, RIFT_DIM_HOST, count_row, &k);
  rift_buf_adds(b, "</table>\n<h2>Event sources</h2>\n<table><tr><th>source</th>"
                   "<th>events</th><th>first</th><th>last</th></tr>\n");
  k.rows = 0;
  if(!rc)
    rc = rift_store_counts(s, RIFT_DIM_CHANNEL, count_row, &k);
  rift_buf_adds(b, "</table>\n<h2>Inputs with errors</h2>\n<table><tr><th>input</th>"
                   "<th>status</th><th>records</th><th>errors</th><th>reason</th></tr>\n");
  in.listing = 1;
  if(!rc)
    rc = rift_store_inputs(s, input_row, &in);
  rift_buf_adds(b, "</table>\n<p>The case database is <code>case.db</code> (SQLite; "
                   "schema in rift's docs/case-schema.md).</p>\n</body></html>\n");
  if(!rc)
    rc = b->err;
out:
  for(i = 0; i < c.nrows; i++) {
    free(c.rows[i].key);
    free((char *)c.rows[i].source);
    free((char *)c.rows[i].rule_id);
    free((char *)c.rows[i].name);
    free((char *)c.rows[i].techniques);
    free(c.rows[i].hosts);
  }
  free(c.rows);
  rift_hmap_release(&c.rules);
  return rc;
}
