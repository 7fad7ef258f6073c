/*
 * sigma-int.h - internals of the Sigma engine (src/detect/sigma/).
 *
 * Pipeline inside the module:
 *   yaml.c      YAML text -> struct sy_node trees (libyaml)
 *   rule.c      a document -> struct sg_rule (metadata, validation)
 *   cond.c      condition strings -> struct sg_cx trees
 *   mapping.c   logsource/field mapping files -> struct sg_mapping
 *   value.c     values + modifiers -> struct sg_test (wildcards, encodings)
 *   compile.c   rules -> node trees over tests, the (channel, event id)
 *               index, literal scanners (ac.c) and triggers
 *   match.c     one event -> matching rules (thread-safe)
 *   corr.c      findings, correlation rules
 *
 * Memory: everything built while loading and compiling lives in the set's
 * arena (s->arena) and goes away with rift_sigma_free(); PCRE2 programs
 * and automata are freed there too.
 */
#ifndef RIFT_SIGMA_INT_H
#define RIFT_SIGMA_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/hmap.h"
#include "detect/sigma/sigma.h"

/* ---- YAML (yaml.c) ---------------------------------------------------- */

#define SY_MAX_TEXT (4u << 20)   /* one rule file */
#define SY_MAX_DEPTH 64
#define SY_MAX_NODES 200000      /* per file */
#define SY_MAX_ALIASES 1024
#define SY_MAX_DOCS 4096

enum { SY_SCALAR, SY_SEQ, SY_MAP };

struct sy_node {
  uint8_t kind;
  uint8_t quoted;          /* scalar was quoted (or !!str): never null/bool/number */
  uint32_t line;           /* 1-based */
  uint32_t len;            /* scalar length */
  uint32_t n;              /* sequence items, or map pairs */
  const char *s;           /* scalar text, NUL-terminated */
  struct sy_node **kids;   /* seq: items; map: key0, val0, key1, val1... */
};

rift_err sy_parse(struct rift_arena *a, const char *text, size_t len,
                  struct sy_node ***docs, size_t *ndocs, char *err,
                  size_t errlen);
struct sy_node *sy_get(const struct sy_node *map, const char *key);
const char *sy_str(const struct sy_node *n);  /* scalar text or NULL */
int sy_is_null(const struct sy_node *n);
int sy_is_bool(const struct sy_node *n, int *v);
int sy_is_number(const struct sy_node *n);

/* ---- rules (rule.c) --------------------------------------------------- */

enum sg_kind { SG_DETECTION, SG_CORRELATION, SG_FILTER };

enum sg_corr_type {
  SG_EVENT_COUNT, SG_VALUE_COUNT, SG_TEMPORAL, SG_TEMPORAL_ORDERED,
  SG_VALUE_SUM, SG_VALUE_AVG
};

enum sg_cmp { SG_GT, SG_GTE, SG_LT, SG_LTE, SG_EQ, SG_NEQ };

struct sg_alias {          /* correlation field alias */
  const char *alias;
  const char **rule;       /* rule name or id per entry */
  const char **field;
  uint32_t n;
};

struct sg_corr {
  enum sg_corr_type type;
  const char **refs;       /* rule ids or names as written */
  uint32_t nrefs;
  uint32_t *ref_rules;     /* resolved rule indices */
  const char **group_by;
  uint32_t ngroup;
  int64_t timespan;        /* ns */
  struct { enum sg_cmp op; double v; } cond[6];
  uint32_t ncond;
  const char **fields;     /* value_count/sum/avg field(s) */
  uint32_t nfields;
  struct sg_alias *aliases;
  uint32_t naliases;
  int generate;
  int order;               /* evaluation order among correlations */
};

struct sg_filter {
  const char **refs;
  uint32_t nrefs;
};

struct sg_cfield {
  const char *name;        /* Sigma field name (or alias target) */
  const uint32_t *f;       /* rift field ids over the rule's variants */
  uint32_t nf;
};

struct sg_rule {
  struct rift_sigma_rule pub;
  enum sg_kind kind;
  const struct sy_node *doc;
  const struct sy_node *detection;   /* detection or filter section */
  const char *category, *product, *service;
  struct sg_corr *corr;
  struct sg_filter *filter;
  uint32_t *filters;       /* filter rules applying to this rule */
  uint32_t nfilters;
  uint32_t first_entry, nentries;
  struct sg_cfield *cf;    /* fields correlations read from its events */
  uint32_t ncf;
  const char **tagv;       /* backing arrays of pub.tags/pub.techniques */
  const char **techv;
  int used_by_corr;
};

/* Fill r from a YAML document; sets state/reason on problems. */
void sg_rule_read(struct rift_sigma *s, struct sg_rule *r,
                  const struct sy_node *doc);
void sg_rule_fail(struct rift_sigma *s, struct sg_rule *r,
                  enum rift_sigma_state st, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));

/* ---- conditions (cond.c) --------------------------------------------- */

enum sg_cxop { CX_AND, CX_OR, CX_NOT, CX_ID, CX_OF };

struct sg_cx {
  enum sg_cxop op;
  struct sg_cx *a, *b;     /* AND/OR: a, b; NOT: a */
  const char *id;          /* CX_ID: identifier; CX_OF: pattern or NULL = them */
  uint32_t count;          /* CX_OF: N of (0 = all) */
};

#define SG_MAX_CX_DEPTH 64

/* Parse a condition; NULL with err filled on error. */
struct sg_cx *sg_cond_parse(struct rift_arena *a, const char *s, char *err,
                            size_t errlen);
/* Sigma identifier pattern match (only '*' is special). */
int sg_wild_match(const char *pat, const char *s);

/* ---- mappings (mapping.c) -------------------------------------------- */

struct sg_source {         /* one kind of rift event a logsource selects */
  const char *kind;        /* rift source kind name ("evtx") */
  const char *channel;     /* winlog.channel, or NULL = any */
  uint32_t *ids;           /* event ids, NULL = any */
  uint32_t nids;
  const struct sy_node *where;   /* extra selection (Sigma syntax) or NULL */
  const struct sy_node *rename;  /* Sigma field -> source field name */
};

struct sg_product;

struct sg_logsource {
  const char *category, *service;
  struct sg_product *prod;
  struct sg_source *src;
  uint32_t nsrc;
  const char *unsupported; /* reason when rift has no events for it */
};

struct sg_product {
  const char *product;     /* "windows", or NULL for product-less entries */
  const struct sy_node *fields;  /* Sigma name -> rift field name */
  const char *field_default;     /* "winlog.event_data.{}" */
  const char *field_fallback;    /* "winlog.user_data.{}" or NULL */
  int fields_only;               /* a name not in fields (nor a rift field
                                    name) makes the rule unsupported */
  const char *mapname;
};

struct sg_mapping {
  struct sg_logsource *ls;
  uint32_t nls, capls;
};

rift_err sg_mapping_add(struct rift_sigma *s, const char *text, size_t len,
                        const char *name, struct rift_diag *d);

/* ---- compiled form (compile.c, value.c) ------------------------------- */

enum sg_tkind {
  /* literal tests found by the scanners */
  T_EQ, T_PREFIX, T_SUFFIX, T_CONTAINS,
  /* evaluated on demand */
  T_GLOB, T_RE, T_CIDR, T_CMP, T_FIELDREF, T_EXISTS, T_NULL, T_EMPTY,
  T_ANY,        /* field present with any value ("*", contains '') */
  T_TIME        /* timestamp part compared with a number */
};
/* A test with no field (nf == 0) is a keyword: it reads every value of
 * the event; the scanners keep such literals under field id 0. */

#define SG_SCANNED(k) ((k) <= T_CONTAINS)

enum sg_fref { FR_EQ, FR_PREFIX, FR_SUFFIX, FR_CONTAINS };
enum sg_tpart { TP_MINUTE, TP_HOUR, TP_DAY, TP_WEEK, TP_MONTH, TP_YEAR };

struct sg_test {
  uint8_t kind;
  uint8_t cased;
  uint8_t op;              /* T_CMP/T_TIME: enum sg_cmp; T_FIELDREF: sg_fref;
                              T_EXISTS: wanted */
  uint8_t fam;             /* T_CIDR: 4 or 6 */
  const uint32_t *f;       /* rift field ids the Sigma field reads */
  uint32_t nf;             /* 0 for keywords (every value of the event) */
  const char *lit;         /* literal (lowercase unless cased) or glob */
  const char *orig;        /* as written (cased compare) */
  const uint8_t *mask;     /* T_GLOB: 1 = '*', 2 = '?' per byte of lit */
  uint32_t len;
  uint32_t piece;          /* T_GLOB: T_CONTAINS test of its longest literal
                              piece, UINT32_MAX if none */
  const uint32_t *rf;      /* T_FIELDREF: the other field's ids */
  uint32_t nrf;
  double num;              /* T_CMP, T_TIME */
  uint8_t addr[16];        /* T_CIDR network */
  uint32_t bits;
  void *re;                /* T_RE: pcre2_code_8 * */
  const char *key;         /* dedup key */
};

enum sg_nop { N_AND, N_OR, N_NOT, N_TEST, N_CONST, N_ATLEAST };

struct sg_node {
  uint8_t op;
  uint8_t val;             /* N_CONST */
  uint32_t n;              /* kids (N_ATLEAST: kids, threshold in val32) */
  uint32_t a;              /* first kid in s->kids, or test id */
  uint32_t k;              /* N_ATLEAST threshold */
};

struct sg_entry {          /* one rule under one logsource variant */
  uint32_t rule;
  uint32_t root;           /* node */
  uint32_t var;            /* variant index inside the rule */
};

/* Literal scanner over one field's values in one key. */
struct sg_out {            /* what a pattern hit means */
  uint32_t test;
  uint8_t kind;            /* T_EQ/T_PREFIX/T_SUFFIX/T_CONTAINS */
  uint8_t cased;
  uint32_t trig, ntrig;    /* entries triggered (in key->trig) */
};

struct sg_ac;              /* ac.c */

struct sg_exact {          /* hash slot for T_EQ literals */
  uint64_t h;
  const char *lit;         /* lowercase */
  uint32_t len;
  uint32_t out, nout;      /* in scan->outs */
};

struct sg_scan {
  uint32_t field;          /* for messages */
  struct sg_exact *ex;     /* open addressing, excap slots (power of 2) */
  uint32_t excap;
  struct sg_ac *ac;        /* prefix/suffix/contains literals, or NULL */
  struct sg_out *outs;
  uint32_t nouts;
  uint32_t *pat_out;       /* per AC pattern: first out, count (2 each) */
  uint32_t *pat_len;       /* per AC pattern: length */
};

struct sg_key {
  const char *src;         /* channel (lowercase) or "@kind" */
  uint32_t id;             /* event id, UINT32_MAX = any */
  uint32_t *entries;       /* every entry that applies (sorted) */
  uint32_t nentries;
  uint32_t *always;        /* entries evaluated for every event */
  uint32_t nalways;
  struct sg_scan *scans;
  uint32_t nscans;
  const struct sg_scan *anyscan;  /* keyword literals (field 0), or NULL */
  int any_numbers;         /* some keyword literal can occur in a number's
                              text: numeric values are scanned too */
  uint32_t *ftab;          /* field id -> scan index + 1 (open addressing) */
  uint32_t *ftab_key;
  uint32_t ftcap;
  uint32_t *trig;          /* entry lists referenced by sg_out */
  uint32_t ntrig;
};

struct rift_sigma {
  struct rift_arena arena;
  struct sg_rule *rules;
  size_t nrules, caprules;
  size_t nfiles;
  struct sg_mapping map;
  struct rift_hmap placeholders;  /* name -> struct sy_node * (seq/scalar) */
  int compiled;

  /* compiled */
  struct sg_test *tests;
  uint32_t ntests, captests;
  struct rift_hmap testidx;       /* test key -> index */
  struct sg_node *nodes;
  uint32_t nnodes, capnodes;
  uint32_t *kids;
  uint32_t nkids, capkids;
  struct sg_entry *entries;
  uint32_t nentries, capentries;
  struct sg_key *keys;
  uint32_t nkeys;
  struct rift_hmap keyidx;        /* "src\0id" -> key index */
  uint32_t global_key;            /* per kind "@evtx" any, or UINT32_MAX */
  uint32_t *corr_order;           /* correlation rules in evaluation order */
  uint32_t ncorr;
  size_t npatterns, nregex;
  struct rift_hmap acidx;         /* pattern list -> index in acs */
  struct sg_ac **acs;             /* every automaton, shared by keys */
  uint32_t nacs, capacs;
  size_t acbytes;
  uint32_t f_channel, f_event_id; /* field ids for the key */
};

/* value.c: compile one detection item (field with modifiers + values) to a
 * node; returns the node index or UINT32_MAX with err filled. */
struct sg_ctx {
  struct rift_sigma *s;
  struct sg_rule *r;
  const struct sg_product *prod;
  const struct sy_node *rename;
  char *err;
  size_t errlen;
  int unsupported;         /* err is a limitation, not invalid Sigma */
  uint32_t nvalues;        /* values expanded so far (cap) */
};

uint32_t sg_item(struct sg_ctx *c, const char *key, const struct sy_node *val,
                 unsigned line);
/* Resolve a Sigma field name to rift field ids (interned list). */
const uint32_t *sg_fields(struct sg_ctx *c, const char *name, uint32_t *n);
uint32_t sg_new_node(struct rift_sigma *s, uint8_t op, uint32_t n,
                     uint32_t a);
uint32_t sg_node_list(struct rift_sigma *s, uint8_t op, const uint32_t *kids,
                      uint32_t n);
uint32_t sg_intern_test(struct rift_sigma *s, struct sg_test *t);
void sg_errf(struct sg_ctx *c, int unsupported, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* ASCII lowercase table (value.c). */
extern const uint8_t sg_lower[256];

/* Glob match (T_GLOB): lit/mask pattern against s (lowercased compare
 * unless cased). */
int sg_glob(const char *p, const uint8_t *mask, size_t pn, const char *s,
            size_t sn, int cased);

/* ---- automaton (ac.c) ------------------------------------------------- */

/* Build over n lowercase patterns; NULL on failure. */
struct sg_ac *sg_ac_build(const char *const *pats, const uint32_t *lens,
                          uint32_t n);
void sg_ac_free(struct sg_ac *ac);
size_t sg_ac_size(const struct sg_ac *ac);
/* Scan s (case-insensitively); fn(arg, pattern, end offset) per hit. */
typedef void (*sg_ac_fn)(void *arg, uint32_t pat, size_t end);
void sg_ac_scan(const struct sg_ac *ac, const char *s, size_t n, sg_ac_fn fn,
                void *arg);

/* Generation of the field-name cache of match.c; compile bumps it. */
extern _Atomic uint32_t sg_canon_gen;

/* ---- correlation (corr.c) -------------------------------------------- */

int sg_corr_resolve(struct rift_sigma *s);
/* Rift field ids a Sigma field name reads in a detection rule's events,
 * over all its logsource variants (compile.c); NULL if none. */
const uint32_t *sg_rule_field(struct rift_sigma *s, struct sg_rule *r,
                              const char *name, uint32_t *n);

#endif
