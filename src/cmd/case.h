/*
 * case.h - what the commands that read or write a case share.
 */
#ifndef RIFT_CMD_CASE_H
#define RIFT_CMD_CASE_H

#include <stdint.h>

#include "store/store.h"

/* CASE/case.db into buf (dies if it does not fit). */
const char *case_db_path(char *buf, size_t cap, const char *dir);
/* Open an existing case read-only, or die with the reason. */
struct rift_store *case_open(const char *dir);
/* Parse a time option (RFC 3339 / ISO 8601) or die. */
int64_t parse_time_opt(const char *opt, const char *v);
/* The same for an upper bound, which includes everything within its
 * precision: "--to 2024-01-02" is the end of that day, "...T10:00:05Z"
 * the end of that second. */
int64_t parse_time_upto(const char *opt, const char *v);
/* "1,234,567" */
const char *fmt_count(char *buf, size_t cap, uint64_t n);
/* Write buf to fd and reset it when it holds more than limit bytes (or
 * always if limit is 0); returns -1 once output failed (EPIPE). */
int flush_out(int fd, struct rift_buf *b, size_t limit);
/* Open -o FILE for writing (or stdout for NULL / "-"), or die. */
int open_output(const char *path);

#endif
