/*
 * timeline.c - rift timeline CASE: the events of a case in time order.
 *
 * Reads the case in batches through the store's iterator (ordered by the
 * ts index) and writes each batch out before reading the next, so memory
 * stays flat however large the case.
 */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cmd/case.h"
#include "cmd/cmd.h"
#include "out/timeline.h"

static const char usage_str[] =
  "usage: rift timeline CASE [options]\n"
  "\n"
  "Print the events of CASE sorted by time (a super-timeline).\n"
  "\n"
  "  -f, --format FMT   csv (default), jsonl (one flat JSON object per\n"
  "                     event) or timesketch (JSON lines with message,\n"
  "                     datetime, timestamp and timestamp_desc)\n"
  "      --from TIME    only events at or after TIME (RFC 3339, e.g.\n"
  "                     2024-01-02T03:04:05Z, or a date)\n"
  "      --to TIME      only events at or before TIME\n"
  "      --host NAME    only events of this host\n"
  "  -o, --output FILE  write to FILE instead of standard output\n"
  "  -h, --help         this help\n";

#define BATCH 2048

int cmd_timeline(int argc, char **argv)
{
  static const struct option opts[] = {
    { "format", required_argument, NULL, 'f' },
    { "from", required_argument, NULL, 'F' },
    { "to", required_argument, NULL, 'T' },
    { "host", required_argument, NULL, 'H' },
    { "output", required_argument, NULL, 'o' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  enum rift_timeline_format fmt = RIFT_TIMELINE_CSV;
  struct rift_store_filter flt;
  struct rift_store *s;
  struct rift_store_iter *it;
  struct rift_batch b;
  struct rift_buf out;
  const char *outpath = NULL;
  int c, fd, failed = 0;
  size_t i;

  help_if_asked(argc, argv, usage_str);
  rift_store_filter_init(&flt);
  while((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
    switch(c) {
    case 'f':
      if(!strcmp(optarg, "csv"))
        fmt = RIFT_TIMELINE_CSV;
      else if(!strcmp(optarg, "jsonl"))
        fmt = RIFT_TIMELINE_JSONL;
      else if(!strcmp(optarg, "timesketch"))
        fmt = RIFT_TIMELINE_TIMESKETCH;
      else
        usage_die(usage_str, "unknown format '%s'", optarg);
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
    case 'o':
      outpath = optarg;
      break;
    default:
      usage_die(usage_str, "unknown option");
    }
  }
  if(optind + 1 != argc)
    usage_die(usage_str, "expected one CASE");
  s = case_open(argv[optind]);
  if(rift_store_iter_open(s, &flt, &it))
    die("%s: cannot read the case: %s", argv[optind], rift_store_errmsg(s));
  fd = open_output(outpath);
  rift_batch_init(&b);
  rift_buf_init(&out, RIFT_BUF_MAX_OUTPUT);
  rift_timeline_header(&out, fmt);
  for(;;) {
    const int64_t *ids;
    if(rift_store_iter_next(it, &b, BATCH))
      die("%s: reading the case failed", argv[optind]);
    if(!b.n)
      break;
    ids = rift_store_iter_ids(it);
    for(i = 0; i < b.n; i++)
      rift_timeline_row(&out, fmt, &b.ev[i], ids[i]);
    if(out.err)
      die("out of memory");
    if(flush_out(fd, &out, 1u << 20)) {
      failed = 1;
      break;
    }
  }
  if(!failed)
    flush_out(fd, &out, 0);
  if(fd != 1)
    close(fd);
  rift_buf_release(&out);
  rift_batch_release(&b);
  rift_store_iter_free(&it);
  rift_store_free(&s);
  return RIFT_EXIT_OK;
}
