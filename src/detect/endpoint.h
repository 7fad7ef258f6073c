/*
 * endpoint.h - the endpoint analytics: process trees, attacker behaviour
 * and logons over Windows event logs.
 *
 *   struct rift_endpoint ep;
 *   rift_endpoint_init(&ep, rules, RIFT_EP_ALL);
 *   for each batch of events (any order of files and hosts):
 *     rift_endpoint_add_batch(&ep, b);
 *   rift_endpoint_finish(&ep, &sink);  -- findings, in time order
 *   ... ep.pt (the process tree, with marks), ep.lg (logon table) ...
 *   rift_endpoint_release(&ep);
 *
 * Detectors (each a file of src/detect/):
 *   indicators.c  single-event, single-process and single-activity rules
 *                 of rules/endpoint/indicators*.yaml
 *   recon.c       behaviour over the tree: LOLBins and document readers
 *                 with children or outbound connections, processes
 *                 spawning many children quickly, discovery commands and
 *                 bursts of them, encoded or obfuscated PowerShell,
 *                 credential access (lsass), persistence through Run keys
 *   logons.c      brute force, password spray, success after failures,
 *                 explicit credentials, pass-the-hash
 *
 * Every detector reports "hits" (one supporting event, or several for
 * detectors that count) to the engine; finish() resolves the process a
 * hit names, merges hits of one rule on one host within the rule's group
 * window into one finding, marks the processes on the tree, and hands the
 * findings to the sink in time order.
 *
 * Memory: the tree and logon table have their own caps (proctree.h,
 * logons.h); hits are capped at RIFT_EP_MAX_HITS and their strings at
 * RIFT_EP_MAX_BYTES; what passes is counted in st.
 */
#ifndef RIFT_ENDPOINT_H
#define RIFT_ENDPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/event.h"
#include "core/finding.h"
#include "detect/eprules.h"
#include "detect/logons.h"
#include "detect/proctree.h"

#define RIFT_EP_PROCTREE 0x1
#define RIFT_EP_BEHAVIOUR 0x2 /* indicators + recon (implies the tree) */
#define RIFT_EP_LOGONS 0x4
#define RIFT_EP_ALL 0x7

#define RIFT_EP_MAX_HITS (1u << 20)
#define RIFT_EP_MAX_BYTES ((size_t)256 << 20)
#define RIFT_EP_MAX_REFS 1000  /* supporting events kept per finding */

/* One detection before grouping. */
struct ep_hit {
  const struct rift_epr_meta *meta;
  const char *const *techniques; /* overrides meta's when set */
  const char *host;
  int64_t ts, ts_end;
  uint32_t proc;          /* process named (0: none or not resolved) */
  /* to resolve the process at finish when proc is 0 */
  uint64_t key_pid;       /* UINT64_MAX: none */
  const char *key_guid;
  const char *message, *user, *source_ip, *destination_ip, *process_name,
    *command_line, *details_json;
  struct rift_event_ref ref;       /* the supporting event */
  struct rift_event_ref *refs;     /* or several (counting detectors) */
  uint32_t nrefs;
  uint32_t *procs;                 /* processes also named */
  uint32_t nprocs;
  const char *group_key;           /* hits group only with equal keys */
};

struct ep_ind;

struct rift_endpoint_stats {
  uint64_t events, hits, findings;
  uint64_t dropped_hits, dropped_bytes;
};

struct rift_endpoint {
  unsigned what;
  const struct rift_eprules *rules;
  struct rift_proctree pt;
  struct rift_logons lg;
  struct ep_hit *hits;
  uint32_t nhits, caphits;
  struct rift_arena arena;  /* strings and arrays of hits */
  struct rift_endpoint_stats st;
  struct ep_ind *ind;       /* indicators.c state */
  int finished;
};

rift_err rift_endpoint_init(struct rift_endpoint *ep,
                            const struct rift_eprules *rules, unsigned what);
void rift_endpoint_release(struct rift_endpoint *ep);
rift_err rift_endpoint_add(struct rift_endpoint *ep,
                           const struct rift_event *e);
rift_err rift_endpoint_add_batch(struct rift_endpoint *ep,
                                 const struct rift_batch *b);
/* Build the tree, run the detectors, emit the findings (sink may be
 * NULL: findings are still marked on the tree). */
rift_err rift_endpoint_finish(struct rift_endpoint *ep,
                              struct rift_finding_sink *sink);

/* ---- for the detectors (endpoint-int) ---------------------------------- */

/* A new zeroed hit (NULL past the cap: counted). */
struct ep_hit *ep_hit_new(struct rift_endpoint *ep,
                          const struct rift_epr_meta *meta);
/* Copy a string into the engine's arena (NULL past the cap). */
const char *ep_str(struct rift_endpoint *ep, const char *s, size_t n);
const char *ep_strf(struct rift_endpoint *ep, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
void *ep_alloc(struct rift_endpoint *ep, size_t n);
/* The metadata of a built-in detector (from the rules, else a default). */
const struct rift_epr_meta *ep_meta(struct rift_endpoint *ep, const char *id,
                                    const char *title, enum rift_level level,
                                    const char *const *techniques);
/* Fill a hit's process fields from tree node p. */
void ep_hit_proc(struct rift_endpoint *ep, struct ep_hit *h, uint32_t p);
struct rift_event_ref ep_ref(const struct rift_event *e);

/* indicators.c */
void ep_indicators_release(struct rift_endpoint *ep);
rift_err ep_indicators_event(struct rift_endpoint *ep,
                             const struct rift_event *e);
rift_err ep_indicators_tree(struct rift_endpoint *ep);
/* recon.c */
rift_err ep_recon_event(struct rift_endpoint *ep, const struct rift_event *e);
rift_err ep_recon_tree(struct rift_endpoint *ep);
/* Decode a PowerShell -EncodedCommand argument (base64 of UTF-16LE) into
 * UTF-8 at out (cap bytes); returns the length, or -1 if it is not. */
long ep_ps_decode(const char *b64, size_t n, char *out, size_t cap);
/* Share (0..1) of characters typical of obfuscated PowerShell. */
double ep_ps_obfuscation(const char *s, size_t n);

#endif
