/*
 * evjson.h - one struct rift_event as one JSON object (a JSON line).
 *
 * Keys are the flat ECS names ("source.ip", "tls.client.ja3"); a field
 * that occurs more than once becomes an array, in order.  The core
 * members come first: "@timestamp" (RFC 3339, ns), "rift.kind" (the source
 * kind: flow, tls, x509, evtx...; ECS event.kind, when set, is an ordinary
 * field), event.category/type/action/dataset/outcome/code,
 * host.name, then the fields, then "rift.source.record_id" and
 * "rift.source.offset" (the frame/record and byte offset that trace the
 * event back to its evidence).  Text is made valid UTF-8 (bad bytes become
 * U+FFFD) and escaped.
 */
#ifndef RIFT_OUT_EVJSON_H
#define RIFT_OUT_EVJSON_H

#include "core/buf.h"
#include "core/event.h"

/* Append the object (no newline) to b. */
rift_err rift_event_json(struct rift_buf *b, const struct rift_event *e);
/* Append s as a JSON string (quotes included), repairing UTF-8. */
rift_err rift_evjson_str(struct rift_buf *b, const char *s, size_t n);

#endif
