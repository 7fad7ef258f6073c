/*
 * event.h - struct rift_event, the one thing that flows through rift.
 *
 * Every parser emits events; every later stage (normalisation, Sigma, IOC,
 * the case store, outputs) reads them.  Core fields are plain members;
 * everything else is a list of (field id, typed value) pairs with ECS names
 * (field.h).  All memory of an event (strings, the field array) lives in
 * the arena of the struct rift_batch that holds it: an event never owns
 * malloc'd memory, and a whole batch is freed in one call.
 *
 * Strings are UTF-8, NUL-terminated, with an explicit length.
 */
#ifndef RIFT_EVENT_H
#define RIFT_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/field.h"

/* Source kinds: K(ENUM, "name"). The name is stored in the case. */
#define RIFT_KIND_MAP(K)                                              \
  K(UNKNOWN, "unknown") K(EVTX, "evtx") K(PREFETCH, "prefetch")      \
  K(REGF, "regf") K(USN, "usn") K(MFT, "mft") K(AUTHLOG, "authlog")  \
  K(SYSLOG, "syslog") K(JOURNAL, "journal") K(UTMP, "utmp")          \
  K(WEBLOG, "weblog") K(CRON, "cron") K(SYSTEMD, "systemd")          \
  K(FLOW, "flow") K(DNS, "dns") K(HTTP, "http") K(TLS, "tls")        \
  K(ZEEK, "zeek") K(SURICATA, "suricata") K(SAMPLE, "sample")        \
  K(TEXTLOG, "textlog") K(X509, "x509")

enum rift_kind {
#define K(e, s) RIFT_KIND_##e,
  RIFT_KIND_MAP(K)
#undef K
  RIFT_KIND__COUNT
};

const char *rift_kind_name(unsigned kind);

enum rift_vtype {
  RIFT_V_NULL,
  RIFT_V_STR,
  RIFT_V_INT,
  RIFT_V_UINT,
  RIFT_V_FLOAT,
  RIFT_V_BOOL
};

struct rift_value {
  uint8_t type;  /* enum rift_vtype */
  uint32_t len;  /* string length for RIFT_V_STR */
  union {
    const char *s;
    int64_t i;
    uint64_t u;
    double f;
    int b;
  };
};

struct rift_field {
  uint32_t id;
  struct rift_value v;
};

struct rift_event {
  int64_t ts;            /* ns since epoch UTC, RIFT_TIME_NONE if unknown */
  const char *host;      /* host.name, may be NULL */
  uint16_t kind;         /* enum rift_kind */
  uint32_t file_id;      /* index of the input in the case manifest */
  uint64_t offset;       /* byte offset of the record in its input */
  uint64_t record_id;    /* record number in the source (EventRecordID) */
  const char *category;  /* ECS event.category, e.g. "process" */
  const char *type;      /* ECS event.type, e.g. "start" */
  const char *action;    /* ECS event.action */
  const char *code;      /* ECS event.code, e.g. "4624" */
  const char *provider;  /* ECS event.provider */
  const char *dataset;   /* ECS event.dataset, e.g. "windows.security" */
  const char *outcome;   /* success | failure | unknown, may be NULL */
  const char *message;   /* one line for humans, may be NULL */
  struct rift_field *f;
  uint32_t nf, capf;
};

#define RIFT_EVENT_MAX_FIELDS 4096

struct rift_batch {
  struct rift_arena arena;
  struct rift_event *ev;
  size_t n, cap;
};

void rift_batch_init(struct rift_batch *b);
void rift_batch_release(struct rift_batch *b);
/* Drop all events, keep memory for reuse. */
void rift_batch_clear(struct rift_batch *b);
/* A new zeroed event (ts = RIFT_TIME_NONE) at the end, or NULL. */
struct rift_event *rift_batch_add(struct rift_batch *b);

/* Copy n bytes of UTF-8 into the batch arena (NUL-terminated). */
const char *rift_batch_str(struct rift_batch *b, const char *s, size_t n);

/* Append a field.  _str copies s; _strref stores s as is (it must outlive
 * the batch, e.g. a string literal). */
rift_err rift_event_add_str(struct rift_batch *b, struct rift_event *e,
                            uint32_t id, const char *s, size_t n);
rift_err rift_event_add_strref(struct rift_batch *b, struct rift_event *e,
                               uint32_t id, const char *s, size_t n);
rift_err rift_event_add_int(struct rift_batch *b, struct rift_event *e,
                            uint32_t id, int64_t v);
rift_err rift_event_add_uint(struct rift_batch *b, struct rift_event *e,
                             uint32_t id, uint64_t v);
rift_err rift_event_add_float(struct rift_batch *b, struct rift_event *e,
                              uint32_t id, double v);
rift_err rift_event_add_bool(struct rift_batch *b, struct rift_event *e,
                             uint32_t id, int v);
rift_err rift_event_add(struct rift_batch *b, struct rift_event *e,
                        uint32_t id, const struct rift_value *v);

/* First value of field id, or NULL. */
const struct rift_value *rift_event_get(const struct rift_event *e,
                                        uint32_t id);
/* The value as text: strings as is, numbers formatted into tmp (which
 * must hold 32 bytes).  Returns NULL for RIFT_V_NULL. */
const char *rift_value_str(const struct rift_value *v, char *tmp,
                           size_t *len);

#endif
