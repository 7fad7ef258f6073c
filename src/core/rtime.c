#include <string.h>
#include <time.h>

#include "core/rtime.h"

int64_t rift_days_from_civil(int64_t y, unsigned m, unsigned d)
{
  int64_t era;
  unsigned yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (unsigned)(y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

void rift_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
  int64_t era;
  unsigned doe, yoe, doy, mp;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned)(z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int64_t rift_filetime_to_ns(uint64_t ft)
{
  /* int64 ns spans 1677..2262; FILETIME 0 means "not set" */
  const uint64_t lo = RIFT_FILETIME_UNIX_EPOCH - 92233720368547758ull;
  const uint64_t hi = RIFT_FILETIME_UNIX_EPOCH + 92233720368547758ull;
  if(!ft || ft < lo || ft > hi)
    return RIFT_TIME_NONE;
  return ((int64_t)ft - (int64_t)RIFT_FILETIME_UNIX_EPOCH) * 100;
}

int64_t rift_systemtime_to_ns(unsigned year, unsigned month, unsigned day,
                              unsigned hour, unsigned min, unsigned sec,
                              unsigned msec)
{
  int64_t days;
  if(year < 1678 || year > 2261 || month < 1 || month > 12 || day < 1 ||
     day > 31 || hour > 23 || min > 59 || sec > 60 || msec > 999)
    return RIFT_TIME_NONE;
  days = rift_days_from_civil(year, month, day);
  return ((days * 86400 + hour * 3600 + min * 60 + sec) * 1000 + msec) *
         1000000;
}

void rift_time_split(int64_t ns, struct rift_tm *tm)
{
  int64_t secs = ns / 1000000000, days, sod;
  int64_t rem = ns % 1000000000;
  if(rem < 0) {
    rem += 1000000000;
    secs--;
  }
  days = secs / 86400;
  sod = secs % 86400;
  if(sod < 0) {
    sod += 86400;
    days--;
  }
  rift_civil_from_days(days, &tm->year, &tm->mon, &tm->day);
  tm->hour = (unsigned)(sod / 3600);
  tm->min = (unsigned)(sod / 60 % 60);
  tm->sec = (unsigned)(sod % 60);
  tm->nsec = (unsigned)rem;
}

static inline char *put2(char *d, unsigned v)
{
  d[0] = (char)('0' + v / 10);
  d[1] = (char)('0' + v % 10);
  return d + 2;
}

static size_t fmt_parts(char *dst, int64_t year, unsigned mon, unsigned day,
                        unsigned hour, unsigned min, unsigned sec,
                        unsigned frac_val, int frac_digits, int frac)
{
  char *d = dst;
  int i;
  if(year < 0 || year > 9999)
    year = year < 0 ? 0 : 9999;
  d = put2(d, (unsigned)(year / 100));
  d = put2(d, (unsigned)(year % 100));
  *d++ = '-';
  d = put2(d, mon);
  *d++ = '-';
  d = put2(d, day);
  *d++ = 'T';
  d = put2(d, hour);
  *d++ = ':';
  d = put2(d, min);
  *d++ = ':';
  d = put2(d, sec);
  if(frac > 0) {
    char digs[9];
    unsigned v = frac_val;
    for(i = frac_digits - 1; i >= 0; i--) {
      digs[i] = (char)('0' + v % 10);
      v /= 10;
    }
    for(i = frac_digits; i < 9; i++)
      digs[i] = '0';
    *d++ = '.';
    memcpy(d, digs, (size_t)frac);
    d += frac;
  }
  *d++ = 'Z';
  *d = 0;
  return (size_t)(d - dst);
}

size_t rift_time_fmt(char *dst, int64_t ns, int frac)
{
  struct rift_tm tm;
  if(frac > 9)
    frac = 9;
  rift_time_split(ns, &tm);
  return fmt_parts(dst, tm.year, tm.mon, tm.day, tm.hour, tm.min, tm.sec,
                   tm.nsec, 9, frac);
}

size_t rift_time_fmt_filetime(char *dst, uint64_t ft, int frac)
{
  uint64_t secs = ft / 10000000, sod;
  unsigned ticks = (unsigned)(ft % 10000000), m, d;
  int64_t days, y;
  if(frac > 9)
    frac = 9;
  /* days since 1601-01-01 then shift to the Unix epoch */
  days = (int64_t)(secs / 86400) + rift_days_from_civil(1601, 1, 1);
  sod = secs % 86400;
  rift_civil_from_days(days, &y, &m, &d);
  return fmt_parts(dst, y, m, d, (unsigned)(sod / 3600),
                   (unsigned)(sod / 60 % 60), (unsigned)(sod % 60), ticks, 7,
                   frac);
}

static int digits(const char *s, size_t n, size_t *i, unsigned cnt,
                  unsigned *out)
{
  unsigned v = 0, k;
  for(k = 0; k < cnt; k++) {
    if(*i >= n || s[*i] < '0' || s[*i] > '9')
      return -1;
    v = v * 10 + (unsigned)(s[(*i)++] - '0');
  }
  *out = v;
  return 0;
}

rift_err rift_time_parse(const char *s, size_t n, int64_t *ns)
{
  size_t i = 0;
  unsigned y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, fd = 0;
  int64_t t, off = 0;
  while(n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
    n--;
  if(digits(s, n, &i, 4, &y) || i >= n || s[i++] != '-' ||
     digits(s, n, &i, 2, &mo) || i >= n || s[i++] != '-' ||
     digits(s, n, &i, 2, &d))
    return RIFT_SYNTAX;
  if(mo < 1 || mo > 12 || d < 1 || d > 31)
    return RIFT_SYNTAX;
  if(i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
    i++;
    if(digits(s, n, &i, 2, &h) || i >= n || s[i++] != ':' ||
       digits(s, n, &i, 2, &mi))
      return RIFT_SYNTAX;
    if(i < n && s[i] == ':') {
      i++;
      if(digits(s, n, &i, 2, &sec))
        return RIFT_SYNTAX;
    }
    if(i < n && (s[i] == '.' || s[i] == ',')) {
      i++;
      while(i < n && s[i] >= '0' && s[i] <= '9') {
        if(fd < 9) {
          frac = frac * 10 + (unsigned)(s[i] - '0');
          fd++;
        }
        i++;
      }
      while(fd < 9) {
        frac *= 10;
        fd++;
      }
    }
    if(h > 23 || mi > 59 || sec > 60)
      return RIFT_SYNTAX;
    if(i < n && (s[i] == 'Z' || s[i] == 'z')) {
      i++;
    }
    else if(i < n && (s[i] == '+' || s[i] == '-')) {
      int sign = s[i++] == '-' ? -1 : 1;
      unsigned oh, om = 0;
      if(digits(s, n, &i, 2, &oh))
        return RIFT_SYNTAX;
      if(i < n && s[i] == ':')
        i++;
      if(i < n && digits(s, n, &i, 2, &om))
        return RIFT_SYNTAX;
      off = sign * (int64_t)(oh * 3600 + om * 60);
    }
  }
  if(i != n)
    return RIFT_SYNTAX;
  t = rift_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
  if(t > 9223372035LL || t < -9223372035LL)
    return RIFT_LIMIT;
  *ns = t * 1000000000 + frac;
  return RIFT_OK;
}

int64_t rift_time_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
