/*
 * blob.h - data files built into rift at build time (scripts/embed.py):
 * the default Sigma mappings and rules, the endpoint rules, the network
 * thresholds.  A table ends with an entry whose name is NULL.
 */
#ifndef RIFT_BLOB_H
#define RIFT_BLOB_H

#include <stddef.h>
#include <string.h>

struct rift_blob {
  const char *name;  /* e.g. "<builtin>/rules/mappings/windows.yml" */
  const char *text;  /* NUL-terminated */
  size_t len;
};

/* The entry of table t named name, or NULL. */
static inline const struct rift_blob *rift_blob_find(const struct rift_blob *t,
                                                     const char *name)
{
  for(; t->name; t++)
    if(!strcmp(t->name, name))
      return t;
  return NULL;
}

#endif
