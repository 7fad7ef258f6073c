/* libFuzzer harness: the archive walker (source/walk.c) over an input that
 * is written to a file and walked as evidence: libarchive reads it (zip,
 * tar, 7z, gzip... whatever the bytes are), rift checks member names,
 * extracts members under a private folder, walks nested archives, and
 * deletes what it extracted.  Also checks what must hold whatever the
 * input: every file the walk hands out lies under the extraction folder,
 * and the folder is empty again after the walk. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/walk.h"

static char root[256];
static size_t rootlen;

static rift_err on_item(void *ctx, const struct rift_walk_item *it)
{
  char real[4096];
  (void)ctx;
  if(it->kind != RIFT_WALK_FILE || !it->container)
    return RIFT_OK;
  /* an extracted member: its real path resolves inside the folder */
  if(!realpath(it->real, real) || strncmp(real, root, rootlen) ||
     real[rootlen] != '/')
    abort();
  return RIFT_OK;
}

static int empty_dir(const char *p)
{
  DIR *d = opendir(p);
  struct dirent *de;
  int n = 0;
  if(!d)
    return 0;
  while((de = readdir(d)))
    if(strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
      n++;
  closedir(d);
  return n == 0;
}

static char in[300];

static void cleanup(void)
{
  unlink(in);
  rmdir(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct rift_walk_opts o;
  FILE *f;
  if(!root[0]) {
    char tmp[256], *r;
    if(rift_walk_tmpdir(NULL, tmp, sizeof(tmp)))
      abort();
    r = realpath(tmp, NULL);
    if(!r)
      abort();
    snprintf(root, sizeof(root), "%s", r);
    free(r);
    rootlen = strlen(root);
    snprintf(in, sizeof(in), "%s.input", root);
    atexit(cleanup);
  }
  f = fopen(in, "wb");
  if(!f)
    abort();
  if(size && fwrite(data, 1, size, f) != size)
    abort();
  fclose(f);
  rift_walk_opts_init(&o);
  o.tmpdir = root;
  o.max_member = 1 << 20; /* keep extraction small and fast */
  o.max_total = 4 << 20;
  o.max_members = 200;
  rift_walk(in, &o, on_item, NULL);
  if(!empty_dir(root))
    abort();
  return 0;
}
