/*
 * source.h - read-only byte sources for parsers.
 *
 * A parser reads from a struct rift_source: a whole file mapped read-only,
 * a memory range (fuzzers, carved blobs, archive members) or a sub-range of
 * another source.  Evidence is never opened for writing.
 *
 * The bytes stay valid until rift_source_close().  A sub-range borrows its
 * parent's bytes; close the parent last.
 */
#ifndef RIFT_SOURCE_H
#define RIFT_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/err.h"

struct rift_source {
  const uint8_t *data;
  size_t len;
  const char *name;  /* path or label for messages; not owned */
  void *map;         /* mmap base if mapped */
  size_t maplen;
  void *owned;       /* malloc'd copy if read (not mapped) */
};

/* Open path read-only and map it.  Empty files give len 0, data non-NULL.
 * On failure fills d (if given) with the reason. */
rift_err rift_source_open(struct rift_source *s, const char *path,
                          struct rift_diag *d);
void rift_source_mem(struct rift_source *s, const void *p, size_t len,
                     const char *name);
rift_err rift_source_sub(struct rift_source *s, const struct rift_source *parent,
                         uint64_t off, uint64_t len);
void rift_source_close(struct rift_source *s);
/* Tell the kernel [off, off+len) will not be read again, so a mapped file
 * does not count against resident memory however large it is.  The bytes
 * stay readable (they are paged in again if touched). */
void rift_source_forget(const struct rift_source *s, uint64_t off, uint64_t len);
/* For a reader moving forward: forget everything before off not forgotten
 * yet (*mark, from 0, says how far that is).  Dropped in whole 2 MiB units
 * of the mapping, so a 2 MiB page of the page cache is let go in one piece
 * (dropping part of it would split it, with a TLB flush on every CPU the
 * process runs on); from off = the source's length on, the rest. */
void rift_source_forget_behind(const struct rift_source *s, uint64_t *mark,
                               uint64_t off);
/* Map [off, off+len) of a mapped file in one call before reading it (one
 * system call instead of a page fault every few pages).  A hint: it may
 * do nothing. */
void rift_source_prefetch(const struct rift_source *s, uint64_t off, uint64_t len);

#endif
