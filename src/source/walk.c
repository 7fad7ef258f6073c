/*
 * walk.c - folders and archives to a list of inputs (walk.h).
 *
 * Archives are read with libarchive and extracted member by member into
 * a numbered folder under the caller's temporary folder.  Paths are
 * checked before anything is created: a member name is split on '/' and
 * '\', empty and "." components dropped, and the member refused if it is
 * absolute (leading separator or drive letter) or has a ".." component.
 * Only folders and regular files are ever created under the extraction
 * folder, so no later path can lead out of it.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/dlib.h"
#include "source/walk.h"

/* libarchive is opened when the first archive is met (core/dlib.h). */
#define AR_SYMS(X)                                                          \
  X(archive_read_new) X(archive_read_free)                                  \
  X(archive_read_support_filter_all) X(archive_read_support_format_all)     \
  X(archive_read_support_format_raw) X(archive_read_open_filename)          \
  X(archive_read_next_header) X(archive_read_data) X(archive_error_string)  \
  X(archive_format) X(archive_filter_count) X(archive_filter_code)          \
  X(archive_entry_pathname) X(archive_entry_pathname_utf8)                  \
  X(archive_entry_filetype) X(archive_entry_hardlink)                       \
  X(archive_version_string)
AR_SYMS(RIFT_DLIB_PTR)
static const struct rift_dlsym ar_syms[] = { AR_SYMS(RIFT_DLIB_SYM) };
static struct rift_dlib libarchive = RIFT_DLIB("libarchive13", ar_syms,
                                               "libarchive.so.13",
                                               "libarchive.so");

#define MAX_NAME 4096
#define COPY_BUF (256u * 1024)
#define MAX_DIR_ENTRIES 1000000

struct walker {
  const struct rift_walk_opts *o;
  rift_walk_fn fn;
  void *ctx;
  unsigned narch;
  uint64_t total; /* extracted from the current top-level input */
  const char *top; /* the path given to rift_walk, as shown */
  char tmp[4096];  /* the folder made when o->tmpdir is NULL, or "" */
  char tmp_why[160]; /* why it could not be made, or "" */
};

void rift_walk_opts_init(struct rift_walk_opts *o)
{
  memset(o, 0, sizeof(*o));
  o->max_member = RIFT_WALK_MAX_MEMBER;
  o->max_total = RIFT_WALK_MAX_TOTAL;
  o->max_ratio = RIFT_WALK_MAX_RATIO;
  o->max_members = RIFT_WALK_MAX_MEMBERS;
  o->max_depth = RIFT_WALK_MAX_DEPTH;
}

const char *rift_archive_sniff(const uint8_t *h, size_t n)
{
  if(n >= 4 && !memcmp(h, "PK\x03\x04", 4))
    return "zip";
  if(n >= 4 && !memcmp(h, "PK\x05\x06", 4))
    return "zip"; /* empty zip */
  if(n >= 6 && !memcmp(h, "7z\xbc\xaf\x27\x1c", 6))
    return "7z";
  if(n >= 7 && !memcmp(h, "Rar!\x1a\x07", 6))
    return "rar";
  if(n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
    return "gz";
  if(n >= 3 && !memcmp(h, "BZh", 3))
    return "bz2";
  if(n >= 6 && !memcmp(h, "\xfd\x37\x7a\x58\x5a\x00", 6))
    return "xz";
  if(n >= 4 && !memcmp(h, "\x28\xb5\x2f\xfd", 4))
    return "zst";
  if(n >= 262 && !memcmp(h + 257, "ustar", 5))
    return "tar";
  return NULL;
}

/* ---- problems of one archive ------------------------------------------ */

struct problems {
  char *list[RIFT_WALK_MAX_PROBLEMS];
  size_t n, dropped;
};

__attribute__((format(printf, 2, 3)))
static void problem(struct problems *p, const char *fmt, ...)
{
  va_list ap;
  char *s = NULL;
  if(p->n == RIFT_WALK_MAX_PROBLEMS) {
    p->dropped++;
    return;
  }
  va_start(ap, fmt);
  if(vasprintf(&s, fmt, ap) < 0)
    s = NULL;
  va_end(ap);
  if(s)
    p->list[p->n++] = s;
}

static void problems_release(struct problems *p)
{
  size_t i;
  for(i = 0; i < p->n; i++)
    free(p->list[i]);
  p->n = 0;
}

/* ---- helpers ------------------------------------------------------------ */

static rift_err bad2(struct walker *w, const char *disp,
                     const char *container, uint64_t size, const char *why,
                     int benign)
{
  struct rift_walk_item it;
  memset(&it, 0, sizeof(it));
  it.kind = RIFT_WALK_BAD;
  it.benign = benign;
  it.top = disp == w->top;
  it.path = disp;
  it.container = container;
  it.size = size;
  it.error = why;
  return w->fn(w->ctx, &it);
}

static rift_err bad(struct walker *w, const char *disp, const char *container,
                    uint64_t size, const char *why)
{
  return bad2(w, disp, container, size, why, 0);
}

static char *join(const char *a, const char *sep, const char *b)
{
  char *s = NULL;
  if(asprintf(&s, "%s%s%s", a, sep, b) < 0)
    return NULL;
  return s;
}

int rift_walk_safe_path(const char *name, char *out, size_t cap,
                        const char **why)
{
  size_t o = 0, i = 0, len = strlen(name);
  int first = 1;
  if(!len) {
    *why = "empty name";
    return 0;
  }
  if(name[0] == '/' || name[0] == '\\') {
    *why = "absolute path";
    return 0;
  }
  while(i < len) {
    size_t s = i, n;
    while(i < len && name[i] != '/' && name[i] != '\\')
      i++;
    n = i - s;
    i++; /* the separator */
    if(!n || (n == 1 && name[s] == '.'))
      continue;
    if(n == 2 && name[s] == '.' && name[s + 1] == '.') {
      *why = "path leads out of the archive (..)";
      return 0;
    }
    if(first && n == 2 && name[s + 1] == ':' &&
       ((name[s] >= 'A' && name[s] <= 'Z') ||
        (name[s] >= 'a' && name[s] <= 'z'))) {
      *why = "absolute path (drive letter)";
      return 0;
    }
    if(o + n + 2 > cap) {
      *why = "name too long";
      return 0;
    }
    if(o)
      out[o++] = '/';
    memcpy(out + o, name + s, n);
    o += n;
    first = 0;
  }
  if(!o) {
    *why = "empty name";
    return 0;
  }
  out[o] = 0;
  return 1;
}

/* Create the folders of rel under root (rel's last component is a file). */
static int make_parents(int rootfd, char *rel)
{
  char *p;
  for(p = strchr(rel, '/'); p; p = strchr(p + 1, '/')) {
    *p = 0;
    if(mkdirat(rootfd, rel, 0700) && errno != EEXIST) {
      *p = '/';
      return -1;
    }
    *p = '/';
  }
  return 0;
}

static void remove_tree(int dirfd, const char *name)
{
  int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                                 O_CLOEXEC);
  DIR *d;
  struct dirent *de;
  if(fd < 0) {
    unlinkat(dirfd, name, 0);
    return;
  }
  d = fdopendir(fd);
  if(!d) {
    close(fd);
    return;
  }
  while((de = readdir(d))) {
    if(!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    if(de->d_type == DT_DIR)
      remove_tree(fd, de->d_name);
    else
      unlinkat(fd, de->d_name, 0);
  }
  closedir(d);
  unlinkat(dirfd, name, AT_REMOVEDIR);
}

static int cmpstr(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static rift_err walk_path(struct walker *w, const char *real, const char *disp,
                          const char *container, unsigned depth);

/* ---- folders ------------------------------------------------------------- */

static rift_err walk_dir(struct walker *w, const char *real, const char *prefix,
                         const char *sep, const char *container,
                         unsigned depth)
{
  DIR *d;
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  rift_err rc = RIFT_OK;
  if(depth > w->o->max_depth)
    return bad(w, prefix, container, 0, "folders nested too deeply");
  d = opendir(real);
  if(!d) {
    char why[256];
    snprintf(why, sizeof(why), "cannot read folder: %s", strerror(errno));
    return bad(w, prefix, container, 0, why);
  }
  while((de = readdir(d))) {
    if(!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
       (w->o->skip_hidden && de->d_name[0] == '.'))
      continue;
    if(n == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      char **nn = ncap <= MAX_DIR_ENTRIES ? realloc(names, ncap * sizeof(*nn))
                                          : NULL;
      if(!nn) {
        rc = ncap > MAX_DIR_ENTRIES ? RIFT_OK : RIFT_NOMEM;
        break;
      }
      names = nn;
      cap = ncap;
    }
    names[n] = strdup(de->d_name);
    if(!names[n]) {
      rc = RIFT_NOMEM;
      break;
    }
    n++;
  }
  closedir(d);
  if(n)
    qsort(names, n, sizeof(*names), cmpstr);
  for(i = 0; i < n && !rc; i++) {
    char *r = join(real, "/", names[i]);
    char *p = join(prefix, sep, names[i]);
    if(!r || !p)
      rc = RIFT_NOMEM;
    else
      rc = walk_path(w, r, p, container, depth + 1);
    free(r);
    free(p);
  }
  for(i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return rc;
}

/* ---- archives ------------------------------------------------------------ */

static const char *archive_kind(struct archive *a, const char *sniffed,
                                char *buf, size_t cap)
{
  int f = sym_archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
  int filt = sym_archive_filter_count(a) > 1 ? sym_archive_filter_code(a, 0) : 0;
  const char *base, *ext = "";
  switch(filt) {
  case ARCHIVE_FILTER_GZIP: ext = ".gz"; break;
  case ARCHIVE_FILTER_BZIP2: ext = ".bz2"; break;
  case ARCHIVE_FILTER_XZ: ext = ".xz"; break;
  case ARCHIVE_FILTER_ZSTD: ext = ".zst"; break;
  case ARCHIVE_FILTER_LZ4: ext = ".lz4"; break;
  default: break;
  }
  switch(f) {
  case ARCHIVE_FORMAT_ZIP: base = "zip"; break;
  case ARCHIVE_FORMAT_7ZIP: base = "7z"; break;
  case ARCHIVE_FORMAT_TAR: base = "tar"; break;
  case ARCHIVE_FORMAT_RAR: base = "rar"; break;
  case ARCHIVE_FORMAT_RAR_V5: base = "rar"; break;
  case ARCHIVE_FORMAT_CPIO: base = "cpio"; break;
  case ARCHIVE_FORMAT_ISO9660: base = "iso"; break;
  case ARCHIVE_FORMAT_RAW:
    snprintf(buf, cap, "%s", *ext ? ext + 1 : sniffed);
    return buf;
  default:
    return sniffed;
  }
  snprintf(buf, cap, "%s%s", base, ext);
  return buf;
}

/* Name of the single member of a compressed file: the archive's base
 * name without its compression extension. */
static const char *raw_name(const char *disp, char *buf, size_t cap)
{
  const char *b = strrchr(disp, '/'), *dot;
  b = b ? b + 1 : disp;
  snprintf(buf, cap, "%s", b);
  dot = strrchr(buf, '.');
  if(dot && dot != buf && (!strcmp(dot, ".gz") || !strcmp(dot, ".bz2") ||
                           !strcmp(dot, ".xz") || !strcmp(dot, ".zst") ||
                           !strcmp(dot, ".zstd")))
    buf[dot - buf] = 0;
  else
    snprintf(buf, cap, "%s", "data");
  return buf;
}

struct extract {
  struct walker *w;
  struct archive *a;
  int rootfd;
  const char *disp;
  uint64_t size, done, members;
  struct problems *pr;
  int stop;
};

static void extract_member(struct extract *x, struct archive_entry *ent,
                           const char *name)
{
  const struct rift_walk_opts *o = x->w->o;
  char rel[MAX_NAME];
  const char *why = NULL;
  uint64_t got = 0, ratio_cap;
  char *buf;
  int fd;
  la_ssize_t n;
  if(!rift_walk_safe_path(name, rel, sizeof(rel), &why)) {
    problem(x->pr, "member '%s': %s, not extracted", name, why);
    return;
  }
  if(x->members >= o->max_members) {
    problem(x->pr, "more than %llu members, the rest not extracted",
            (unsigned long long)o->max_members);
    x->stop = 1;
    return;
  }
  if(make_parents(x->rootfd, rel)) {
    problem(x->pr, "member '%s': cannot create its folder: %s", name,
            strerror(errno));
    return;
  }
  fd = openat(x->rootfd, rel,
              O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if(fd < 0) {
    if(errno == EEXIST)
      problem(x->pr, "member '%s': duplicate name, later copy skipped", name);
    else
      problem(x->pr, "member '%s': cannot extract: %s", name,
              strerror(errno));
    return;
  }
  buf = malloc(COPY_BUF);
  if(!buf) {
    close(fd);
    x->stop = 1;
    return;
  }
  ratio_cap = o->max_ratio && x->size <= UINT64_MAX / o->max_ratio
                ? x->size * o->max_ratio + (64u << 20)
                : UINT64_MAX;
  for(;;) {
    n = sym_archive_read_data(x->a, buf, COPY_BUF);
    if(n == 0)
      break;
    if(n < 0) {
      const char *err = sym_archive_error_string(x->a) ? sym_archive_error_string(x->a)
                                                   : "read error";
      if(n == ARCHIVE_FATAL)
        x->stop = 1;
      if(!got) {
        problem(x->pr, "member '%s': %s, nothing extracted", name, err);
        close(fd);
        unlinkat(x->rootfd, rel, 0);
        free(buf);
        return;
      }
      problem(x->pr, "member '%s': %s (the first %llu bytes are read)", name,
              err, (unsigned long long)got);
      break;
    }
    if(got + (uint64_t)n > o->max_member) {
      problem(x->pr, "member '%s': larger than %llu bytes, not extracted",
              name, (unsigned long long)o->max_member);
      close(fd);
      unlinkat(x->rootfd, rel, 0);
      free(buf);
      return;
    }
    if(x->w->total + (uint64_t)n > o->max_total ||
       x->done + (uint64_t)n > ratio_cap) {
      problem(x->pr, "extraction stopped at member '%s': more than %llu "
              "bytes (limit on total size or expansion ratio)", name,
              (unsigned long long)(x->done + (uint64_t)n));
      close(fd);
      unlinkat(x->rootfd, rel, 0);
      free(buf);
      x->stop = 1;
      return;
    }
    if(write(fd, buf, (size_t)n) != n) {
      problem(x->pr, "member '%s': cannot write the extracted copy: %s",
              name, strerror(errno));
      close(fd);
      unlinkat(x->rootfd, rel, 0);
      free(buf);
      x->stop = 1;
      return;
    }
    got += (uint64_t)n;
    x->done += (uint64_t)n;
    x->w->total += (uint64_t)n;
  }
  free(buf);
  close(fd);
  x->members++;
  (void)ent;
}

static rift_err walk_archive(struct walker *w, const char *real,
                             const char *disp, const char *container,
                             uint64_t size, const char *sniffed,
                             unsigned depth)
{
  struct rift_walk_item it;
  struct problems pr;
  struct extract x;
  struct archive_entry *ent;
  char xname[32], *xdir = NULL, fmtbuf[32], rawbuf[MAX_NAME], why[300];
  const char *fmt = sniffed;
  rift_err rc = RIFT_OK;
  int r, retries = 0, opened = 0;

  memset(&pr, 0, sizeof(pr));
  memset(&it, 0, sizeof(it));
  memset(&x, 0, sizeof(x));
  it.kind = RIFT_WALK_ARCHIVE;
  it.top = disp == w->top;
  it.path = disp;
  it.real = real;
  it.container = container;
  it.size = size;
  x.rootfd = -1;
  if(depth > w->o->max_depth) {
    it.format = sniffed;
    it.error = "archives nested too deeply, not extracted";
    return w->fn(w->ctx, &it);
  }
  if(!w->o->tmpdir && !w->tmp[0] && !w->tmp_why[0] &&
     rift_walk_tmpdir(NULL, w->tmp, sizeof(w->tmp))) {
    snprintf(w->tmp_why, sizeof(w->tmp_why), "%s", strerror(errno));
    w->tmp[0] = 0;
  }
  if(!w->o->tmpdir && !w->tmp[0]) {
    snprintf(why, sizeof(why), "no temporary folder to extract into: %s "
             "(is $TMPDIR writable?)", w->tmp_why);
    it.format = sniffed;
    it.error = why;
    return w->fn(w->ctx, &it);
  }
  if(rift_dlib_load(&libarchive)) {
    it.format = sniffed;
    it.error = libarchive.why;
    return w->fn(w->ctx, &it);
  }
  it.parser = sym_archive_version_string();
  snprintf(xname, sizeof(xname), "x%u", ++w->narch);
  xdir = join(w->o->tmpdir ? w->o->tmpdir : w->tmp, "/", xname);
  if(!xdir)
    return RIFT_NOMEM;
  if(mkdir(xdir, 0700)) {
    it.format = sniffed;
    it.error = "cannot create the extraction folder";
    rc = w->fn(w->ctx, &it);
    free(xdir);
    return rc;
  }
  x.rootfd = open(xdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  x.a = sym_archive_read_new();
  if(x.rootfd < 0 || !x.a) {
    rc = RIFT_NOMEM;
    goto out;
  }
  sym_archive_read_support_filter_all(x.a);
  sym_archive_read_support_format_all(x.a);
  if(!strcmp(sniffed, "gz") || !strcmp(sniffed, "bz2") ||
     !strcmp(sniffed, "xz") || !strcmp(sniffed, "zst"))
    sym_archive_read_support_format_raw(x.a);
  x.w = w;
  x.disp = disp;
  x.size = size;
  x.pr = &pr;
  if(sym_archive_read_open_filename(x.a, real, 1 << 16) != ARCHIVE_OK) {
    it.error = sym_archive_error_string(x.a) ? sym_archive_error_string(x.a)
                                         : "cannot open the archive";
    it.format = sniffed;
    rc = w->fn(w->ctx, &it);
    goto out;
  }
  opened = 1;
  while(!x.stop) {
    const char *name;
    r = sym_archive_read_next_header(x.a, &ent);
    if(r == ARCHIVE_EOF)
      break;
    if(r == ARCHIVE_RETRY && ++retries < 16)
      continue;
    if(r == ARCHIVE_FATAL || r == ARCHIVE_RETRY) {
      problem(&pr, "archive damaged after %llu members: %s",
              (unsigned long long)x.members,
              sym_archive_error_string(x.a) ? sym_archive_error_string(x.a)
                                        : "read error");
      break;
    }
    if(r == ARCHIVE_WARN && sym_archive_error_string(x.a))
      problem(&pr, "warning: %s", sym_archive_error_string(x.a));
    fmt = archive_kind(x.a, sniffed, fmtbuf, sizeof(fmtbuf));
    if((sym_archive_format(x.a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_RAW)
      name = raw_name(disp, rawbuf, sizeof(rawbuf));
    else
      name = sym_archive_entry_pathname_utf8(ent)
               ? sym_archive_entry_pathname_utf8(ent)
               : sym_archive_entry_pathname(ent);
    if(!name)
      name = "";
    if(sym_archive_entry_filetype(ent) == AE_IFDIR)
      continue;
    if(sym_archive_entry_filetype(ent) != AE_IFREG ||
       sym_archive_entry_hardlink(ent)) {
      problem(&pr, "member '%s': not a regular file (link or device), "
              "skipped", name);
      continue;
    }
    extract_member(&x, ent, name);
  }
  if(pr.dropped)
    problem(&pr, "%zu more problems not shown", pr.dropped);
  it.format = fmt;
  it.members = x.members;
  it.problems = (const char *const *)pr.list;
  it.nproblems = pr.n;
  rc = w->fn(w->ctx, &it);
  if(!rc)
    rc = walk_dir(w, xdir, disp, "!", disp, depth + 1);
out:
  (void)opened;
  if(x.a)
    sym_archive_read_free(x.a);
  if(x.rootfd >= 0)
    close(x.rootfd);
  problems_release(&pr);
  remove_tree(AT_FDCWD, xdir);
  free(xdir);
  return rc;
}

/* ---- one path -------------------------------------------------------------- */

/* Does name end in one of ext (a NULL-terminated list such as ".yml")? */
static int has_ext(const char *name, const char *const *ext)
{
  size_t n = strlen(name), i;
  for(i = 0; ext && ext[i]; i++) {
    size_t e = strlen(ext[i]);
    if(n > e && !strcmp(name + n - e, ext[i]))
      return 1;
  }
  return 0;
}

static rift_err walk_path(struct walker *w, const char *real, const char *disp,
                          const char *container, unsigned depth)
{
  int top = disp == w->top; /* the path given to rift_walk: links followed */
  struct stat st;
  struct rift_walk_item it;
  uint8_t head[512];
  ssize_t n;
  const char *arch;
  char why[300];
  int fd;
  if(top ? stat(real, &st) : lstat(real, &st)) {
    snprintf(why, sizeof(why), "cannot read: %s", strerror(errno));
    return bad(w, disp, container, 0, why);
  }
  if(S_ISDIR(st.st_mode)) {
    if(w->o->skip_set && (uint64_t)st.st_dev == w->o->skip_dev &&
       (uint64_t)st.st_ino == w->o->skip_ino)
      return RIFT_OK; /* the case being written */
    return walk_dir(w, real, disp, "/", container, depth);
  }
  if(S_ISLNK(st.st_mode))
    return bad2(w, disp, container, 0, "symbolic link inside a folder, "
                                       "not followed", 1);
  if(!S_ISREG(st.st_mode))
    return bad2(w, disp, container, 0, "not a regular file", 1);
  if(has_ext(disp, w->o->plain_ext))
    goto file;
  fd = open(real, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if(fd < 0) {
    snprintf(why, sizeof(why), "cannot open: %s", strerror(errno));
    return bad(w, disp, container, (uint64_t)st.st_size, why);
  }
  n = pread(fd, head, sizeof(head), 0);
  close(fd);
  if(n < 0) {
    snprintf(why, sizeof(why), "cannot read: %s", strerror(errno));
    return bad(w, disp, container, (uint64_t)st.st_size, why);
  }
  arch = rift_archive_sniff(head, (size_t)n);
  if(arch)
    return walk_archive(w, real, disp, container, (uint64_t)st.st_size, arch,
                        depth);
file:
  memset(&it, 0, sizeof(it));
  it.kind = RIFT_WALK_FILE;
  it.top = top;
  it.path = disp;
  it.real = real;
  it.container = container;
  it.size = (uint64_t)st.st_size;
  return w->fn(w->ctx, &it);
}

rift_err rift_walk(const char *path, const struct rift_walk_opts *o,
                   rift_walk_fn fn, void *ctx)
{
  struct walker w;
  char *disp = strdup(path);
  size_t len;
  rift_err rc;
  if(!disp)
    return RIFT_NOMEM;
  len = strlen(disp);
  while(len > 1 && disp[len - 1] == '/')
    disp[--len] = 0;
  memset(&w, 0, sizeof(w));
  w.o = o;
  w.fn = fn;
  w.ctx = ctx;
  w.top = disp;
  rc = walk_path(&w, disp, disp, NULL, 0);
  if(w.tmp[0])
    rmdir(w.tmp);
  free(disp);
  return rc;
}

rift_err rift_walk_tmpdir(const char *dir, char *out, size_t cap)
{
  const char *base = dir;
  int n;
  if(!base) {
    base = getenv("TMPDIR");
    if(!base || !*base)
      base = "/tmp";
  }
  n = snprintf(out, cap, dir ? "%s/.extract-XXXXXX" : "%s/rift-XXXXXX", base);
  if(n < 0 || (size_t)n >= cap) {
    errno = ENAMETOOLONG;
    return RIFT_IO;
  }
  return mkdtemp(out) ? RIFT_OK : RIFT_IO;
}

/* Calls fn for what went wrong with an item (its error, each archive
 * problem; nothing for a file or a benign RIFT_WALK_BAD) and returns the
 * number of errors among them, warnings ("warning: ...") not counted. */
static unsigned each_problem(const struct rift_walk_item *it,
                             void (*fn)(void *ctx, int error, const char *path,
                                        const char *text),
                             void *ctx)
{
  unsigned errors = 0;
  size_t i;
  if(it->kind == RIFT_WALK_FILE || (it->kind == RIFT_WALK_BAD && it->benign))
    return 0;
  if(it->error) {
    fn(ctx, 1, it->path, it->error);
    errors++;
  }
  for(i = 0; i < it->nproblems; i++) {
    int error = strncmp(it->problems[i], "warning: ", 9) != 0;
    fn(ctx, error, it->path, it->problems[i]);
    errors += (unsigned)error;
  }
  return errors;
}

static void to_diag(void *ctx, int error, const char *path, const char *text)
{
  rift_diag_report(ctx, error ? RIFT_DIAG_ERROR : RIFT_DIAG_WARN, RIFT_IO,
                   UINT64_MAX, "%s: %s", path, text);
}

static void to_file(void *ctx, int error, const char *path, const char *text)
{
  (void)error;
  fprintf(ctx, "rift: %s: %s\n", path, text);
}

unsigned rift_walk_report(const struct rift_walk_item *it, FILE *f)
{
  return each_problem(it, to_file, f);
}

struct files {
  const char *const *ext;
  struct rift_diag *d;
  unsigned *errors;
  rift_err (*fn)(void *ctx, const char *real, const char *shown);
  void *ctx;
  int top_failed;
};

static rift_err on_file(void *ctx, const struct rift_walk_item *it)
{
  struct files *f = ctx;
  if(it->kind == RIFT_WALK_FILE)
    return it->top || has_ext(it->path, f->ext)
             ? f->fn(f->ctx, it->real, it->path) : RIFT_OK;
  if(it->kind == RIFT_WALK_BAD && !it->benign && it->top)
    f->top_failed = 1;
  *f->errors += each_problem(it, to_diag, f->d);
  return RIFT_OK;
}

rift_err rift_walk_files(const char *path, const char *const *ext,
                         unsigned max_depth, struct rift_diag *d,
                         unsigned *errors,
                         rift_err (*fn)(void *ctx, const char *real,
                                        const char *shown),
                         void *ctx)
{
  struct rift_walk_opts o;
  struct files f;
  rift_err rc;
  memset(&f, 0, sizeof(f));
  f.ext = ext;
  f.d = d;
  f.errors = errors;
  f.fn = fn;
  f.ctx = ctx;
  rift_walk_opts_init(&o);
  o.max_depth = max_depth;
  o.skip_hidden = 1;
  o.plain_ext = ext;
  rc = rift_walk(path, &o, on_file, &f);
  return rc ? rc : f.top_failed ? RIFT_IO : RIFT_OK;
}
