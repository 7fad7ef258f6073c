/*
 * sigma-cmd.h - what the commands that load Sigma rules share (hunt,
 * rules check, triage): the rule options and building the set.
 */
#ifndef RIFT_SIGMA_CMD_H
#define RIFT_SIGMA_CMD_H

#include "detect/sigma/sigma.h"

#define SIGMA_MAX_OPT_PATHS 256

struct sigma_opts {
  const char *rules[SIGMA_MAX_OPT_PATHS];     /* -r/--rules */
  size_t nrules;
  const char *mappings[SIGMA_MAX_OPT_PATHS];  /* --mapping (replace builtin) */
  size_t nmappings;
  const char *placeholders[SIGMA_MAX_OPT_PATHS];
  size_t nplaceholders;
};

/* The usage lines of these options. */
#define SIGMA_OPTS_USAGE                                                     \
  "  -r, --rules PATH     Sigma rules: a .yml file or a folder (searched\n"  \
  "                       recursively); repeatable.  Default: $RIFT_RULES\n" \
  "                       (paths separated by ':'), else rift's own rules\n" \
  "      --mapping FILE   logsource/field mapping to use instead of rift's\n"\
  "                       built-in rules/mappings/ (repeatable)\n"           \
  "      --placeholders FILE\n"                                              \
  "                       values for %name% placeholders of the expand\n"    \
  "                       modifier (YAML: name: [value, ...])\n"

/* Handle one of the options above; returns 1 if it was one. */
int sigma_opts_take(struct sigma_opts *o, int c, const char *arg,
                    const char *usage);
#define SIGMA_OPT_MAPPING 1001
#define SIGMA_OPT_PLACEHOLDERS 1002
#define SIGMA_LONG_OPTS                                                  \
  { "rules", required_argument, NULL, 'r' },                             \
  { "mapping", required_argument, NULL, SIGMA_OPT_MAPPING },            \
  { "placeholders", required_argument, NULL, SIGMA_OPT_PLACEHOLDERS }

/* Build and compile the set; dies on fatal errors.  *load_errors counts
 * rule files or folders that could not be read (reported on stderr). */
struct rift_sigma *sigma_load(const struct sigma_opts *o,
                              unsigned long *load_errors);
/* The same with one more mapping (YAML text, may be NULL). */
struct rift_sigma *sigma_load_with(const struct sigma_opts *o,
                                   const char *extra_mapping,
                                   unsigned long *load_errors);

#endif
