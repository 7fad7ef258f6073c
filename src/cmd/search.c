/*
 * search.c - rift search CASE: events by keyword, regular expression
 * (PCRE2) or field value.
 *
 * A keyword is a case-insensitive substring of the message or of any
 * field's value (as chainsaw's search): SQL narrows the rows with LIKE,
 * rift_event_contains() then checks the values exactly.  --regex matches
 * the message and every value with PCRE2.  --field NAME=VALUE compares a
 * field's value exactly (indexed columns where the case has them).
 * Output: a table when standard output is a terminal, else JSON lines.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <getopt.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd/case.h"
#include "cmd/cmd.h"
#include "core/rtime.h"
#include "out/json.h"

static const char usage_str[] =
  "usage: rift search CASE [KEYWORD] [options]\n"
  "\n"
  "Find the events of CASE that contain KEYWORD (case-insensitive, in the\n"
  "message or any field's value but the input file's name), match a\n"
  "regular expression, or have given field values.  All conditions must\n"
  "hold.\n"
  "\n"
  "  -e, --regex RE          PCRE2 regular expression over the message and\n"
  "                          every field's value\n"
  "  -i, --ignore-case       the regular expression ignores case\n"
  "  -F, --field NAME=VALUE  the field NAME (e.g. winlog.event_id, user.name,\n"
  "                          winlog.event_data.LogonType) equals VALUE;\n"
  "                          repeatable\n"
  "      --fts QUERY         SQLite FTS5 query over messages and command\n"
  "                          lines (fast; word-based)\n"
  "      --from TIME         only events at or after TIME\n"
  "      --to TIME           only events at or before TIME\n"
  "      --host NAME         only events of this host\n"
  "  -n, --limit N           stop after N events\n"
  "      --jsonl             JSON lines even on a terminal\n"
  "  -h, --help              this help\n"
  "\n"
  "On a terminal the matches are a table (time, host, event id, record,\n"
  "message); otherwise one flat JSON object per event.\n"
  "\n"
  "Exit status (as grep): 0 if an event matched, 1 if none did, 128 if\n"
  "the case could not be searched.\n";

#define BATCH 1024
#define MAX_EQ 64

struct rx {
  pcre2_code *re;
  pcre2_match_data *md;
};

static int rx_match(struct rx *x, const char *s, size_t n)
{
  return pcre2_match(x->re, (PCRE2_SPTR)s, n, 0, 0, x->md, NULL) >= 0;
}

static int rx_event(struct rx *x, const struct rift_event *e)
{
  char tmp[40];
  size_t n;
  uint32_t i;
  if(e->message && rx_match(x, e->message, strlen(e->message)))
    return 1;
  for(i = 0; i < e->nf; i++) {
    const char *s = rift_value_str(&e->f[i].v, tmp, &n);
    if(s && rx_match(x, s, n))
      return 1;
  }
  return 0;
}

static unsigned term_width(void)
{
  struct winsize ws;
  const char *c = getenv("COLUMNS");
  unsigned long v = c ? strtoul(c, NULL, 10) : 0;
  if(v >= 40 && v < 10000)
    return (unsigned)v;
  if(!ioctl(1, TIOCGWINSZ, &ws) && ws.ws_col >= 40)
    return ws.ws_col;
  return 120;
}

static void table_row(struct rift_buf *o, const struct rift_event *e,
                      unsigned width)
{
  char t[RIFT_TIME_FMT_MAX], rec[24];
  size_t tl = 19, room, n;
  const char *m = e->message ? e->message : "";
  if(e->ts != RIFT_TIME_NONE)
    rift_time_fmt(t, e->ts, 0);
  else
    memcpy(t, "-                  ", 20);
  snprintf(rec, sizeof(rec), "%llu", (unsigned long long)e->record_id);
  rift_buf_addf(o, "%-*.*s  %-16.16s %-6.6s %-9.9s ", (int)tl, (int)tl, t,
                e->host ? e->host : "-", e->code ? e->code : "-",
                e->record_id ? rec : "-");
  room = width > 19 + 2 + 17 + 7 + 10 + 10 ? width - (19 + 2 + 17 + 7 + 10)
                                           : 40;
  n = strlen(m);
  if(n > room) {
    n = room - 3;
    while(n && ((unsigned char)m[n] & 0xC0) == 0x80)
      n--;
    rift_buf_add(o, m, n);
    rift_buf_adds(o, "...");
  }
  else {
    rift_buf_add(o, m, n);
  }
  rift_buf_addch(o, '\n');
}

int cmd_search(int argc, char **argv)
{
  static const struct option opts[] = {
    { "regex", required_argument, NULL, 'e' },
    { "ignore-case", no_argument, NULL, 'i' },
    { "field", required_argument, NULL, 'F' },
    { "fts", required_argument, NULL, 'Q' },
    { "from", required_argument, NULL, 'A' },
    { "to", required_argument, NULL, 'B' },
    { "host", required_argument, NULL, 'H' },
    { "limit", required_argument, NULL, 'n' },
    { "jsonl", no_argument, NULL, 'j' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct rift_store_filter flt;
  struct rift_store_eq eq[MAX_EQ];
  struct rift_store *s;
  struct rift_store_iter *it;
  struct rift_batch b;
  struct rift_buf out;
  struct rx rx = { NULL, NULL };
  const char *regex = NULL, *keyword = NULL, *casedir = NULL;
  unsigned long limit = 0, found = 0;
  unsigned width;
  int c, icase = 0, jsonl = 0, failed = 0;
  size_t i, neq = 0, klen = 0;

  help_if_asked(argc, argv, usage_str);
  rift_store_filter_init(&flt);
  while((c = getopt_long(argc, argv, "e:iF:n:h", opts, NULL)) != -1) {
    switch(c) {
    case 'e':
      regex = optarg;
      break;
    case 'i':
      icase = 1;
      break;
    case 'F': {
      char *eqs = strchr(optarg, '=');
      if(!eqs || eqs == optarg)
        usage_die(usage_str, "--field wants NAME=VALUE, not '%s'", optarg);
      if(neq == MAX_EQ)
        die("too many --field options (at most %d)", MAX_EQ);
      *eqs = 0;
      eq[neq].name = optarg;
      eq[neq].value = eqs + 1;
      neq++;
      break;
    }
    case 'Q':
      flt.fts = optarg;
      break;
    case 'A':
      flt.from = parse_time_opt("--from", optarg);
      break;
    case 'B':
      flt.to = parse_time_upto("--to", optarg);
      break;
    case 'H':
      flt.host = optarg;
      break;
    case 'n':
      limit = parse_count("--limit", optarg, 1ul << 40);
      break;
    case 'j':
      jsonl = 1;
      break;
    default:
      usage_die(usage_str, "unknown option");
    }
  }
  jsonl = jsonl == 1 || !isatty(1);
  if(optind >= argc)
    usage_die(usage_str, "expected a CASE");
  casedir = argv[optind++];
  if(optind < argc)
    keyword = argv[optind++];
  if(optind < argc)
    usage_die(usage_str, "one KEYWORD at most (quote it if it has spaces)");
  if(!keyword && !regex && !neq && !flt.fts && flt.from == RIFT_TIME_NONE &&
     flt.to == RIFT_TIME_NONE && !flt.host)
    usage_die(usage_str, "nothing to search for");
  if(regex) {
    int err;
    PCRE2_SIZE off;
    rx.re = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED,
                          PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
                            (icase ? PCRE2_CASELESS : 0),
                          &err, &off, NULL);
    if(!rx.re) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(err, msg, sizeof(msg));
      die("invalid regular expression at offset %zu: %s", (size_t)off,
          (const char *)msg);
    }
    pcre2_jit_compile(rx.re, PCRE2_JIT_COMPLETE);
    rx.md = pcre2_match_data_create_from_pattern(rx.re, NULL);
    if(!rx.md)
      die("out of memory");
  }
  if(keyword) {
    flt.like = keyword;
    klen = strlen(keyword);
  }
  flt.eq = eq;
  flt.neq = neq;
  s = case_open(casedir);
  if(rift_store_iter_open(s, &flt, &it))
    die("%s: cannot search: %s", casedir, rift_store_errmsg(s));
  width = jsonl ? 0 : term_width();
  rift_batch_init(&b);
  rift_buf_init(&out, RIFT_BUF_MAX_OUTPUT);
  if(!jsonl)
    rift_buf_addf(&out, "%-19s  %-16s %-6s %-9s %s\n", "time (UTC)", "host",
                  "event", "record", "message");
  while(!failed) {
    const int64_t *ids;
    if(rift_store_iter_next(it, &b, BATCH))
      die("%s: reading the case failed (is the FTS query valid?)", casedir);
    if(!b.n)
      break;
    ids = rift_store_iter_ids(it);
    for(i = 0; i < b.n; i++) {
      const struct rift_event *e = &b.ev[i];
      if(keyword && !rift_event_contains(e, keyword, klen))
        continue;
      if(rx.re && !rx_event(&rx, e))
        continue;
      if(jsonl) {
        rift_json_event_flat(&out, e, ids[i]);
        rift_buf_addch(&out, '\n');
      }
      else {
        table_row(&out, e, width);
      }
      found++;
      if(limit && found >= limit)
        break;
    }
    if(flush_out(1, &out, 1u << 20))
      failed = 1;
    if(limit && found >= limit)
      break;
  }
  if(!failed)
    flush_out(1, &out, 0);
  if(!jsonl)
    fprintf(stderr, "%lu events\n", found);
  rift_buf_release(&out);
  rift_batch_release(&b);
  rift_store_iter_free(&it);
  rift_store_free(&s);
  if(rx.md)
    pcre2_match_data_free(rx.md);
  if(rx.re)
    pcre2_code_free(rx.re);
  return found ? RIFT_EXIT_OK : RIFT_EXIT_NO_MATCH;
}
