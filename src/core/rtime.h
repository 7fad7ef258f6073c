/*
 * rtime.h - time conversions.  rift's clock is int64 nanoseconds since the
 * Unix epoch, UTC (RIFT_TIME_NONE when unknown).  Windows FILETIME
 * (100 ns ticks since 1601) and SYSTEMTIME convert to it; output is
 * RFC 3339 UTC ("2016-07-08T18:12:51.681640Z").  Formatting goes straight
 * to caller memory (RIFT_TIME_FMT_MAX bytes) without libc time functions.
 */
#ifndef RIFT_RTIME_H
#define RIFT_RTIME_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define RIFT_TIME_NONE INT64_MIN
#define RIFT_TIME_FMT_MAX 40
#define RIFT_FILETIME_UNIX_EPOCH 116444736000000000ull

/* FILETIME ticks to ns; RIFT_TIME_NONE for 0 or out of int64 range. */
int64_t rift_filetime_to_ns(uint64_t ft);
/* SYSTEMTIME fields to ns; RIFT_TIME_NONE if any field is out of range. */
int64_t rift_systemtime_to_ns(unsigned year, unsigned month, unsigned day,
                              unsigned hour, unsigned min, unsigned sec,
                              unsigned msec);
/* Civil date to days since 1970-01-01 (proleptic Gregorian). */
int64_t rift_days_from_civil(int64_t y, unsigned m, unsigned d);
void rift_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* RFC 3339 UTC with `frac` fractional digits (0..9); returns length. */
size_t rift_time_fmt(char *dst, int64_t ns, int frac);
/* FILETIME formatted from its ticks (full range, 0..7 fractional digits
 * of 100 ns; frac 9 pads two zeros as libevtx does). */
size_t rift_time_fmt_filetime(char *dst, uint64_t ft, int frac);
/* Seconds + nanoseconds since epoch, broken into a tm-like record. */
struct rift_tm {
  int64_t year;
  unsigned mon, day, hour, min, sec, nsec;
};
void rift_time_split(int64_t ns, struct rift_tm *tm);

/* Parse RFC 3339 / ISO 8601 ("2024-01-02", "2024-01-02T03:04:05Z",
 * "2024-01-02 03:04:05.123+01:00"); naive times are UTC. */
rift_err rift_time_parse(const char *s, size_t n, int64_t *ns);

/* a + b and a - b on times from input (any value), saturating at the
 * int64 range instead of overflowing. */
static inline int64_t rift_time_add(int64_t a, int64_t b)
{
  int64_t r;
  if(__builtin_add_overflow(a, b, &r))
    return b > 0 ? INT64_MAX : INT64_MIN + 1;
  return r;
}

static inline int64_t rift_time_sub(int64_t a, int64_t b)
{
  int64_t r;
  if(__builtin_sub_overflow(a, b, &r))
    return b < 0 ? INT64_MAX : INT64_MIN + 1;
  return r;
}

/* Wall clock now, ns since epoch. */
int64_t rift_time_now(void);

#endif
