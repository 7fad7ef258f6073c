/*
 * logrec.h - one line of a structured log (Zeek TSV or JSON, Suricata
 * eve.json) as (key, value) pairs, and the helpers the readers share to
 * turn such records into events.  Internal to src/fmt/ (zeek.c, eve.c).
 *
 * A record holds up to RIFT_LOGREC_MAX pairs; a key may repeat (the
 * elements of a set or array).  Strings live in the record's arena, which
 * the reader clears per line.
 */
#ifndef RIFT_FMT_LOGREC_H
#define RIFT_FMT_LOGREC_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/event.h"
#include "fmt/format.h"

#define RIFT_LOGREC_MAX 8192

struct logkv {
  const char *k, *v;
  uint32_t kl, vl;
  uint8_t type;        /* enum rift_json_type; TSV values are strings */
};

struct logrec {
  struct logkv *kv;
  size_t n, cap;
  struct rift_arena a;
};

void logrec_init(struct logrec *r);
void logrec_release(struct logrec *r);
void logrec_clear(struct logrec *r);
rift_err logrec_add(struct logrec *r, const char *k, size_t kl, int type,
                    const char *v, size_t vl);
/* Parse a JSON object line into r. */
rift_err logrec_json(struct logrec *r, const char *p, size_t n,
                     size_t *err_off);
/* First value of key k (exact), or NULL. */
const struct logkv *logrec_get(const struct logrec *r, const char *k);
/* The next value of key k at or after *pos (then *pos moves past it), or
 * NULL: for(pos = 0, kv = logrec_next(r, k, &pos); kv; kv = ...) */
const struct logkv *logrec_next(const struct logrec *r, const char *k,
                                size_t *pos);
/* The i-th value of key k, or NULL. */
const struct logkv *logrec_nth(const struct logrec *r, const char *k,
                               size_t i);

/* Event helpers: add the value of key k as a string / unsigned / bool
 * field (skipping Zeek's "-" and "(empty)" and JSON null). */
rift_err logrec_str(struct rift_batch *b, struct rift_event *e, uint32_t id,
                    const struct logkv *kv);
rift_err logrec_uint(struct rift_batch *b, struct rift_event *e, uint32_t id,
                     const struct logkv *kv);
rift_err logrec_bool(struct rift_batch *b, struct rift_event *e, uint32_t id,
                     const struct logkv *kv);
/* Is kv present and not an unset/empty marker? */
int logrec_set(const struct logkv *kv);
/* Seconds (Zeek "1500000000.123456" or an RFC 3339 string) to ns. */
int64_t logrec_time(const struct logkv *kv);
/* Lowercase transport name ("TCP" -> "tcp"); static string or NULL. */
const char *logrec_transport(const struct logkv *kv);

/* Lines of a source: calls fn(ctx, line, len, offset, lineno) for each
 * non-empty line (without the newline; \r stripped); o's progress hook
 * now and then. */
rift_err logrec_lines(const struct rift_source *src,
                      const struct rift_parse_opts *o,
                      rift_err (*fn)(void *ctx, const char *line, size_t n,
                                     uint64_t off, uint64_t lineno),
                      void *ctx);

/* Batching to a sink. */
struct logsink {
  struct rift_batch batch;
  struct rift_event_sink *sink;
  struct rift_parse_stats *st;
};
void logsink_init(struct logsink *s, struct rift_event_sink *sink,
                  struct rift_parse_stats *st);
rift_err logsink_maybe_flush(struct logsink *s);
rift_err logsink_flush(struct logsink *s);
void logsink_release(struct logsink *s);

/* Suricata's "C=US, O=Org, CN=host" to RFC 2253 "CN=host,O=Org,C=US". */
const char *logrec_dn_2253(struct rift_arena *a, const char *s, size_t n);

#endif
