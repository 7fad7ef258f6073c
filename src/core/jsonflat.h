/*
 * jsonflat.h - read one JSON value (a log line) as flat (path, leaf) pairs.
 *
 * {"a":{"b":1,"c":["x","y"]},"d":null} gives ("a.b", NUM "1"),
 * ("a.c", STR "x"), ("a.c", STR "y"), ("d", NULL).  Arrays do not add to
 * the path; their elements come in order.  Strings are unescaped
 * (\uXXXX and surrogate pairs to UTF-8; an unpaired surrogate becomes
 * U+FFFD); numbers, true/false/null are passed as their text.  The key
 * and value passed to the callback are NUL-terminated and valid during
 * the call only.
 *
 * Limits: nesting depth RIFT_JSON_MAX_DEPTH, RIFT_JSON_MAX_LEAVES leaves,
 * paths of RIFT_JSON_MAX_PATH bytes.  Malformed input returns RIFT_SYNTAX
 * with *err_off at the offending byte.
 */
#ifndef RIFT_CORE_JSONFLAT_H
#define RIFT_CORE_JSONFLAT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

#define RIFT_JSON_MAX_DEPTH 32
#define RIFT_JSON_MAX_LEAVES 8192
#define RIFT_JSON_MAX_PATH 1024

enum rift_json_type {
  RIFT_JSON_STR,
  RIFT_JSON_NUM,
  RIFT_JSON_BOOL,
  RIFT_JSON_NULL
};

typedef rift_err (*rift_json_leaf_fn)(void *ctx, const char *key, size_t klen,
                                      int type, const char *val, size_t vlen);

/* Flatten the JSON value in p[0..n) (surrounding whitespace allowed). */
rift_err rift_json_flatten(const char *p, size_t n, rift_json_leaf_fn fn,
                           void *ctx, size_t *err_off);

#endif
