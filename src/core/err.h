/*
 * err.h - the one error enum of rift.
 *
 * Every fallible function returns rift_err; 0 (RIFT_OK) is success.  The
 * list is an X-macro so that names and messages can never drift apart.
 * Library code never prints: it returns a code and, when the caller passed
 * one, fills a struct rift_diag (diag.h) with human-readable context.
 */
#ifndef RIFT_ERR_H
#define RIFT_ERR_H

#define RIFT_ERR_MAP(X)                                   \
  X(OK, "success")                                        \
  X(NOMEM, "out of memory")                               \
  X(TRUNCATED, "input ends early")                        \
  X(CORRUPT, "inconsistent structure")                    \
  X(LIMIT, "limit exceeded")                              \
  X(IO, "i/o error")                                      \
  X(NOTFOUND, "not found")                                \
  X(UNSUPPORTED, "unsupported")                           \
  X(INVALID, "invalid argument")                          \
  X(EXISTS, "already exists")                             \
  X(DB, "database error")                                 \
  X(SYNTAX, "syntax error")

typedef enum {
#define X(n, s) RIFT_##n,
  RIFT_ERR_MAP(X)
#undef X
  RIFT_ERR_COUNT
} rift_err;

/* "input ends early" etc.; never NULL, even for out-of-range codes. */
const char *rift_strerror(rift_err e);
/* "TRUNCATED" etc.; never NULL. */
const char *rift_errname(rift_err e);

#endif
