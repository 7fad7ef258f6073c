/* Replays fuzz inputs without libFuzzer: each argument is a file (raw
 * bytes) or a .hex file (hexdump text: hex pairs, '#' comments).  Used by
 * `make check` to run every committed crasher under the normal build. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static unsigned char *read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t cap = 0, n = 0, r;
  if(!f)
    return NULL;
  do {
    if(n == cap) {
      unsigned char *nb;
      cap = cap ? cap * 2 : 65536;
      nb = realloc(buf, cap);
      if(!nb) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
    }
    r = fread(buf + n, 1, cap - n, f);
    n += r;
  } while(r);
  fclose(f);
  *len = n;
  return buf;
}

static size_t unhex(unsigned char *p, size_t n)
{
  size_t i = 0, o = 0;
  int hi = -1;
  while(i < n) {
    int c = p[i++], v;
    if(c == '#') {
      while(i < n && p[i] != '\n')
        i++;
      continue;
    }
    if(c >= '0' && c <= '9')
      v = c - '0';
    else if(c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else if(c >= 'A' && c <= 'F')
      v = c - 'A' + 10;
    else
      continue;
    if(hi < 0) {
      hi = v;
    }
    else {
      p[o++] = (unsigned char)(hi << 4 | v);
      hi = -1;
    }
  }
  return o;
}

int main(int argc, char **argv)
{
  int i, bad = 0;
  for(i = 1; i < argc; i++) {
    size_t len = 0, l = strlen(argv[i]);
    unsigned char *p = read_file(argv[i], &len);
    if(!p) {
      fprintf(stderr, "cannot read %s\n", argv[i]);
      bad = 1;
      continue;
    }
    if(l > 4 && !strcmp(argv[i] + l - 4, ".hex"))
      len = unhex(p, len);
    LLVMFuzzerTestOneInput(p, len);
    free(p);
  }
  return bad;
}
