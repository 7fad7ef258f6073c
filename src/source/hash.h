/*
 * hash.h - SHA-256 of evidence (OpenSSL libcrypto).
 */
#ifndef RIFT_HASH_H
#define RIFT_HASH_H

#include "core/err.h"
#include "source/source.h"

#define RIFT_SHA256_HEX 65 /* 64 lowercase hex digits + NUL */

/* SHA-256 of all bytes of s into hex.  A mapped file is hashed in steps
 * and its pages are dropped behind (rift_source_forget), so hashing a
 * large input does not hold it in memory. */
rift_err rift_sha256_source(const struct rift_source *s,
                            char hex[RIFT_SHA256_HEX]);
/* SHA-256 of n bytes at p. */
rift_err rift_sha256(const void *p, size_t n, char hex[RIFT_SHA256_HEX]);

#endif
