/*
 * cmd.h - what every subcommand shares.  Only src/cmd/ may print to the
 * terminal or exit; die() exits 128, usage errors exit 129 (git's codes),
 * a run that completed but met damaged input exits 1.
 */
#ifndef RIFT_CMD_H
#define RIFT_CMD_H

#include <stddef.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/diag.h"

#define RIFT_EXIT_OK 0
#define RIFT_EXIT_INPUT_ERRORS 1
#define RIFT_EXIT_NO_MATCH 1 /* rift search: nothing found (as grep) */
#define RIFT_EXIT_DIE 128
#define RIFT_EXIT_USAGE 129

struct cmd {
  const char *name;
  int (*fn)(int argc, char **argv);
  const char *summary;
};

#define RIFT_COMMANDS(C)                                                    \
  C(triage, "evidence (files, folders, archives) into a case: case.db")    \
  C(timeline, "a case's events in time order (csv, jsonl, timesketch)")    \
  C(search, "find events in a case by keyword, regex or field value")      \
  C(metrics, "event counts per host, channel, event id, provider")        \
  C(export, "a case as ECS JSON documents (events and alerts)")            \
  C(dump, "print the records of any artifact rift reads (JSONL/JSON/XML)") \
  C(hunt, "run Sigma rules over evidence and report the detections")      \
  C(rules, "check Sigma rules: which rift runs, and why not the others") \
  C(net, "network view: TLS fingerprints, flows, DNS, HTTP, rare hosts, beacons") \
  C(endpoint, "endpoint findings: behaviour, indicators, logon attacks")   \
  C(logons, "logons by user, source and type; password attack findings") \
  C(proctree, "process trees from event logs, with activity and findings") \
  C(report, "write the case report (CASE/report.html)")                     \
  C(selftest, "run the built-in unit tests")

#define C(n, s) int cmd_##n(int argc, char **argv);
RIFT_COMMANDS(C)
#undef C

__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
__attribute__((noreturn, format(printf, 2, 3))) void
usage_die(const char *usage, const char *fmt, ...);
/* Print usage to stdout and exit 0 if argv has -h/--help as its first
 * option. */
void help_if_asked(int argc, char **argv, const char *usage);

/* Write all of b to fd; returns 0, or -1 on error (EPIPE is quiet). */
int write_all(int fd, const char *p, size_t n);

/* Parse a positive integer option value or die. */
unsigned long parse_count(const char *opt, const char *v, unsigned long max);

/* A diag that prints to stderr and counts. */
void diag_stderr(struct rift_diag *d, const char *path);

#endif
