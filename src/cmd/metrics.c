/*
 * metrics.c - rift metrics CASE: how many events per host, channel,
 * event id and provider, with the first and last time of each.
 */
#include <getopt.h>
#include <string.h>

#include "cmd/case.h"
#include "cmd/cmd.h"
#include "core/rtime.h"
#include "out/json.h"

static const char usage_str[] =
  "usage: rift metrics CASE [--jsonl]\n"
  "\n"
  "Count the events of CASE per host, per channel (or dataset), per event\n"
  "id and per provider, with the first and last time of each, largest\n"
  "first; then the findings per level.\n"
  "\n"
  "      --jsonl   one JSON object per count (dimension, key, key2, count,\n"
  "                first, last) instead of tables\n"
  "  -h, --help    this help\n";

struct mctx {
  struct rift_buf *out;
  const char *dim;
  int jsonl;
};

static void when(char *buf, int64_t ns)
{
  if(ns == RIFT_TIME_NONE) {
    memcpy(buf, "-", 2);
    return;
  }
  buf[rift_time_fmt(buf, ns, 0)] = 0;
}

static rift_err row(void *ctx, const struct rift_store_count *c)
{
  struct mctx *m = ctx;
  char a[RIFT_TIME_FMT_MAX], b[RIFT_TIME_FMT_MAX], n[32];
  if(m->jsonl) {
    struct rift_json j;
    rift_json_init(&j, m->out);
    rift_json_begin(&j, '{');
    rift_json_key(&j, "dimension");
    rift_json_str(&j, m->dim);
    rift_json_key(&j, "key");
    rift_json_str(&j, c->key);
    if(*c->key2) {
      rift_json_key(&j, "key2");
      rift_json_str(&j, c->key2);
    }
    rift_json_key(&j, "count");
    rift_json_u64(&j, c->n);
    rift_json_key(&j, "first");
    rift_json_time(&j, c->first);
    rift_json_key(&j, "last");
    rift_json_time(&j, c->last);
    rift_json_end(&j);
    rift_buf_addch(m->out, '\n');
    return m->out->err;
  }
  when(a, c->first);
  when(b, c->last);
  rift_buf_addf(m->out, "  %12s  %-20s  %-20s  %s%s%s\n",
                fmt_count(n, sizeof(n), c->n), a, b,
                *c->key ? c->key : "(none)", *c->key2 ? "  " : "", c->key2);
  return m->out->err;
}

int cmd_metrics(int argc, char **argv)
{
  static const struct option opts[] = {
    { "jsonl", no_argument, NULL, 'j' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  static const struct {
    enum rift_store_dim dim;
    const char *name, *title;
  } dims[] = {
    { RIFT_DIM_HOST, "host", "hosts" },
    { RIFT_DIM_CHANNEL, "channel", "channels" },
    { RIFT_DIM_EVENT_ID, "event_id", "event ids (channel  event id)" },
    { RIFT_DIM_PROVIDER, "provider", "providers" },
    { RIFT_DIM_LEVEL, "finding_level", "findings per level" },
  };
  struct rift_store *s;
  struct rift_store_totals tot;
  struct rift_buf out;
  struct mctx m;
  size_t i;
  int c, jsonl = 0;

  help_if_asked(argc, argv, usage_str);
  while((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if(c == 'j')
      jsonl = 1;
    else
      usage_die(usage_str, "unknown option");
  }
  if(optind + 1 != argc)
    usage_die(usage_str, "expected one CASE");
  s = case_open(argv[optind]);
  rift_buf_init(&out, RIFT_BUF_MAX_OUTPUT);
  m.out = &out;
  m.jsonl = jsonl;
  if(rift_store_totals(s, &tot))
    die("%s: %s", argv[optind], rift_store_errmsg(s));
  if(!jsonl) {
    char a[RIFT_TIME_FMT_MAX], b[RIFT_TIME_FMT_MAX], n1[32], n2[32], n3[32];
    when(a, tot.first);
    when(b, tot.last);
    rift_buf_addf(&out, "%s events from %s inputs, %llu hosts, %s "
                  "findings; %s .. %s\n",
                  fmt_count(n1, sizeof(n1), tot.events),
                  fmt_count(n2, sizeof(n2), tot.inputs),
                  (unsigned long long)tot.hosts,
                  fmt_count(n3, sizeof(n3), tot.findings), a, b);
  }
  for(i = 0; i < sizeof(dims) / sizeof(dims[0]); i++) {
    m.dim = dims[i].name;
    if(!jsonl)
      rift_buf_addf(&out, "\n%s\n  %12s  %-20s  %-20s  %s\n", dims[i].title,
                    "events", "first", "last", "name");
    if(rift_store_counts(s, dims[i].dim, row, &m))
      die("%s: %s", argv[optind], rift_store_errmsg(s));
    if(flush_out(1, &out, 1u << 20))
      break;
  }
  flush_out(1, &out, 0);
  rift_buf_release(&out);
  rift_store_free(&s);
  return RIFT_EXIT_OK;
}
