/*
 * walk.h - walking evidence: folders, archives, single files.
 *
 * rift_walk() calls fn once for every input under a path, in a stable
 * order (folder entries sorted by name):
 *
 *   - a regular file: RIFT_WALK_FILE with real = the path to open;
 *   - an archive (zip, 7z, tar, tar.gz/.bz2/.xz/.zst, rar, or a single
 *     gzip/bzip2/xz/zstd-compressed file), recognised by its magic bytes:
 *     RIFT_WALK_ARCHIVE once (its format and the problems met while
 *     extracting), then each extracted member as RIFT_WALK_FILE with
 *     path "ARCHIVE!member/path" and container = the archive's path;
 *     archives inside archives are walked the same way up to max_depth;
 *   - anything that cannot be read (a special file, a symbolic link
 *     inside a folder, a file that cannot be opened): RIFT_WALK_BAD with
 *     the reason in error.
 *
 * Archive members are extracted only into a fresh folder under o->tmpdir,
 * never anywhere else: members whose path is absolute or contains a ".."
 * component are refused (reported, not extracted); only regular files are
 * written (links and devices are reported and skipped); files are created
 * with O_EXCL|O_NOFOLLOW; the size of one member, the total extracted,
 * the expansion ratio and the number of members are capped.  Members are
 * deleted again once fn has seen them.
 *
 * Evidence is only ever opened read-only.  fn returning an error stops
 * the walk and is returned.
 */
#ifndef RIFT_WALK_H
#define RIFT_WALK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/diag.h"
#include "core/err.h"

enum rift_walk_kind { RIFT_WALK_FILE, RIFT_WALK_ARCHIVE, RIFT_WALK_BAD };

struct rift_walk_item {
  enum rift_walk_kind kind;
  const char *path;      /* as shown to users and stored in the case */
  const char *real;      /* where to open it (NULL for RIFT_WALK_BAD) */
  const char *container; /* the archive it came from, or NULL */
  uint64_t size;
  /* RIFT_WALK_ARCHIVE */
  const char *format;    /* "zip", "tar.gz", "7z", "gz"... */
  const char *parser;    /* "libarchive 3.6.2" */
  uint64_t members;      /* files extracted */
  const char *const *problems; /* what went wrong, one line each */
  size_t nproblems;
  /* RIFT_WALK_BAD, or an archive that could not be read at all */
  const char *error;
  int benign;            /* RIFT_WALK_BAD by design (a link, a device),
                            not damage */
  int top;               /* the path given to rift_walk itself (a file or
                            folder named by the user), not one found in it */
};

struct rift_walk_opts {
  /* an existing private folder for extraction; NULL: rift_walk makes one
   * under $TMPDIR (rift_walk_tmpdir) when it meets the first archive and
   * removes it before returning */
  const char *tmpdir;
  uint64_t max_member;       /* bytes of one extracted member */
  uint64_t max_total;        /* bytes extracted from one top-level input */
  uint64_t max_ratio;        /* extracted bytes per archive byte */
  uint64_t max_members;      /* members of one archive */
  unsigned max_depth;        /* archives in archives, folders in folders */
  /* a folder never to walk into (the case being written, when the
   * evidence folder contains it): its device and inode, if skip_set */
  uint64_t skip_dev, skip_ino;
  int skip_set;
  /* folder and archive entries named ".something" are passed over (rule
   * folders: .git, .github) */
  int skip_hidden;
  /* names ending so (NULL-terminated list, e.g. ".yml") are handed over as
   * files without being opened to look for an archive's magic */
  const char *const *plain_ext;
};

#define RIFT_WALK_MAX_MEMBER (8ull << 30)
#define RIFT_WALK_MAX_TOTAL (64ull << 30)
#define RIFT_WALK_MAX_RATIO 1000
#define RIFT_WALK_MAX_MEMBERS 1000000
#define RIFT_WALK_MAX_DEPTH 32
#define RIFT_WALK_MAX_PROBLEMS 100

/* Defaults above; tmpdir NULL. */
void rift_walk_opts_init(struct rift_walk_opts *o);

typedef rift_err (*rift_walk_fn)(void *ctx, const struct rift_walk_item *it);

rift_err rift_walk(const char *path, const struct rift_walk_opts *o,
                   rift_walk_fn fn, void *ctx);

/* Creates the private folder archives are extracted into: DIR/.extract-XXXXXX
 * under dir (a case folder), or, with dir NULL, rift-XXXXXX under $TMPDIR
 * (else /tmp).  Its path goes to out.  RIFT_IO with errno set if it cannot
 * be made.  Remove it with rmdir() after the walk (it is empty again). */
rift_err rift_walk_tmpdir(const char *dir, char *out, size_t cap);

/* Rule files under path, for the rule loaders: path itself if it names a
 * file (whatever its name), else every file of the folder or archive whose
 * name ends in one of ext, in name order; hidden entries (.git) passed over
 * and those names not opened twice (plain_ext); folders and archives
 * nested at most max_depth.  fn(ctx, real, shown) reads one.  What cannot
 * be walked is reported to d and added to *errors.  Returns fn's first
 * error, RIFT_IO if path itself cannot be read, or RIFT_OK. */
rift_err rift_walk_files(const char *path, const char *const *ext,
                         unsigned max_depth, struct rift_diag *d,
                         unsigned *errors,
                         rift_err (*fn)(void *ctx, const char *real,
                                        const char *shown),
                         void *ctx);

/* For commands that report on stderr: prints what went wrong with an item
 * ("rift: PATH: why", one line per archive problem; nothing for a benign
 * RIFT_WALK_BAD such as a link in a folder) and returns the number of
 * errors among them (warnings not counted). */
unsigned rift_walk_report(const struct rift_walk_item *it, FILE *f);

/* An archive member's name as a relative path that stays inside the
 * extraction folder: '/' and '\\' separate, empty and "." components are
 * dropped; absolute names (leading separator, drive letter) and ".."
 * components are refused.  Returns 1 with out set, or 0 with *why set. */
int rift_walk_safe_path(const char *name, char *out, size_t cap,
                        const char **why);

/* Is the start of a file the magic of an archive or compressed stream
 * rift_walk() opens?  Returns a short name ("zip", "gz"...) or NULL. */
const char *rift_archive_sniff(const uint8_t *head, size_t n);

#endif
