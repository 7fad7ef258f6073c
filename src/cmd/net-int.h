/*
 * net-int.h - what the parts of 'rift net' share (src/cmd/net*.c).
 */
#ifndef RIFT_CMD_NET_INT_H
#define RIFT_CMD_NET_INT_H

#include "core/buf.h"
#include "core/event.h"
#include "fmt/format.h"

struct net_verb {
  const char *name;
  int (*fn)(int argc, char **argv);
};

/* One run over input files: each is sniffed and parsed into sink. */
struct net_run {
  struct rift_event_sink sink;
  unsigned flags;          /* rift_parse_opts.flags */
  int quiet, stats;
  struct rift_buf out;     /* stdout buffer */
  int write_failed;
  const char *cur_path;
};

/* Parse every file into r->sink; returns the exit status. */
int net_run(struct net_run *r, int nfiles, char **files);
void net_out_flush(struct net_run *r);

const char *ev_str(const struct rift_event *e, uint32_t id);
uint64_t ev_uint(const struct rift_event *e, uint32_t id, uint64_t dflt);
int ev_bool(const struct rift_event *e, uint32_t id);

int net_tls(int argc, char **argv);
int net_flows(int argc, char **argv);
int net_dns(int argc, char **argv);
int net_http(int argc, char **argv);
int net_events(int argc, char **argv);
int net_summary(int argc, char **argv);
int net_rare(int argc, char **argv);
int net_beacons(int argc, char **argv);
int net_hosts(int argc, char **argv);

#endif
