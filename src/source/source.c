#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/source.h"

static const uint8_t empty[1];

rift_err rift_source_open(struct rift_source *s, const char *path,
                          struct rift_diag *d)
{
  struct stat st;
  int fd;
  void *m;
  memset(s, 0, sizeof(*s));
  s->name = path;
  s->data = empty;
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_IO, UINT64_MAX, "cannot open: %s",
                     strerror(errno));
    return RIFT_IO;
  }
  if(fstat(fd, &st)) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_IO, UINT64_MAX, "cannot stat: %s",
                     strerror(errno));
    close(fd);
    return RIFT_IO;
  }
  if(S_ISDIR(st.st_mode)) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_INVALID, UINT64_MAX,
                     "is a directory");
    close(fd);
    return RIFT_INVALID;
  }
  if(S_ISREG(st.st_mode) && !st.st_size) {
    close(fd);
    return RIFT_OK;
  }
  m = S_ISREG(st.st_mode)
        ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)
        : MAP_FAILED;
  if(m == MAP_FAILED) {
    /* not mappable (a pipe, a device, /proc): read it, with a ceiling */
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    ssize_t r;
    while(buf && (r = read(fd, buf + len, cap - len)) > 0) {
      len += (size_t)r;
      if(len == cap) {
        uint8_t *nb = cap < ((size_t)1 << 32) ? realloc(buf, cap * 2) : NULL;
        if(!nb) {
          free(buf);
          buf = NULL;
          break;
        }
        buf = nb;
        cap *= 2;
      }
    }
    close(fd);
    if(!buf) {
      rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_NOMEM, UINT64_MAX,
                       "cannot read into memory");
      return RIFT_NOMEM;
    }
    s->owned = buf;
    s->data = buf;
    s->len = len;
    return RIFT_OK;
  }
  close(fd);
  madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
  /* Read ahead and cache the file in 2 MiB pages where the kernel can: one
   * mapping per 2 MiB instead of 512, to map in and to drop (see
   * rift_source_forget_behind). */
  if(st.st_size >= (off_t)2 << 20)
    madvise(m, (size_t)st.st_size, MADV_HUGEPAGE);
  s->map = m;
  s->maplen = (size_t)st.st_size;
  s->data = m;
  s->len = (size_t)st.st_size;
  return RIFT_OK;
}

void rift_source_mem(struct rift_source *s, const void *p, size_t len,
                     const char *name)
{
  memset(s, 0, sizeof(*s));
  s->data = len ? p : empty;
  s->len = len;
  s->name = name;
}

rift_err rift_source_sub(struct rift_source *s, const struct rift_source *parent,
                         uint64_t off, uint64_t len)
{
  if(off > parent->len || len > parent->len - off)
    return RIFT_TRUNCATED;
  rift_source_mem(s, parent->data + off, (size_t)len, parent->name);
  return RIFT_OK;
}

void rift_source_close(struct rift_source *s)
{
  if(s->map)
    munmap(s->map, s->maplen);
  free(s->owned);
  memset(s, 0, sizeof(*s));
  s->data = empty;
}

void rift_source_forget(const struct rift_source *s, uint64_t off, uint64_t len)
{
  uintptr_t page = 4096, start, end;
  if(!s->map || off >= s->maplen)
    return;
  if(len > s->maplen - off)
    len = s->maplen - off;
  start = ((uintptr_t)s->map + off + page - 1) & ~(page - 1);
  end = ((uintptr_t)s->map + off + len) & ~(page - 1);
  if(end > start)
    madvise((void *)start, end - start, MADV_DONTNEED);
}

void rift_source_forget_behind(const struct rift_source *s, uint64_t *mark,
                               uint64_t off)
{
  uintptr_t unit = (uintptr_t)2 << 20, end;
  if(!s->map || off <= *mark || *mark >= s->maplen)
    return;
  if(off >= s->maplen) {
    end = s->maplen;
  }
  else {
    end = (((uintptr_t)s->map + off) & ~(unit - 1)) - (uintptr_t)s->map;
    if(end > off || end <= *mark)
      return; /* below the mapping's first 2 MiB boundary, or nothing new */
  }
  rift_source_forget(s, *mark, end - *mark);
  *mark = end;
}

void rift_source_prefetch(const struct rift_source *s, uint64_t off, uint64_t len)
{
#ifdef MADV_POPULATE_READ
  uintptr_t page = 4096, start, end;
  if(!s->map || off >= s->maplen)
    return;
  if(len > s->maplen - off)
    len = s->maplen - off;
  start = ((uintptr_t)s->map + off) & ~(page - 1);
  end = ((uintptr_t)s->map + off + len + page - 1) & ~(page - 1);
  if(end > start)
    madvise((void *)start, end - start, MADV_POPULATE_READ);
#else
  (void)s;
  (void)off;
  (void)len;
#endif
}
