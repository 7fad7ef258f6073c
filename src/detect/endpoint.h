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
 * Every detector (endpoint-int.h) reports "hits" (one supporting event, or several for
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

struct ep_hit; /* endpoint-int.h */
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

#endif
