/*
 * proctree.h - process trees from Windows event logs.
 *
 * Sources:
 *   Sysmon 1 (process create) and 5 (terminate), keyed by ProcessGuid;
 *   Security 4688 (process create, with or without command-line
 *   auditing) and 4689 (exit), keyed by (host, pid, start time).
 * Activity attached to the process that made it (by ProcessGuid, else by
 * host + pid at that time): Sysmon 3 (network), 7 (image load),
 * 8 (CreateRemoteThread, on the source), 10 (process access, on the
 * source), 11 (file create), 12/13/14 (registry), 17/18 (pipes),
 * 22 (DNS), 23/26 (file delete).
 *
 * Feed every event with rift_proctree_add() (events that are not about
 * processes are ignored), from any number of files and hosts in any
 * order, then call rift_proctree_finish() once.  finish():
 *   - merges a process seen both by Sysmon 1 and by Security 4688 (same
 *     host and pid, start within 2 s, same image name) into one node;
 *   - drops exact duplicates (the same log given twice);
 *   - applies exits, then links each process to its parent: by
 *     ParentProcessGuid, else to the process of that pid on that host
 *     that started last before the child and had not exited (pid reuse
 *     handled by start and exit times);
 *   - keeps orphans: a parent that is not in the logs becomes an
 *     "inferred" node (image, pid and command line as the child's event
 *     names them), shared by its children;
 *   - attaches activity and orders children and activity by time.
 *
 * Memory is bounded by struct rift_proctree_limits (defaults below):
 * processes, activity records, pending exits and interned string bytes
 * each have a cap; what passes a cap is counted in stats and dropped, and
 * the tree built from the rest stays consistent.
 *
 * Node 0 of procs[] is unused: index 0 means "none" in every link.
 * Strings are interned in the tree (valid until rift_proctree_release);
 * host names are lowercased.  Not thread-safe: one thread feeds a tree.
 */
#ifndef RIFT_PROCTREE_H
#define RIFT_PROCTREE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/event.h"
#include "core/finding.h"
#include "core/hmap.h"

/* Default caps (about 200 bytes per process and 100 per activity). */
#define RIFT_PT_MAX_PROCS (2u << 20)        /* process nodes */
#define RIFT_PT_MAX_ACTS (4u << 20)         /* activity records */
#define RIFT_PT_MAX_EXITS (2u << 20)        /* pending exit events */
#define RIFT_PT_MAX_STRBYTES ((size_t)1 << 30) /* interned string bytes */
#define RIFT_PT_MAX_DEPTH 512               /* ancestry walked, tree depth */
#define RIFT_PT_MAX_MARKS (1u << 20)        /* findings marked on processes */

struct rift_proctree_limits {
  uint32_t max_procs, max_acts, max_exits, max_marks;
  size_t max_strbytes;
};

enum rift_proc_src {
  RIFT_PROC_SYSMON,   /* Sysmon 1 */
  RIFT_PROC_SECURITY, /* Security 4688 */
  RIFT_PROC_INFERRED  /* named only as a parent or by its activity */
};

enum rift_pact_kind {
  RIFT_PACT_NET,      /* Sysmon 3: a = destination ip, b = host name,
                         port = destination port, flags INITIATED */
  RIFT_PACT_DNS,      /* Sysmon 22: a = query, b = results */
  RIFT_PACT_FILE,     /* Sysmon 11: a = file */
  RIFT_PACT_FILEDEL,  /* Sysmon 23/26: a = file */
  RIFT_PACT_REG,      /* Sysmon 12/13/14: a = key/value, b = details */
  RIFT_PACT_IMAGE,    /* Sysmon 7: a = image loaded, b = signature */
  RIFT_PACT_INJECT,   /* Sysmon 8 on the source: a = target image,
                         b = start function, tpid = target pid */
  RIFT_PACT_ACCESS,   /* Sysmon 10 on the source: a = target image,
                         b = granted access, tpid = target pid */
  RIFT_PACT_PIPE,     /* Sysmon 17/18: a = pipe name */
  RIFT_PACT__COUNT
};

/* activity flags */
#define RIFT_PACT_INITIATED 0x1  /* network: this process connected out */
#define RIFT_PACT_DUMPTRACE 0x2  /* access: call trace through dbghelp /
                                    dbgcore (a minidump) */
#define RIFT_PACT_UNKNOWNTRACE 0x4 /* access: call trace has UNKNOWN( (code
                                      outside any module) */
#define RIFT_PACT_DELETE 0x8     /* registry: key or value deleted */

const char *rift_pact_kind_name(unsigned k);

struct rift_pact {
  uint32_t proc;          /* owning process (0 until finish) */
  uint8_t kind;           /* enum rift_pact_kind */
  uint8_t flags;
  uint16_t port;
  uint32_t tpid;
  int64_t ts;
  const char *a, *b;      /* see enum rift_pact_kind */
  struct rift_event_ref ref;
  /* how to find the owner (before finish) */
  const char *host, *guid;
  uint64_t pid;
  const char *image;      /* image of the owner as the event names it */
};

struct rift_proc {
  const char *host;       /* lowercased */
  const char *guid;       /* ProcessGuid (Sysmon), or NULL */
  const char *parent_guid;
  uint64_t pid, ppid;     /* UINT64_MAX if unknown */
  int64_t start, end;     /* RIFT_TIME_NONE if unknown */
  const char *image;      /* full path as logged, or NULL */
  const char *name;       /* its last component (points into image) */
  const char *cmdline;    /* NULL when not logged */
  const char *user;       /* DOMAIN\user */
  const char *integrity;  /* Low, Medium, High, System... */
  const char *cwd, *hashes, *logon_id;
  const char *parent_image, *parent_cmdline, *parent_user; /* as logged */
  uint8_t src;            /* enum rift_proc_src */
  uint8_t merged;         /* folded into another node (skip it) */
  uint16_t depth;         /* from its root, after finish */
  struct rift_event_ref ref;      /* the creation event */
  struct rift_event_ref end_ref;  /* the exit event (file_id 0 if none) */
  int has_end_ref;
  uint32_t parent, first_child, next_sibling, nchildren;
  uint32_t act_first, nact;       /* range in rift_proctree.order_act */
  uint32_t nact_kind[RIFT_PACT__COUNT];
  uint32_t first_mark, nmarks;    /* findings naming this process */
};

/* A finding marked on a process (for the tree display). */
struct rift_pmark {
  uint32_t proc;
  uint32_t next;          /* next mark of the same process, 0 = none */
  const char *rule_id, *title, *technique; /* interned; technique may be
                                              NULL */
  uint8_t level;          /* enum rift_level */
};

struct rift_proctree_stats {
  uint64_t creates, exits, activities; /* events taken */
  uint64_t merged;        /* Sysmon 1 / 4688 pairs folded into one */
  uint64_t duplicates;    /* identical creations dropped */
  uint64_t inferred;      /* nodes for parents/owners not in the logs */
  uint64_t orphans;       /* activity whose process could not be found */
  uint64_t dropped_procs, dropped_acts, dropped_exits, dropped_strings,
    dropped_marks;        /* past a cap */
  uint64_t cycles;        /* parent links refused because they would loop */
};

struct pt_exit;

struct rift_proctree {
  struct rift_proctree_limits lim;
  struct rift_proc *procs;   /* [0] unused */
  uint32_t nprocs, capprocs; /* nprocs counts [0] */
  struct rift_pact *acts;
  uint32_t nacts, capacts;
  uint32_t *order_act;       /* activity indices grouped by process */
  struct pt_exit *exits;
  uint32_t nexits, capexits;
  struct rift_pmark *marks;  /* [0] unused */
  uint32_t nmarks, capmarks;
  uint32_t *roots;           /* after finish: roots by host, start */
  uint32_t nroots;
  struct rift_hmap strings;  /* interned strings */
  size_t strbytes;
  struct rift_hmap byguid;   /* "host|guid" -> proc */
  struct rift_hmap orphans;  /* inferred parents without a guid */
  uint32_t *bypid;           /* after finish: procs sorted by host, pid,
                                start */
  uint32_t nbypid;
  int finished;
  struct rift_proctree_stats st;
};

void rift_proctree_init(struct rift_proctree *pt,
                        const struct rift_proctree_limits *lim);
void rift_proctree_release(struct rift_proctree *pt);

/* Take one event (anything else than the events above is ignored).
 * Returns RIFT_NOMEM only; caps are counted in stats, not errors. */
rift_err rift_proctree_add(struct rift_proctree *pt,
                           const struct rift_event *e);
/* Every event of a batch. */
rift_err rift_proctree_add_batch(struct rift_proctree *pt,
                                 const struct rift_batch *b);
/* Build the tree (once, after the last add). */
rift_err rift_proctree_finish(struct rift_proctree *pt);

/* The process of host+pid running at time ts (start <= ts and not exited
 * before ts), or 0.  After finish. */
uint32_t rift_proctree_at(const struct rift_proctree *pt, const char *host,
                          uint64_t pid, int64_t ts);
/* The process with this ProcessGuid on host, or 0. */
uint32_t rift_proctree_by_guid(const struct rift_proctree *pt,
                               const char *host, const char *guid);

/* Record that a finding names process p (shown by `rift proctree`). */
rift_err rift_proctree_mark(struct rift_proctree *pt, uint32_t p,
                            const char *rule_id, const char *title,
                            const char *technique, enum rift_level level);

/* The i-th activity of process p (0 <= i < procs[p].nact). */
static inline const struct rift_pact *
rift_proctree_act(const struct rift_proctree *pt, uint32_t p, uint32_t i)
{
  return &pt->acts[pt->order_act[pt->procs[p].act_first + i]];
}

/* Intern a string in the tree (NULL past the cap). */
const char *rift_proctree_intern(struct rift_proctree *pt, const char *s,
                                 size_t n);

/* Integrity level name from a mandatory label SID (S-1-16-12288 ->
 * "High"), or NULL. */
const char *rift_integrity_from_sid(const char *sid);

#endif
