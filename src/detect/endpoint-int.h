/*
 * endpoint-int.h - what the detectors of the endpoint engine share
 * (endpoint.c, indicators.c, recon.c, logons.c); not for the commands.
 *
 * A detector reports a struct ep_hit (ep_hit_new); strings and arrays of
 * hits live in the engine's arena (ep_str, ep_strf, ep_alloc) until
 * rift_endpoint_release().  Each helper returns NULL past its cap (counted
 * in the engine's stats), and detectors then stop quietly.
 */
#ifndef RIFT_ENDPOINT_INT_H
#define RIFT_ENDPOINT_INT_H

#include "detect/endpoint.h"

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
