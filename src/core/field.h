/*
 * field.h - interned field names.
 *
 * Every event field is named by a small integer id.  Ids for the names in
 * fields.def are compile-time constants (RIFT_F_PROCESS_COMMAND_LINE...);
 * any other name (e.g. "winlog.event_data.TargetUserName") is interned at
 * run time.  The table is process-global and thread-safe; names live until
 * exit.  Ids are not stable across runs: store names, not ids.
 */
#ifndef RIFT_FIELD_H
#define RIFT_FIELD_H

#include <stddef.h>
#include <stdint.h>

enum {
  RIFT_F_NONE = 0,
#define F(id, name) RIFT_F_##id,
#include "core/fields.def"
#undef F
  RIFT_F__STATIC
};

#define RIFT_FIELDS_MAX (1u << 20)

/* Id for name, interning it if new; 0 if the table is full. */
uint32_t rift_field_id(const char *name, size_t len);
/* Id for name if already interned, else 0. */
uint32_t rift_field_find(const char *name, size_t len);
/* The name of id (NUL-terminated), or "" for an unknown id. */
const char *rift_field_name(uint32_t id, size_t *len);
/* Number of ids handed out so far (ids are 1..count). */
uint32_t rift_field_count(void);

#endif
