/*
 * endpoint.c - rift endpoint: the findings of the endpoint analytics
 * (behaviour over process trees, indicators, logons) over evidence.
 */
#include <getopt.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/evsrc.h"
#include "detect/endpoint.h"

static const char usage_str[] =
  "usage: rift endpoint [options] EVIDENCE... | CASE\n"
  "\n"
  "Run the endpoint analytics over the Windows event logs of every\n"
  "EVIDENCE file, folder or archive (zip, 7z, tar...; extracted under\n"
  "$TMPDIR) and print their findings in time order:\n"
  "LOLBins and document readers starting processes or connecting out,\n"
  "processes starting many children, discovery commands and bursts,\n"
  "encoded or obfuscated PowerShell, LSASS access and dumps, new\n"
  "services, scheduled tasks, Run keys, log clearing, brute force,\n"
  "password spraying, explicit credentials, pass-the-hash, and the\n"
  "indicators of rules/endpoint.  Each finding names its ATT&CK\n"
  "techniques and the events (file, offset, record id) behind it.\n"
  "Given a CASE (a folder made by rift triage), the findings are also\n"
  "saved in the case, replacing those of an earlier run.\n"
  "\n"
  "  -j, --jsonl        one JSON object per finding\n"
  "  -l, --level L      only findings of level L or above (informational,\n"
  "                     low, medium, high, critical)\n"
  "      --no-save      do not save the findings in the CASE\n"
  "      --rules DIR    endpoint rules (default: built-in copy of\n"
  "                     rules/endpoint, or $RIFT_ENDPOINT_RULES)\n"
  "  -t, --threads N    parser threads (default: one per CPU)\n"
  "  -q, --quiet        do not report damaged input on stderr\n"
  "  -h, --help         this help\n";

int cmd_endpoint(int argc, char **argv)
{
  static const struct option lopts[] = {
    { "jsonl", no_argument, NULL, 'j' },
    { "level", required_argument, NULL, 'l' },
    { "rules", required_argument, NULL, 'R' },
    { "no-save", no_argument, NULL, 'N' },
    { "threads", required_argument, NULL, 't' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct evsave *save = NULL;
  struct rift_finding_sink shown;
  int nosave = 0;
  struct evsrc src;
  struct rift_endpoint ep;
  struct rift_eprules *rules = NULL;
  struct rift_finding_sink sink;
  struct findout out;
  const char *rdir = NULL;
  int c, jsonl = 0, level = 0, status;
  rift_err rc;

  memset(&src, 0, sizeof(src));
  help_if_asked(argc, argv, usage_str);
  while((c = getopt_long(argc, argv, "jl:t:qh", lopts, NULL)) != -1) {
    switch(c) {
    case 'j': jsonl = 1; break;
    case 'l':
      level = rift_level_parse(optarg);
      if(level < 0)
        usage_die(usage_str, "unknown level '%s'", optarg);
      break;
    case 'R': rdir = optarg; break;
    case 'N': nosave = 1; break;
    case 't': src.threads = (unsigned)parse_count("--threads", optarg, 256);
      break;
    case 'q': src.quiet = 1; break;
    default: usage_die(usage_str, "unknown option");
    }
  }
  if(optind >= argc)
    usage_die(usage_str, "no evidence given");
  evsrc_endpoint(&src, argv + optind, argc - optind, 1, rdir, RIFT_EP_ALL,
                 &rules, &ep);
  findout_init(&out, &src, jsonl);
  out.min_level = level;
  findout_sink(&out, &shown);
  sink = shown;
  if(!nosave)
    save = evsave_start(&src, "endpoint", &shown, &sink);
  rc = rift_endpoint_finish(&ep, &sink);
  if(rc)
    die("%s", rift_strerror(rc));
  endpoint_report_limits(&ep);
  findout_release(&out);
  evsave_finish(&save);
  status = src.input_errors ? RIFT_EXIT_INPUT_ERRORS : RIFT_EXIT_OK;
  rift_endpoint_release(&ep);
  rift_eprules_free(&rules);
  evsrc_release(&src);
  return status;
}
