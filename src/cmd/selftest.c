/*
 * selftest.c - rift selftest [NAME...]: run the registered unit tests.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd.h"
#include "unit.h"

static const char usage_str[] =
  "usage: rift selftest [--list] [NAME...]\n"
  "\n"
  "Run rift's unit tests (all, or those whose name starts with NAME).\n"
  "Tests that need the sample evidence read it from $RIFT_DATA or\n"
  "../shared/data and are skipped when it is absent.\n"
  "Prints one line per test and a summary \"N passed, N failed, N skipped\".\n";

static const struct {
  const char *name;
  void (*fn)(struct unit *);
} tests[] = {
#define U(n) { #n, unit_##n },
  UNIT_LIST(U)
#undef U
};

const char *unit_data(struct unit *t)
{
  static char path[4096];
  const char *env = getenv("RIFT_DATA");
  struct stat st;
  if(!env || !*env)
    env = "../shared/data";
  snprintf(path, sizeof(path), "%s", env);
  if(stat(path, &st) || !S_ISDIR(st.st_mode)) {
    t->skipped = 1;
    return NULL;
  }
  return path;
}

const char *unit_path(struct unit *t, const char *rel)
{
  static char path[8192];
  const char *d = unit_data(t);
  struct stat st;
  if(!d)
    return NULL;
  snprintf(path, sizeof(path), "%s/%s", d, rel);
  if(stat(path, &st)) {
    fprintf(stderr, "%s: missing sample %s\n", t->name, path);
    t->skipped = 1;
    return NULL;
  }
  return path;
}

int cmd_selftest(int argc, char **argv)
{
  size_t i;
  int a, passed = 0, failed = 0, skipped = 0;
  help_if_asked(argc, argv, usage_str);
  if(argc > 1 && !strcmp(argv[1], "--list")) {
    for(i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
      puts(tests[i].name);
    return 0;
  }
  for(i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
    struct unit t = { tests[i].name, 0, 0, 0 };
    int want = argc < 2;
    for(a = 1; a < argc && !want; a++)
      want = !strncmp(tests[i].name, argv[a], strlen(argv[a]));
    if(!want)
      continue;
    tests[i].fn(&t);
    if(t.failed) {
      printf("FAIL %s (%d of %d checks failed)\n", t.name, t.failed, t.checks);
      failed++;
    }
    else if(t.skipped && !t.checks) {
      printf("skip %s (no sample data)\n", t.name);
      skipped++;
    }
    else {
      printf("ok   %s (%d checks)\n", t.name, t.checks);
      passed++;
    }
    fflush(stdout);
  }
  printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed ? 1 : 0;
}
