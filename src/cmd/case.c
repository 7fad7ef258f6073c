/*
 * case.c - helpers of the commands that read a case (case.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/case.h"
#include "cmd/cmd.h"
#include "core/rtime.h"

const char *case_db_path(char *buf, size_t cap, const char *dir)
{
  int n = snprintf(buf, cap, "%s/case.db", dir);
  if(n < 0 || (size_t)n >= cap)
    die("%s: path too long", dir);
  return buf;
}

static void keep_msg(void *ctx, const struct rift_diag_msg *m)
{
  snprintf(ctx, 512, "%s", m->text);
}

struct rift_store *case_open(const char *dir)
{
  char path[4096], why[512] = "";
  struct rift_store *s;
  struct rift_diag d;
  struct stat st;
  rift_err rc;
  if(stat(dir, &st))
    die("%s: no such case (run rift triage EVIDENCE -o %s first)", dir, dir);
  if(S_ISDIR(st.st_mode))
    case_db_path(path, sizeof(path), dir);
  else
    snprintf(path, sizeof(path), "%s", dir); /* a case.db given directly */
  rift_diag_init(&d, path, keep_msg, why);
  rc = rift_store_open(&s, path, RIFT_STORE_READ, &d);
  if(rc == RIFT_NOTFOUND)
    die("%s: not a case (no case.db)", dir);
  if(rc)
    die("%s: cannot open the case: %s", path,
        *why ? why : rift_strerror(rc));
  return s;
}

int64_t parse_time_opt(const char *opt, const char *v)
{
  int64_t ns;
  if(rift_time_parse(v, strlen(v), &ns))
    die("invalid time for %s: '%s' (expected e.g. 2024-01-02T03:04:05Z)",
        opt, v);
  return ns;
}

int64_t parse_time_upto(const char *opt, const char *v)
{
  int64_t ns = parse_time_opt(opt, v), step = 1;
  const char *tpos = strpbrk(v, "Tt "), *dot;
  int digits = 0;
  if(!tpos) {
    step = 86400 * (int64_t)1000000000; /* a date: the whole day */
  }
  else {
    dot = strchr(tpos, '.');
    if(dot) {
      for(dot++; *dot >= '0' && *dot <= '9'; dot++)
        digits++;
    }
    if(digits >= 9)
      step = 1;
    else
      for(step = 1000000000; digits > 0; digits--)
        step /= 10;
  }
  return ns > INT64_MAX - step ? INT64_MAX : ns + step - 1;
}

const char *fmt_count(char *buf, size_t cap, uint64_t n)
{
  char tmp[32];
  int len = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)n);
  size_t o = 0;
  int i;
  for(i = 0; i < len && o + 2 < cap; i++) {
    if(i && (len - i) % 3 == 0)
      buf[o++] = ',';
    buf[o++] = tmp[i];
  }
  buf[o] = 0;
  return buf;
}

int flush_out(int fd, struct rift_buf *b, size_t limit)
{
  int rc = 0;
  if(b->len > limit || (!limit && b->len)) {
    rc = write_all(fd, b->buf, b->len);
    rift_buf_reset(b);
  }
  return rc;
}

int open_output(const char *path)
{
  int fd;
  if(!path || !strcmp(path, "-"))
    return 1;
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if(fd < 0)
    die("%s: cannot write: %s", path, strerror(errno));
  return fd;
}
