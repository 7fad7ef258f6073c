/*
 * eprules.h - the endpoint analytics' rules: lists, thresholds and
 * indicators, as data (rules/endpoint/ (YAML)), not code.
 *
 * Files (all optional but behaviour.yaml):
 *   behaviour.yaml   thresholds of the behaviour detectors, the lists of
 *                    LOLBins, document readers, discovery commands...
 *   logons.yaml      thresholds of the logon detectors
 *   indicators*.yaml single-event, single-process and single-activity
 *                    rules (see rules/endpoint/README.md for the syntax)
 *
 * rift_eprules_load(&r, dir, d) reads every *.yaml of dir in name order;
 * dir NULL means $RIFT_ENDPOINT_RULES if set, else the copy built into
 * the binary (generated from rules/endpoint at build time), so the
 * defaults travel with the program.  Errors name the file and line.
 *
 * Regular expressions are PCRE2, matched case-insensitively (Windows
 * names are), in byte mode.  Every list and count has a cap
 * (RIFT_EPR_MAX_*); a file past a cap is an error, not a silent cut.
 *
 * The struct is read-only after load and may be shared between threads,
 * except rift_epr_match() which uses per-thread match data: call it from
 * one thread, or give each thread its own struct rift_epr_mctx.
 */
#ifndef RIFT_EPRULES_H
#define RIFT_EPRULES_H

#include <stddef.h>
#include <stdint.h>

#include "core/blob.h"
#include "core/diag.h"
#include "core/err.h"
#include "core/finding.h"

#define RIFT_EPR_MAX_RULES 4096
#define RIFT_EPR_MAX_LIST 4096       /* entries of one list */
#define RIFT_EPR_MAX_TECHNIQUES 16   /* ATT&CK ids of one rule */
#define RIFT_EPR_MAX_CONDS 32        /* field conditions of one rule */
#define RIFT_EPR_MAX_ALTS 32         /* alternatives of one rule */
#define RIFT_EPR_MAX_EVENTS 64       /* (source, EventID) of one rule */
#define RIFT_EPR_MAX_FILE (4u << 20) /* bytes of one rules file */
#define RIFT_EPR_MAX_FILES 256       /* rules files in a folder */

struct rift_epr_re;   /* a compiled regular expression */

/* What a finding says about itself (shared by every finding of a rule). */
struct rift_epr_meta {
  const char *id, *title;
  enum rift_level level;
  const char *const *techniques; /* NULL-ended */
  const char *source;            /* detector name for the finding */
  int64_t group_ns;              /* merge hits on one host within this */
};

/* Pseudo-fields of process and activity rules. */
enum rift_epr_pf {
  EPR_PF_IMAGE, EPR_PF_NAME, EPR_PF_CMDLINE, EPR_PF_PARENT_IMAGE,
  EPR_PF_PARENT_NAME, EPR_PF_PARENT_CMDLINE, EPR_PF_USER, EPR_PF_INTEGRITY,
  EPR_PF_TARGET, EPR_PF_DETAILS, EPR_PF_PORT, EPR_PF_CHANNEL,
  EPR_PF_PROVIDER,
  EPR_PF__COUNT
};

struct rift_epr_cond {
  int pf;              /* enum rift_epr_pf, or -1 for an event field */
  uint32_t fid_data, fid_user; /* winlog.event_data./user_data.<Name> */
  const char *name;    /* as written */
  struct rift_epr_re *re;
  int absent;          /* "~": the field must be missing or empty */
};

/* All of conds must match. */
struct rift_epr_alt {
  struct rift_epr_cond *conds;
  size_t nconds;
};

/* command rules see every command: process command lines (with the
 * process fields) and PowerShell text (4104 script blocks, 4103 payloads,
 * 800 pipeline commands, 400 host command lines) as command_line */
enum rift_epr_on { EPR_ON_EVENT, EPR_ON_PROCESS, EPR_ON_ACTIVITY,
                   EPR_ON_COMMAND };

struct rift_epr_rule {
  struct rift_epr_meta meta;
  enum rift_epr_on on;
  int act_kind;        /* enum rift_pact_kind for activity rules */
  struct { int src; unsigned id; } *events; /* event rules: any of */
  size_t nevents;
  struct rift_epr_alt *match; /* any of (none = always) */
  size_t nmatch;
  struct rift_epr_alt *not;   /* none of */
  size_t nnot;
  const char *message; /* template: {Field} or {pseudo} substituted */
  const char *file;    /* where it was defined */
  int line;
};

/* A name (image file name, lower-case) with techniques. */
struct rift_epr_name {
  const char *name;
  const char *const *techniques;
};

/* A discovery command: one of names, with args matching (or any args). */
struct rift_epr_disc {
  const char *const *names; /* NULL-ended, lower-case */
  struct rift_epr_re *args; /* may be NULL */
  const char *what;
  const char *const *techniques;
};

struct rift_eprules {
  /* behaviour.yaml */
  struct rift_epr_name *lolbins, *readers;
  size_t nlolbins, nreaders;
  const char *const *child_ignore;   /* children that never count */
  struct rift_epr_disc *disc;
  size_t ndisc;
  uint32_t many_children;            /* children ... */
  int64_t many_children_ns;          /* ... within this */
  uint32_t burst_distinct;           /* distinct discovery commands ... */
  int64_t burst_ns;                  /* ... within this */
  uint32_t ps_min_encoded;           /* base64 chars of an -enc argument */
  double ps_obfuscation;             /* share of obfuscation characters */
  uint32_t ps_min_len;               /* shortest text scored for it */
  const char *const *lsass_ignore;   /* processes whose lsass access is
                                        routine (file names) */
  /* logons.yaml */
  uint32_t brute_failures;     /* failures for one account from one source */
  int64_t brute_ns;
  uint32_t spray_accounts;     /* distinct accounts failing from a source */
  int64_t spray_ns;
  uint32_t success_after;      /* failures then a success */
  uint32_t explicit_accounts;  /* 4648 to distinct accounts by one user */
  int64_t explicit_ns;
  uint32_t tgs_services;       /* 4769 for distinct services by one user */
  int64_t tgs_ns;
  /* indicators */
  struct rift_epr_rule *rules;
  size_t nrules;
  /* metadata of the built-in detectors, by id */
  struct rift_epr_meta *builtin;
  size_t nbuiltin;
  const char *origin;          /* where the rules came from */
  void *priv;                  /* allocations */
};

rift_err rift_eprules_load(struct rift_eprules **r, const char *dir,
                           struct rift_diag *d);
/* Load from YAML texts (name, text) pairs instead of files (tests). */
rift_err rift_eprules_load_texts(struct rift_eprules **r,
                                 const char *const *names,
                                 const char *const *texts, size_t n,
                                 struct rift_diag *d);
void rift_eprules_free(struct rift_eprules **r);

/* The metadata of a built-in detector (id as in behaviour.yaml/logons.yaml
 * "detectors:"), or a fallback with that id. */
const struct rift_epr_meta *rift_eprules_meta(const struct rift_eprules *r,
                                              const char *id);

/* Does re match s[0..n)?  1 yes, 0 no. */
int rift_epr_match(const struct rift_epr_re *re, const char *s, size_t n);

/* Look a file name up in a list (case-insensitive); NULL if absent. */
const struct rift_epr_name *rift_epr_find(const struct rift_epr_name *v,
                                          size_t n, const char *name);
int rift_epr_in(const char *const *list, const char *name);

/* The built-in copy of rules/endpoint (scripts/embed.py), by file name. */
extern const struct rift_blob rift_epr_builtin[];

#endif
