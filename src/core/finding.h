/*
 * finding.h - a detection (alert) and where detections go.
 *
 * Every detector (Sigma, behaviour analytics, network rarity and beacons,
 * IOC, YARA) reports a struct rift_finding to a struct rift_finding_sink.
 * The case store (src/store/) is one sink; a standalone command that
 * prints JSON lines is another.  A finding names the events that support
 * it by (file_id, offset, record_id) so that every claim links back to the
 * exact bytes of the evidence.
 *
 * Ownership: the sink copies what it keeps; the finding and everything it
 * points to belong to the caller and are valid during emit() only.
 */
#ifndef RIFT_FINDING_H
#define RIFT_FINDING_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum rift_level {
  RIFT_LEVEL_INFO,       /* Sigma: informational */
  RIFT_LEVEL_LOW,
  RIFT_LEVEL_MEDIUM,
  RIFT_LEVEL_HIGH,
  RIFT_LEVEL_CRITICAL
};

const char *rift_level_name(enum rift_level l);   /* "informational"... */
/* Parse a Sigma level name; returns -1 if unknown. */
int rift_level_parse(const char *s);

/* One supporting event: the input (case manifest file id), the byte
 * offset of the record in it and its record id (EventRecordID, packet or
 * line number; 0 if none). */
struct rift_event_ref {
  uint32_t file_id;
  uint64_t offset;
  uint64_t record_id;
  int64_t ts;
};

struct rift_finding {
  const char *source;       /* detector: "sigma", "proctree", "net.beacon"... */
  const char *rule_id;      /* Sigma id or rift rule id */
  const char *rule_name;    /* title */
  enum rift_level level;
  const char *const *techniques; /* ATT&CK ids ("T1059.001"), NULL-ended */
  const char *const *tags;       /* other tags, NULL-ended, may be NULL */
  int64_t ts;               /* first supporting event, ns UTC */
  int64_t ts_end;           /* last supporting event (== ts if one) */
  const char *host;         /* host.name, may be NULL */
  const char *message;      /* one line for humans */
  /* entity fields for ECS alerts (any may be NULL) */
  const char *user_name, *source_ip, *destination_ip, *process_name,
    *process_command_line;
  const char *details_json; /* detector-specific JSON object, may be NULL */
  const struct rift_event_ref *refs;
  size_t nrefs;
};

struct rift_finding_sink {
  rift_err (*emit)(void *ctx, const struct rift_finding *f);
  void *ctx;
};

#endif
