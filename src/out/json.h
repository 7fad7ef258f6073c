/*
 * json.h - a small streaming JSON writer into a struct rift_buf, and the
 * flat JSON form of an event.
 *
 * The writer tracks commas: begin/end an object or array, then key() +
 * a value for objects, values alone for arrays.  Nesting is capped at
 * RIFT_JSON_MAX_DEPTH (deeper begins are ignored and set b->err).
 *
 *   struct rift_json j;
 *   rift_json_init(&j, &buf);
 *   rift_json_begin(&j, '{');
 *   rift_json_key(&j, "path");  rift_json_str(&j, "a.evtx");
 *   rift_json_end(&j);
 *
 * Strings are escaped as JSON requires; NULL strings are written as null.
 */
#ifndef RIFT_OUT_JSON_H
#define RIFT_OUT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/event.h"

#define RIFT_JSON_MAX_DEPTH 64

struct rift_json {
  struct rift_buf *b;
  int depth;
  unsigned char first[RIFT_JSON_MAX_DEPTH]; /* nothing written yet */
  char close[RIFT_JSON_MAX_DEPTH];
  int pretty; /* newline + indent per member */
};

void rift_json_init(struct rift_json *j, struct rift_buf *b);
void rift_json_begin(struct rift_json *j, char open); /* '{' or '[' */
void rift_json_end(struct rift_json *j);
void rift_json_key(struct rift_json *j, const char *k);
void rift_json_keyn(struct rift_json *j, const char *k, size_t n);
void rift_json_str(struct rift_json *j, const char *s);
void rift_json_strn(struct rift_json *j, const char *s, size_t n);
void rift_json_u64(struct rift_json *j, uint64_t v);
void rift_json_i64(struct rift_json *j, int64_t v);
void rift_json_bool(struct rift_json *j, int v);
void rift_json_null(struct rift_json *j);
/* RFC 3339 UTC with microseconds, or null for RIFT_TIME_NONE. */
void rift_json_time(struct rift_json *j, int64_t ns);
void rift_json_value(struct rift_json *j, const struct rift_value *v);

/* An event as one flat JSON object: "id" (if >= 0), "@timestamp",
 * "host.name", "event.category" ... "message" from the core members, then
 * every field under its name (repeated fields as arrays), no newline. */
void rift_json_event_flat(struct rift_buf *b, const struct rift_event *e,
                          int64_t id);

#endif
