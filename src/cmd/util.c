#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"

void die(const char *fmt, ...)
{
  va_list ap;
  fputs("rift: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(RIFT_EXIT_DIE);
}

void usage_die(const char *usage, const char *fmt, ...)
{
  va_list ap;
  fputs("rift: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n\n%s", usage);
  exit(RIFT_EXIT_USAGE);
}

void help_if_asked(int argc, char **argv, const char *usage)
{
  int i;
  for(i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "--"))
      break;
    if(!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(usage, stdout);
      exit(RIFT_EXIT_OK);
    }
  }
}

int write_all(int fd, const char *p, size_t n)
{
  while(n) {
    ssize_t w = write(fd, p, n);
    if(w < 0) {
      if(errno == EINTR)
        continue;
      if(errno != EPIPE)
        fprintf(stderr, "rift: write error: %s\n", strerror(errno));
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

unsigned long parse_count(const char *opt, const char *v, unsigned long max)
{
  char *end;
  unsigned long n;
  errno = 0;
  n = strtoul(v, &end, 10);
  if(errno || end == v || *end || n > max || v[0] == '-')
    die("invalid value for %s: '%s' (expected 0..%lu)", opt, v, max);
  return n;
}

void diag_stderr(struct rift_diag *d, const char *path)
{
  rift_diag_init(d, path, rift_diag_stderr, NULL);
}
