/*
 * ecs.h - Elastic Common Schema documents: events and findings (alerts)
 * as nested JSON objects, one document per line.  This is the common
 * form of every export (rift export --format ecs, Elasticsearch bulk,
 * ClickHouse).
 *
 * Field names split on '.' into nested objects ("user.name" ->
 * {"user":{"name":...}}); a field that occurs more than once becomes an
 * array; event.category and event.type are always arrays.  Should a name
 * be both a value and a prefix of others ("a.b" and "a.b.c"), the value
 * goes under "value" inside the object ({"a":{"b":{"value":..,"c":..}}}).
 */
#ifndef RIFT_OUT_ECS_H
#define RIFT_OUT_ECS_H

#include "core/buf.h"
#include "core/event.h"
#include "store/store.h"

/* Reusable scratch memory for building documents.  Not thread-safe. */
struct rift_ecs {
  struct rift_ecs_ent *ent;
  size_t cap;
  struct rift_buf scratch;
};

void rift_ecs_init(struct rift_ecs *x);
void rift_ecs_release(struct rift_ecs *x);

/* An event as one ECS document (no newline).  id >= 0 is written as
 * rift.event_id (events.id in the case). */
rift_err rift_ecs_event(struct rift_ecs *x, struct rift_buf *out,
                        const struct rift_event *e, int64_t id);

/* A finding as an ECS alert: event.kind "alert", rule.*, threat.*
 * (ATT&CK techniques and sub-techniques), the entity fields, the
 * log.file.path of its supporting events and rift.finding.events (their
 * case ids, files, offsets and record ids). */
rift_err rift_ecs_finding(struct rift_buf *out,
                          const struct rift_store_finding *f);

#endif
