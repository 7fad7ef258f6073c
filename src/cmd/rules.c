/*
 * rules.c - rift rules check: load Sigma rules and say, for every rule,
 * whether rift runs it and if not why.
 */
#include <getopt.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/sigma-cmd.h"
#include "core/hmap.h"

static const char usage_str[] =
  "usage: rift rules check [options]\n"
  "\n"
  "Load Sigma rules and list every rule document: active (rift runs it),\n"
  "unsupported (valid Sigma that rift cannot run, with the reason, e.g. a\n"
  "logsource rift has no events for) or invalid (with the problem and\n"
  "its line).  Ends with counts and the reasons grouped.\n"
  "\n"
  SIGMA_OPTS_USAGE
  "      --jsonl          one JSON object per rule instead of a table\n"
  "      --summary        only the counts and grouped reasons\n"
  "  -h, --help           this help\n"
  "\n"
  "Exit status: 0 when every rule is active or unsupported, 1 when some\n"
  "rule is invalid or a rule file could not be read.\n";

/* A reason without its specifics, to group rules by it. */
static void reason_class(const char *r, char *out, size_t n)
{
  const char *p;
  size_t i = 0;
  if(!strncmp(r, "no rift events for logsource ", 29)) {
    /* keep the logsource: that is the class */
    snprintf(out, n, "%s", r);
    return;
  }
  if(!strncmp(r, "logsource ", 10) && (p = strchr(r + 10, ':'))) {
    snprintf(out, n, "logsource ...:%s", p + 1);
    return;
  }
  if(!strncmp(r, "line ", 5) && (p = strchr(r, ':')))
    r = p + 2;
  for(p = r; *p && i + 1 < n; p++) {
    if(*p == '\'') {
      /* drop quoted specifics */
      const char *q = strchr(p + 1, '\'');
      if(q) {
        if(i + 3 < n) {
          out[i++] = '\'';
          out[i++] = '.';
          out[i++] = '\'';
        }
        p = q;
        continue;
      }
    }
    out[i++] = *p;
  }
  out[i] = 0;
}

static void json_str(const char *s)
{
  struct rift_buf b;
  rift_buf_init(&b, RIFT_BUF_MAX_LINE);
  rift_buf_addch(&b, '"');
  if(s)
    rift_buf_add_json(&b, s, strlen(s));
  rift_buf_addch(&b, '"');
  fputs(b.buf, stdout);
  rift_buf_release(&b);
}

static int check(int argc, char **argv)
{
  static const struct option opts[] = {
    SIGMA_LONG_OPTS,
    { "jsonl", no_argument, NULL, 'j' },
    { "summary", no_argument, NULL, 's' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct sigma_opts so;
  struct rift_sigma *s;
  struct rift_sigma_stats st;
  struct rift_hmap reasons;
  unsigned long load_errors = 0;
  int c, jsonl = 0, summary = 0;
  size_t i, n;
  struct { const char *text; uint64_t count; } *rs = NULL;
  size_t nrs = 0;

  memset(&so, 0, sizeof(so));
  help_if_asked(argc, argv, usage_str);
  while((c = getopt_long(argc, argv, "r:h", opts, NULL)) != -1) {
    if(sigma_opts_take(&so, c, optarg, usage_str))
      continue;
    switch(c) {
    case 'j':
      jsonl = 1;
      break;
    case 's':
      summary = 1;
      break;
    default:
      usage_die(usage_str, "unknown option");
    }
  }
  if(optind < argc)
    usage_die(usage_str, "unexpected argument '%s'", argv[optind]);
  s = sigma_load(&so, &load_errors);
  rift_sigma_get_stats(s, &st);
  n = rift_sigma_count(s);
  rift_hmap_init(&reasons, 1u << 20);
  rs = calloc(n + 1, sizeof(*rs));
  if(!rs)
    die("out of memory");
  for(i = 0; i < n; i++) {
    const struct rift_sigma_rule *r = rift_sigma_rule(s, i);
    if(r->reason) {
      char cls[512];
      union rift_hval *v;
      int isnew;
      reason_class(r->reason, cls, sizeof(cls));
      if(rift_hmap_put(&reasons, cls, strlen(cls), &v, &isnew))
        die("out of memory");
      if(isnew) {
        rs[nrs].text = rift_hmap_entry(&reasons, cls, strlen(cls))->key;
        v->u = nrs++;
      }
      rs[v->u].count++;
    }
    if(summary)
      continue;
    if(jsonl) {
      size_t t;
      fputs("{\"state\":", stdout);
      json_str(rift_sigma_state_name(r->state));
      fputs(",\"path\":", stdout);
      json_str(r->path);
      printf(",\"document\":%u,\"line\":%u,\"kind\":", r->doc, r->line);
      json_str(r->kind);
      fputs(",\"id\":", stdout);
      json_str(r->id);
      fputs(",\"title\":", stdout);
      json_str(r->title);
      fputs(",\"level\":", stdout);
      json_str(rift_level_name(r->level));
      fputs(",\"logsource\":", stdout);
      json_str(r->logsource);
      fputs(",\"techniques\":[", stdout);
      for(t = 0; r->techniques[t]; t++) {
        if(t)
          putchar(',');
        json_str(r->techniques[t]);
      }
      printf("],\"hidden\":%s,\"reason\":", r->hidden ? "true" : "false");
      if(r->reason)
        json_str(r->reason);
      else
        fputs("null", stdout);
      puts("}");
    }
    else {
      printf("%-11s %s", rift_sigma_state_name(r->state), r->path);
      if(r->doc)
        printf(" (document %u)", r->doc + 1);
      printf("  %s", r->title);
      if(r->reason)
        printf(": %s", r->reason);
      putchar('\n');
    }
  }
  if(!jsonl) {
    printf("%s%zu rules: %zu active, %zu unsupported, %zu invalid "
           "(%zu correlations, %zu filters)\n",
           summary ? "" : "\n", st.rules, st.active, st.unsupported,
           st.invalid, st.correlations, st.filters);
    if(nrs) {
      size_t a, b;
      /* most frequent reasons first */
      for(a = 0; a < nrs; a++) {
        for(b = a + 1; b < nrs; b++) {
          if(rs[b].count > rs[a].count) {
            __typeof__(rs[0]) tmp = rs[a];
            rs[a] = rs[b];
            rs[b] = tmp;
          }
        }
      }
      printf("\nreasons:\n");
      for(a = 0; a < nrs; a++)
        printf("%8llu  %s\n", (unsigned long long)rs[a].count, rs[a].text);
    }
  }
  free(rs);
  rift_hmap_release(&reasons);
  rift_sigma_free(&s);
  return st.invalid || load_errors ? RIFT_EXIT_INPUT_ERRORS : RIFT_EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
  static const char top[] =
    "usage: rift rules check [options]\n"
    "\n"
    "  check    load Sigma rules and list each with its state and reason\n"
    "\n"
    "run 'rift rules check --help' for its options\n";
  if(argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
    fputs(top, argc < 2 ? stderr : stdout);
    return argc < 2 ? RIFT_EXIT_USAGE : RIFT_EXIT_OK;
  }
  if(!strcmp(argv[1], "check"))
    return check(argc - 1, argv + 1);
  usage_die(top, "unknown subcommand '%s'", argv[1]);
}
