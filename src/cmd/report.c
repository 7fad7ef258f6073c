/*
 * report.c - rift report CASE: write the case report (CASE/report.html).
 */
#include <getopt.h>
#include <limits.h>
#include <string.h>

#include "cmd/cmd.h"
#include "out/report.h"
#include "store/store.h"

static const char usage_str[] =
  "usage: rift report CASE [-o FILE] [--max-findings N]\n"
  "\n"
  "Write the case report: one self-contained HTML page (no scripts, no\n"
  "external files) with what the case holds, findings by rule and one by\n"
  "one with the evidence file and record behind each, hosts, event sources\n"
  "and the inputs that could not be read cleanly.  rift triage writes it\n"
  "too; run this after rift hunt / endpoint / net add findings.\n"
  "\n"
  "  -o, --output FILE      where to write (default CASE/report.html; - for\n"
  "                         stdout)\n"
  "      --max-findings N   findings listed one by one (default 2000)\n"
  "  -h, --help             this help\n";

int cmd_report(int argc, char **argv)
{
  static const struct option opts[] = {
    { "output", required_argument, NULL, 'o' },
    { "max-findings", required_argument, NULL, 'm' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *out = NULL, *casedir;
  char db[PATH_MAX], path[PATH_MAX];
  struct rift_report_opts o = { NULL, 2000 };
  struct rift_store *s;
  struct rift_diag d;
  struct rift_buf b;
  int c;
  help_if_asked(argc, argv, usage_str);
  while((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
    switch(c) {
    case 'o':
      out = optarg;
      break;
    case 'm':
      o.max_findings = parse_count("--max-findings", optarg, 10000000);
      break;
    default:
      usage_die(usage_str, "unknown option");
    }
  }
  if(optind != argc - 1)
    usage_die(usage_str, "give one case folder");
  casedir = argv[optind];
  o.title = casedir;
  snprintf(db, sizeof(db), "%s/case.db", casedir);
  diag_stderr(&d, db);
  if(rift_store_open(&s, db, RIFT_STORE_READ, &d))
    return RIFT_EXIT_DIE;
  if(!out) {
    snprintf(path, sizeof(path), "%s/report.html", casedir);
    out = path;
  }
  rift_buf_init(&b, (size_t)1 << 31);
  if(rift_report_html(s, &b, &o))
    die("%s: cannot read the case: %s", casedir, rift_store_errmsg(s));
  rift_store_free(&s);
  if(!strcmp(out, "-")) {
    write_all(1, b.buf, b.len);
  }
  else {
    FILE *f = fopen(out, "w");
    if(!f || fwrite(b.buf, 1, b.len, f) != b.len || fclose(f))
      die("%s: cannot write the report", out);
    fprintf(stderr, "rift: report written to %s\n", out);
  }
  rift_buf_release(&b);
  return RIFT_EXIT_OK;
}
