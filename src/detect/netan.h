/*
 * netan.h - network analytics over events: traffic summary, rare external
 * destinations, the non-browser fingerprint pattern, beacons, long
 * connections, and "who talked to X".
 *
 * The analytics read struct rift_event only (flow, tls, dns, http, x509
 * kinds, whatever produced them: captures, Zeek, Suricata, or the case
 * store), so the same code serves `rift net ... FILE...` now and
 * `rift net CASE ...` over a case.  One pass builds a struct rift_netmodel
 * (rift_netmodel_add per event, in any order); the reports then read it.
 *
 * Thresholds, weights, internal networks and known browser fingerprints
 * are data (rules/net/thresholds.tsv, rules/net/browsers.tsv), built into
 * rift and overridable with a rules directory.
 *
 * Memory: one entry per internal host, external address, (host, address)
 * pair and client fingerprint, plus 16 bytes per connection for the beacon
 * timing; every list per entry is capped (RIFT_NETAN_MAX_*).
 */
#ifndef RIFT_DETECT_NETAN_H
#define RIFT_DETECT_NETAN_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/event.h"
#include "core/finding.h"
#include "core/hmap.h"

#define RIFT_NETAN_MAX_NETS 64
#define RIFT_NETAN_MAX_HOSTS_LISTED 8  /* internal hosts kept per address */
#define RIFT_NETAN_MAX_NAMES 8         /* names kept per address */
#define RIFT_NETAN_MAX_FPS 8           /* fingerprints kept per address */
#define RIFT_NETAN_MAX_REFS 16         /* supporting events per finding */
#define RIFT_NETAN_MAX_CONNS 86400     /* connections timed per pair */
#define RIFT_NETAN_MAX_ENTRIES (1u << 22)

/* --- configuration ------------------------------------------------------- */

struct rift_netnet {
  uint8_t a[16];
  uint8_t family, bits;
};

struct rift_netcfg {
  struct rift_netnet nets[RIFT_NETAN_MAX_NETS];
  unsigned nnets;
  unsigned rare_max_hosts;
  double w_rare, late_fraction, w_late, w_self_signed, w_nonbrowser,
    w_no_name, rare_report_min, rare_high;
  unsigned fp_min_destinations;
  unsigned beacon_min_connections;
  double beacon_min_score, beacon_high, w_timing, w_size, w_duration;
  double interval_dispersion, size_dispersion; /* seconds, bytes */
  double long_connection_seconds;
  struct rift_hmap browsers; /* "ja3:<md5>" / "ja4:<fp>" -> label (arena) */
  struct rift_arena a;
};

/* Load the built-in rules, then (if dir is not NULL) dir/net/{thresholds,browsers}.tsv over
 * them.  Bad lines are reported to d and skipped. */
rift_err rift_netcfg_load(struct rift_netcfg *c, const char *dir,
                          struct rift_diag *d);
void rift_netcfg_release(struct rift_netcfg *c);
/* 1 internal, 0 external, -1 not an address; multicast and broadcast
 * addresses count as internal (they are never a destination to hunt). */
int rift_netcfg_internal(const struct rift_netcfg *c, const char *ip,
                         size_t n);
/* The browser a JA3/JA4 belongs to, or NULL. */
const char *rift_netcfg_browser(const struct rift_netcfg *c, const char *ja3,
                                const char *ja4);

/* --- the model ---------------------------------------------------------------- */

struct rift_netref {
  uint32_t file_id;
  uint64_t offset, record_id;
  int64_t ts;
};

struct rift_netrefs {
  struct rift_netref r[RIFT_NETAN_MAX_REFS];
  unsigned n;
};

struct rift_nethost {           /* an internal host */
  const char *ip;
  int64_t first, last;
  uint64_t flows, bytes_out, bytes_in, pkts_out, pkts_in;
};

struct rift_netdest {           /* an external address */
  const char *ip;
  const char *hosts[RIFT_NETAN_MAX_HOSTS_LISTED];
  unsigned nhosts;              /* distinct internal hosts (capped list) */
  unsigned hosts_more;          /* 1 if more than the list holds */
  int64_t first, last;
  uint64_t flows, bytes, tls;
  const char *names[RIFT_NETAN_MAX_NAMES];
  unsigned nnames;
  const char *fp_ja3[RIFT_NETAN_MAX_FPS], *fp_ja4[RIFT_NETAN_MAX_FPS];
  unsigned nfps;
  int self_signed;              /* 1 signature-checked, 2 self-issued only */
  const char *leaf[4];          /* server certificate SHA-256 (logs) */
  unsigned nleaf;
  uint16_t ports[8];
  unsigned nports;
  struct rift_netrefs refs;
};

struct rift_netconn {
  int64_t ts;
  uint64_t bytes;
};

struct rift_netpair {           /* internal host -> external address */
  const char *src, *dst;
  struct rift_netconn *c;
  size_t n, cap;
  uint64_t flows, bytes;
  int64_t first, last;
  struct rift_netrefs refs;
};

struct rift_netfp {             /* a TLS client fingerprint */
  const char *ja3, *ja4, *browser;
  const char *hosts[RIFT_NETAN_MAX_HOSTS_LISTED];
  unsigned nhosts;
  struct rift_hmap dests;       /* external addresses reached */
  uint64_t sessions;
  int64_t first, last;
  struct rift_netrefs refs;
};

struct rift_netstat {           /* a summary row */
  const char *key;
  uint64_t flows, pkts, bytes;
  int64_t first, last;
  struct rift_hmap *srcs;       /* distinct sources (ports), may be NULL */
};

struct rift_netlong {
  const char *src, *dst;
  uint16_t dport;
  const char *transport;
  int64_t start, dur;
  uint64_t bytes;
  struct rift_netref ref;
};

struct rift_netmodel {
  const struct rift_netcfg *cfg;
  struct rift_arena a;
  struct rift_hmap hosts, dests, pairs, fps, protos, ports, x509;
  struct rift_hmap ip_names;    /* resolved address -> name */
  /* "kind\tindicator\thost" -> struct rift_netstat, kind one of dns (a
   * query), name (SNI or HTTP Host), ja3, ja4: for rift_net_hosts */
  struct rift_hmap who;
  struct rift_netlong *longs;
  size_t nlong, caplong;
  int64_t first, last;          /* time covered by the evidence */
  uint64_t events, flows;
  rift_err err;
};

void rift_netmodel_init(struct rift_netmodel *m, const struct rift_netcfg *c);
void rift_netmodel_release(struct rift_netmodel *m);
/* Take one event into the model (copies what it keeps). */
rift_err rift_netmodel_add(struct rift_netmodel *m, const struct rift_event *e);

/* --- reports -------------------------------------------------------------- */

/* Summary rows, largest first, at most top per table (0 = all):
 * table "protocol" (transport/application), "host" (internal and external
 * addresses), "port" (transport/destination port).  row() gets each. */
enum rift_sumtab { RIFT_SUM_PROTOCOL, RIFT_SUM_HOST, RIFT_SUM_PORT };
struct rift_sumrow {
  enum rift_sumtab table;
  const char *key;
  int internal;                 /* host table: 1 internal, 0 external */
  uint64_t flows, pkts, bytes, bytes_out, bytes_in, sources;
  int64_t first, last;
};
rift_err rift_net_summary(const struct rift_netmodel *m, size_t top,
                          rift_err (*row)(void *ctx,
                                          const struct rift_sumrow *r),
                          void *ctx);

/* Findings: rare external destinations ("net.rare") and non-browser
 * client fingerprints reaching many of them ("net.fingerprint"). */
rift_err rift_net_rare(struct rift_netmodel *m,
                       const struct rift_finding_sink *sink);
/* Findings: beacons ("net.beacon") and long connections
 * ("net.long_connection"). */
rift_err rift_net_beacons(struct rift_netmodel *m,
                          const struct rift_finding_sink *sink);

/* The RITA-style beacon score of one series (exposed for tests):
 * ts in ns (sorted ascending), sizes in bytes, end = the end of the time
 * the evidence covers (ns).  Fills the parts and returns the score in
 * [0,1]. */
struct rift_beacon_score {
  double ts_skew, ts_madm, ts_score;
  double ds_skew, ds_madm, ds_smallness, ds_score;
  double duration, score;
  double interval;              /* median interval, seconds */
};
double rift_beacon_score(const struct rift_netconn *c, size_t n, int64_t end,
                         const struct rift_netcfg *cfg,
                         struct rift_beacon_score *out);

/* Who talked to an indicator (an IP address, a domain, a JA3 or JA4):
 * one row per internal host. */
struct rift_hostrow {
  const char *indicator, *host, *how;  /* how: "connection", "dns", "tls"... */
  const char *peer;             /* the external address or name */
  int64_t first, last;
  uint64_t count, bytes;
};
rift_err rift_net_hosts(const struct rift_netmodel *m, const char *indicator,
                        rift_err (*row)(void *ctx,
                                        const struct rift_hostrow *r),
                        void *ctx);

#endif
