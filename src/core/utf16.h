/*
 * utf16.h - UTF-16LE to UTF-8.
 *
 * Input is attacker-controlled: unpaired surrogates become U+FFFD, never a
 * crash or an invalid UTF-8 sequence.  Conversions write into caller
 * memory (dst must hold RIFT_UTF16_MAX(n) bytes) or append to a rift_buf
 * with JSON or XML escaping done in the same pass.
 */
#ifndef RIFT_UTF16_H
#define RIFT_UTF16_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Worst-case UTF-8 bytes for n UTF-16 code units (plain conversion). */
#define RIFT_UTF16_MAX(n) ((n) * 3)

/* Convert n code units at src (little-endian bytes) into dst; returns the
 * number of bytes written.  NUL code units are copied as NUL bytes. */
size_t rift_utf16le_to_utf8(char *dst, const uint8_t *src, size_t n);

/* Append n code units as UTF-8, escaped for a JSON string body. */
rift_err rift_utf16le_add_json(struct rift_buf *b, const uint8_t *src, size_t n);
/* The same, stopping at the first NUL unit if stop_at_nul. */
rift_err rift_utf16le_add_json_z(struct rift_buf *b, const uint8_t *src,
                                 size_t n, int stop_at_nul);
/* Append n code units as UTF-8, escaped for XML text or attributes;
 * control characters XML 1.0 cannot carry become U+FFFD. */
rift_err rift_utf16le_add_xml(struct rift_buf *b, const uint8_t *src, size_t n);
/* Append n code units as UTF-8, unescaped. */
rift_err rift_utf16le_add(struct rift_buf *b, const uint8_t *src, size_t n);

/* Number of code units before the first NUL unit (at most n). */
size_t rift_utf16le_strnlen(const uint8_t *src, size_t n);

/* Encode code point cp as UTF-8 at d (4 bytes room); returns length. */
size_t rift_utf8_put(char *d, uint32_t cp);

#endif
