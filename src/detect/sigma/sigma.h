/*
 * sigma.h - the Sigma detection engine.
 *
 * Sigma rules (https://sigmahq.io, specification 2.1) are loaded from YAML
 * files, compiled once into a struct rift_sigma and matched against struct
 * rift_event (core/event.h) from any number of threads.
 *
 *   struct rift_sigma *s;
 *   rift_sigma_new(&s);
 *   rift_sigma_add_builtin_mappings(s);    -- rules/mappings/
 *   rift_sigma_add_path(s, "rules/", &d);  -- files or folders, repeatable
 *   rift_sigma_compile(s);
 *   ... per thread:  rift_sigma_scratch_new(s, &scr);
 *                    n = rift_sigma_match(s, scr, ev, hits, max);
 *   ... in order:    rift_sigma_run_event(run, ev, hits, n);  (findings)
 *   rift_sigma_run_finish(run);                  (correlations, at the end)
 *
 * What Sigma logsources mean in rift events (channels, event ids) and how
 * Sigma field names become rift fields is data: the mapping files in
 * rules/mappings/, built into the binary and replaceable at run time.
 *
 * Every rule document ends up in one of three states, and `rift rules
 * check` lists them all: ACTIVE (compiled and matched), UNSUPPORTED (valid
 * Sigma that rift cannot run, e.g. a logsource with no rift events or a
 * placeholder without values: the reason says which) or INVALID (not valid
 * Sigma: the reason names the problem and its line).
 *
 * Thread model: after rift_sigma_compile() the struct rift_sigma is
 * immutable and shared; each thread matches with its own scratch.  A
 * struct rift_sigma_run (findings and correlation state) belongs to one
 * thread, fed in input order.
 */
#ifndef RIFT_SIGMA_H
#define RIFT_SIGMA_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/event.h"
#include "core/finding.h"

/* Limits on hostile rule sets. */
#define RIFT_SIGMA_MAX_RULES 200000       /* rule documents in one set */
#define RIFT_SIGMA_MAX_FILES 100000       /* rule files walked */
#define RIFT_SIGMA_MAX_DIR_DEPTH 32       /* folder nesting */
#define RIFT_SIGMA_MAX_VALUES 20000       /* values one rule expands to */
#define RIFT_SIGMA_MAX_COND 4096          /* condition length, characters */
#define RIFT_SIGMA_MAX_CORR_MATCHES 5000000 /* base matches kept for correlations */

enum rift_sigma_state {
  RIFT_SIGMA_ACTIVE,       /* compiled; matched against events */
  RIFT_SIGMA_UNSUPPORTED,  /* valid Sigma rift cannot run (reason says why) */
  RIFT_SIGMA_INVALID       /* not valid Sigma (reason says what) */
};

const char *rift_sigma_state_name(enum rift_sigma_state s);

/* A read-only view of one rule document. */
struct rift_sigma_rule {
  const char *path;        /* file it came from ("<builtin>/..." if embedded) */
  unsigned doc;            /* YAML document index in the file (0-based) */
  unsigned line;           /* line of the document start */
  const char *kind;        /* "detection", "correlation" or "filter" */
  const char *id;          /* may be NULL */
  const char *name;        /* Sigma `name`, may be NULL */
  const char *title;       /* never NULL ("" if missing) */
  const char *status;      /* may be NULL */
  enum rift_level level;
  const char *logsource;   /* "product=windows category=process_creation" */
  const char *const *techniques; /* ATT&CK ids "T1059.001", NULL-ended */
  const char *const *tags;       /* all tags as written, NULL-ended */
  enum rift_sigma_state state;
  const char *reason;      /* NULL when ACTIVE */
  int hidden;              /* only feeds correlations (generate: false) */
};

struct rift_sigma;
struct rift_sigma_scratch;
struct rift_sigma_run;

rift_err rift_sigma_new(struct rift_sigma **s);
void rift_sigma_free(struct rift_sigma **s);

/* Logsource/field mappings: YAML text in the format of rules/mappings/.
 * Problems go to d.  _add_builtin_mappings adds the ones built into rift. */
rift_err rift_sigma_add_mapping(struct rift_sigma *s, const char *text,
                                size_t len, const char *name,
                                struct rift_diag *d);
rift_err rift_sigma_add_builtin_mappings(struct rift_sigma *s,
                                         struct rift_diag *d);

/* Placeholder values for the `expand` modifier: a YAML map of name (with
 * or without %...%) to a string or a list of strings. */
rift_err rift_sigma_add_placeholders(struct rift_sigma *s, const char *text,
                                     size_t len, const char *name,
                                     struct rift_diag *d);

/* Rules: one file (YAML, one or more documents), or a folder or archive
 * (zip, tar.gz... such as SigmaHQ's release packs, extracted under $TMPDIR)
 * walked recursively for *.yml and *.yaml, hidden entries (.git) passed
 * over.  Files that cannot be read are reported to d; documents that are
 * not valid Sigma become INVALID rules (they are listed, never dropped).
 * RIFT_IO if path itself cannot be read, RIFT_LIMIT past the caps. */
rift_err rift_sigma_add_path(struct rift_sigma *s, const char *path,
                             struct rift_diag *d);
rift_err rift_sigma_add_text(struct rift_sigma *s, const char *text,
                             size_t len, const char *name);
/* rift's own rules (rules/ in the source tree), built in. */
rift_err rift_sigma_add_builtin_rules(struct rift_sigma *s);

/* Resolve correlations and filters, compile every rule, build the index.
 * Rules that cannot be compiled become UNSUPPORTED/INVALID; the call only
 * fails for lack of memory.  No rules may be added afterwards. */
rift_err rift_sigma_compile(struct rift_sigma *s);

size_t rift_sigma_count(const struct rift_sigma *s);
const struct rift_sigma_rule *rift_sigma_rule(const struct rift_sigma *s,
                                              size_t i);

/* Statistics of the compiled set (for rules check and benchmarks). */
struct rift_sigma_stats {
  size_t rules, active, unsupported, invalid, correlations, filters;
  size_t entries;      /* (rule, logsource variant) pairs compiled */
  size_t tests;        /* distinct field tests */
  size_t keys;         /* (channel, event id) index keys */
  size_t patterns;     /* literal patterns in the prefilter automata */
  size_t regexes;      /* PCRE2 programs (JIT compiled when available) */
};
void rift_sigma_get_stats(const struct rift_sigma *s,
                          struct rift_sigma_stats *st);

/* ---- matching (any thread) ------------------------------------------- */

rift_err rift_sigma_scratch_new(const struct rift_sigma *s,
                                struct rift_sigma_scratch **scr);
void rift_sigma_scratch_free(struct rift_sigma_scratch **scr);

/* The indices of the rules that match ev, written to hits (at most max,
 * ascending); returns how many matched (may exceed max: the rest are
 * dropped).  Includes hidden rules that only feed correlations. */
size_t rift_sigma_match(const struct rift_sigma *s,
                        struct rift_sigma_scratch *scr,
                        const struct rift_event *ev, uint32_t *hits,
                        size_t max);

/* ---- findings and correlations (one thread, input order) ------------- */

struct rift_sigma_run_opts {
  enum rift_level min_level;           /* findings below are not emitted */
  struct rift_finding_sink *sink;      /* where findings go */
};

rift_err rift_sigma_run_new(const struct rift_sigma *s,
                            const struct rift_sigma_run_opts *o,
                            struct rift_sigma_run **run);
void rift_sigma_run_free(struct rift_sigma_run **run);

/* One event and the rules it matched (from rift_sigma_match): emits a
 * finding per visible rule and keeps what correlations need. */
rift_err rift_sigma_run_event(struct rift_sigma_run *run,
                              const struct rift_event *ev,
                              const uint32_t *hits, size_t n);
/* After the last event: evaluate correlation rules (their inputs sorted
 * by time), emit their findings. */
rift_err rift_sigma_run_finish(struct rift_sigma_run *run);

/* Matches not kept for correlations because RIFT_SIGMA_MAX_CORR_MATCHES
 * were already kept (correlations may then miss findings). */
uint64_t rift_sigma_run_dropped(const struct rift_sigma_run *run);

/* Findings emitted per rule so far (index as rift_sigma_rule()). */
uint64_t rift_sigma_run_count(const struct rift_sigma_run *run, size_t rule);

#endif
