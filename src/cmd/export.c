/*
 * export.c - rift export CASE --format ecs: every event and every
 * finding (as an alert) as Elastic Common Schema documents, one JSON
 * object per line.  This is the form the Elasticsearch and ClickHouse
 * exports ship.
 */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cmd/case.h"
#include "cmd/cmd.h"
#include "out/ecs.h"

static const char usage_str[] =
  "usage: rift export CASE --format ecs [options]\n"
  "\n"
  "Write the events of CASE (in time order) and then its findings as ECS\n"
  "alerts (event.kind \"alert\", rule.*, threat.technique.*, the entity\n"
  "fields and the log.file.path of the supporting events), one JSON\n"
  "document per line, with nested objects and ecs.version.\n"
  "\n"
  "  -f, --format ecs   the output form (only ecs so far)\n"
  "  -o, --output FILE  write to FILE instead of standard output\n"
  "      --from TIME    only events at or after TIME\n"
  "      --to TIME      only events at or before TIME\n"
  "      --host NAME    only events of this host\n"
  "      --no-events    findings only\n"
  "      --no-findings  events only\n"
  "  -h, --help         this help\n";

#define BATCH 2048

struct fctx {
  int fd;
  struct rift_buf *out;
  int failed;
};

static rift_err one_finding(void *ctx, const struct rift_store_finding *f)
{
  struct fctx *x = ctx;
  rift_err rc = rift_ecs_finding(x->out, f);
  if(rc)
    return rc;
  rift_buf_addch(x->out, '\n');
  if(flush_out(x->fd, x->out, 1u << 20)) {
    x->failed = 1;
    return RIFT_IO;
  }
  return RIFT_OK;
}

int cmd_export(int argc, char **argv)
{
  static const struct option opts[] = {
    { "format", required_argument, NULL, 'f' },
    { "output", required_argument, NULL, 'o' },
    { "from", required_argument, NULL, 'F' },
    { "to", required_argument, NULL, 'T' },
    { "host", required_argument, NULL, 'H' },
    { "no-events", no_argument, NULL, 'E' },
    { "no-findings", no_argument, NULL, 'N' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct rift_store_filter flt;
  struct rift_store *s;
  struct rift_buf out;
  struct rift_ecs ecs;
  struct fctx fx;
  const char *outpath = NULL, *format = NULL;
  int c, fd, events = 1, findings = 1;
  rift_err rc;

  help_if_asked(argc, argv, usage_str);
  rift_store_filter_init(&flt);
  while((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
    switch(c) {
    case 'f':
      format = optarg;
      break;
    case 'o':
      outpath = optarg;
      break;
    case 'F':
      flt.from = parse_time_opt("--from", optarg);
      break;
    case 'T':
      flt.to = parse_time_upto("--to", optarg);
      break;
    case 'H':
      flt.host = optarg;
      break;
    case 'E':
      events = 0;
      break;
    case 'N':
      findings = 0;
      break;
    default:
      usage_die(usage_str, "unknown option");
    }
  }
  if(!format || strcmp(format, "ecs"))
    usage_die(usage_str, "--format ecs is required (the only form so far)");
  if(optind + 1 != argc)
    usage_die(usage_str, "expected one CASE");
  s = case_open(argv[optind]);
  fd = open_output(outpath);
  rift_buf_init(&out, RIFT_BUF_MAX_OUTPUT);
  rift_ecs_init(&ecs);
  memset(&fx, 0, sizeof(fx));
  fx.fd = fd;
  fx.out = &out;
  if(events) {
    struct rift_store_iter *it;
    struct rift_batch b;
    size_t i;
    if(rift_store_iter_open(s, &flt, &it))
      die("%s: cannot read the case: %s", argv[optind],
          rift_store_errmsg(s));
    rift_batch_init(&b);
    while(!fx.failed) {
      const int64_t *ids;
      if(rift_store_iter_next(it, &b, BATCH))
        die("%s: reading the case failed", argv[optind]);
      if(!b.n)
        break;
      ids = rift_store_iter_ids(it);
      for(i = 0; i < b.n; i++) {
        if(rift_ecs_event(&ecs, &out, &b.ev[i], ids[i]))
          die("out of memory");
        rift_buf_addch(&out, '\n');
      }
      if(flush_out(fd, &out, 1u << 20))
        fx.failed = 1;
    }
    rift_batch_release(&b);
    rift_store_iter_free(&it);
  }
  if(findings && !fx.failed) {
    rc = rift_store_findings(s, one_finding, &fx);
    if(rc && !fx.failed)
      die("%s: reading the findings failed: %s", argv[optind],
          rift_store_errmsg(s));
  }
  if(!fx.failed)
    flush_out(fd, &out, 0);
  if(fd != 1)
    close(fd);
  rift_ecs_release(&ecs);
  rift_buf_release(&out);
  rift_store_free(&s);
  return RIFT_EXIT_OK;
}
