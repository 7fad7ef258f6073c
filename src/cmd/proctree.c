/*
 * proctree.c - rift proctree: process trees from event logs, with the
 * activity of each process and a mark on processes that findings name.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/evsrc.h"
#include "core/rtime.h"
#include "detect/endpoint.h"
#include "detect/proctree.h"
#include "detect/winev.h"

static const char usage_str[] =
  "usage: rift proctree [options] EVIDENCE... | CASE\n"
  "\n"
  "Show process trees built from Sysmon (1, 5) and Security (4688, 4689)\n"
  "events of every EVIDENCE file, folder or archive (zip, 7z, tar...;\n"
  "extracted under $TMPDIR), across files and hosts, with\n"
  "what each process did (Sysmon network, DNS, file, registry, image load,\n"
  "remote thread and process access events) and a '!' on processes that\n"
  "the endpoint analytics raised findings on.\n"
  "\n"
  "  -H, --host H       only this host (case-insensitive)\n"
  "  -p, --pid P        processes with this pid: their ancestry and subtree\n"
  "  -g, --guid G       the process with this Sysmon ProcessGuid\n"
  "  -i, --image NAME   processes of this image (file name, or part of the\n"
  "                     path when NAME holds a '\\')\n"
  "  -d, --depth N      show N levels below each selected process\n"
  "  -a, --activity     list each process's activity (default: counts)\n"
  "  -j, --json         one JSON object per tree (per line)\n"
  "      --no-findings  do not run the endpoint analytics\n"
  "      --rules DIR    endpoint rules (default: the built-in copy of\n"
  "                     rules/endpoint, or $RIFT_ENDPOINT_RULES)\n"
  "  -t, --threads N    parser threads (default: one per CPU)\n"
  "  -q, --quiet        do not report damaged input on stderr\n"
  "  -h, --help         this help\n"
  "\n"
  "Processes whose parent is not in the logs hang under an inferred node\n"
  "(marked '?') named after what the child's event says of its parent.\n";

struct opts {
  const char *host, *guid, *image;
  uint64_t pid;
  int have_pid;
  unsigned depth;
  int activity, json, findings;
  const char *rules;
};

struct out {
  struct rift_buf b;
  const struct rift_proctree *pt;
  const struct evsrc *src;
  const struct opts *o;
  int failed;
};

static void flush(struct out *o)
{
  if(o->b.len && !o->failed && write_all(1, o->b.buf, o->b.len))
    o->failed = 1;
  rift_buf_reset(&o->b);
}

static void add_time(struct rift_buf *b, int64_t ts)
{
  char t[RIFT_TIME_FMT_MAX];
  if(ts == RIFT_TIME_NONE) {
    rift_buf_adds(b, "?");
    return;
  }
  rift_buf_add(b, t, rift_time_fmt(t, ts, 3));
}

static void add_pid(struct rift_buf *b, uint64_t pid)
{
  if(pid == UINT64_MAX)
    rift_buf_adds(b, "?");
  else
    rift_buf_add_u64(b, pid);
}

/* one line of text: control characters shown as spaces */
static void add_text(struct rift_buf *b, const char *s)
{
  for(; *s; s++)
    rift_buf_addch(b, (unsigned char)*s < 0x20 ? ' ' : *s);
}

static int selected(const struct rift_proctree *pt, uint32_t k,
                    const struct opts *o)
{
  const struct rift_proc *p = &pt->procs[k];
  if(o->host && (!p->host || strcasecmp(p->host, o->host)))
    return 0;
  if(o->have_pid && p->pid != o->pid)
    return 0;
  if(o->guid && (!p->guid || strcasecmp(p->guid, o->guid)))
    return 0;
  if(o->image) {
    if(!p->image)
      return 0;
    if(strchr(o->image, '\\')) {
      if(!wev_icontains(p->image, strlen(p->image), o->image))
        return 0;
    } else if(strcasecmp(p->name, o->image)) {
      return 0;
    }
  }
  return 1;
}

/* Is an ancestor of k selected too (then k shows in its subtree)? */
static int ancestor_selected(const struct rift_proctree *pt, uint32_t k,
                             const struct opts *o)
{
  unsigned d = 0;
  uint32_t p = pt->procs[k].parent;
  while(p && d++ < RIFT_PT_MAX_DEPTH) {
    if(selected(pt, p, o))
      return (unsigned)(pt->procs[k].depth - pt->procs[p].depth) <= o->depth;
    p = pt->procs[p].parent;
  }
  return 0;
}

static int has_selector(const struct opts *o)
{
  return o->have_pid || o->guid || o->image;
}

/* ---- text ---------------------------------------------------------------- */

static void text_acts(struct out *o, uint32_t k, const char *indent)
{
  const struct rift_proctree *pt = o->pt;
  const struct rift_proc *p = &pt->procs[k];
  uint32_t i;
  char tmp[32];
  if(!p->nact)
    return;
  if(!o->o->activity) {
    int first = 1;
    unsigned kind;
    rift_buf_adds(&o->b, indent);
    rift_buf_adds(&o->b, "   = ");
    for(kind = 0; kind < RIFT_PACT__COUNT; kind++) {
      if(!p->nact_kind[kind])
        continue;
      if(!first)
        rift_buf_adds(&o->b, ", ");
      first = 0;
      rift_buf_adds(&o->b, rift_pact_kind_name(kind));
      rift_buf_addch(&o->b, ' ');
      rift_buf_add_u64(&o->b, p->nact_kind[kind]);
    }
    rift_buf_addch(&o->b, '\n');
    return;
  }
  for(i = 0; i < p->nact; i++) {
    const struct rift_pact *a = rift_proctree_act(pt, k, i);
    rift_buf_adds(&o->b, indent);
    rift_buf_adds(&o->b, "   = ");
    add_time(&o->b, a->ts);
    rift_buf_addch(&o->b, ' ');
    rift_buf_adds(&o->b, rift_pact_kind_name(a->kind));
    rift_buf_addch(&o->b, ' ');
    switch(a->kind) {
    case RIFT_PACT_NET:
      rift_buf_adds(&o->b, a->flags & RIFT_PACT_INITIATED ? "to " : "from ");
      add_text(&o->b, a->a ? a->a : "?");
      rift_buf_addch(&o->b, ':');
      snprintf(tmp, sizeof(tmp), "%u", a->port);
      rift_buf_adds(&o->b, tmp);
      if(a->b) {
        rift_buf_adds(&o->b, " (");
        add_text(&o->b, a->b);
        rift_buf_addch(&o->b, ')');
      }
      break;
    case RIFT_PACT_INJECT:
    case RIFT_PACT_ACCESS:
      add_text(&o->b, a->a ? a->a : "?");
      rift_buf_adds(&o->b, " [");
      rift_buf_add_u64(&o->b, a->tpid);
      rift_buf_addch(&o->b, ']');
      if(a->b) {
        rift_buf_addch(&o->b, ' ');
        add_text(&o->b, a->b);
      }
      if(a->flags & RIFT_PACT_DUMPTRACE)
        rift_buf_adds(&o->b, " (dump call trace)");
      break;
    default:
      add_text(&o->b, a->a ? a->a : "?");
      if(a->b) {
        rift_buf_adds(&o->b, a->kind == RIFT_PACT_DNS ? " -> " : " = ");
        add_text(&o->b, a->b);
      }
      if(a->flags & RIFT_PACT_DELETE)
        rift_buf_adds(&o->b, " (deleted)");
      break;
    }
    rift_buf_addch(&o->b, '\n');
  }
}

static void text_proc(struct out *o, uint32_t k, const char *indent,
                      int last, int ancestor)
{
  const struct rift_proctree *pt = o->pt;
  const struct rift_proc *p = &pt->procs[k];
  char sub[4 * RIFT_PT_MAX_DEPTH];
  uint32_t m;
  (void)ancestor;
  rift_buf_adds(&o->b, indent);
  rift_buf_adds(&o->b, last ? "└─ " : "├─ ");
  if(p->src == RIFT_PROC_INFERRED) {
    rift_buf_adds(&o->b, "? ");
  } else {
    add_time(&o->b, p->start);
    rift_buf_addch(&o->b, ' ');
  }
  add_pid(&o->b, p->pid);
  rift_buf_addch(&o->b, ' ');
  add_text(&o->b, p->name ? p->name : "?");
  if(p->cmdline) {
    rift_buf_adds(&o->b, "  ");
    add_text(&o->b, p->cmdline);
  }
  if(p->user || p->integrity) {
    rift_buf_adds(&o->b, "  [");
    if(p->user)
      add_text(&o->b, p->user);
    if(p->user && p->integrity)
      rift_buf_adds(&o->b, ", ");
    if(p->integrity)
      add_text(&o->b, p->integrity);
    rift_buf_addch(&o->b, ']');
  }
  if(p->src == RIFT_PROC_INFERRED)
    rift_buf_adds(&o->b, "  (not started in the logs)");
  if(p->end != RIFT_TIME_NONE) {
    rift_buf_adds(&o->b, "  exited ");
    add_time(&o->b, p->end);
  }
  if(p->nmarks) {
    rift_buf_adds(&o->b, "  !");
    rift_buf_add_u64(&o->b, p->nmarks);
  }
  rift_buf_addch(&o->b, '\n');
  snprintf(sub, sizeof(sub), "%s%s", indent, last ? "   " : "│  ");
  for(m = p->first_mark; m; m = pt->marks[m].next) {
    const struct rift_pmark *mk = &pt->marks[m];
    rift_buf_adds(&o->b, sub);
    rift_buf_adds(&o->b, "   ! ");
    rift_buf_adds(&o->b, rift_level_name(mk->level));
    rift_buf_addch(&o->b, ' ');
    if(mk->technique) {
      rift_buf_adds(&o->b, mk->technique);
      rift_buf_addch(&o->b, ' ');
    }
    add_text(&o->b, mk->title ? mk->title : mk->rule_id);
    rift_buf_addch(&o->b, '\n');
  }
  text_acts(o, k, sub);
}

static void text_subtree(struct out *o, uint32_t k, const char *indent,
                         int last, unsigned depth)
{
  const struct rift_proctree *pt = o->pt;
  char sub[4 * RIFT_PT_MAX_DEPTH];
  uint32_t c;
  text_proc(o, k, indent, last, 0);
  if(o->b.len > (1u << 20))
    flush(o);
  if(depth >= o->o->depth) {
    if(pt->procs[k].nchildren) {
      rift_buf_adds(&o->b, indent);
      rift_buf_adds(&o->b, last ? "   " : "│  ");
      rift_buf_adds(&o->b, "└─ … ");
      rift_buf_add_u64(&o->b, pt->procs[k].nchildren);
      rift_buf_adds(&o->b, " children not shown (--depth)\n");
    }
    return;
  }
  if(strlen(indent) + 8 >= sizeof(sub))
    return;
  snprintf(sub, sizeof(sub), "%s%s", indent, last ? "   " : "│  ");
  for(c = pt->procs[k].first_child; c; c = pt->procs[c].next_sibling)
    text_subtree(o, c, sub, !pt->procs[c].next_sibling, depth + 1);
}

/* The chain root..k (ancestors of k first), into v; returns its length. */
static unsigned ancestry(const struct rift_proctree *pt, uint32_t k,
                         uint32_t *v)
{
  unsigned n = 0, i;
  while(k && n < RIFT_PT_MAX_DEPTH) {
    v[n++] = k;
    k = pt->procs[k].parent;
  }
  for(i = 0; i < n / 2; i++) {
    uint32_t t = v[i];
    v[i] = v[n - 1 - i];
    v[n - 1 - i] = t;
  }
  return n;
}

static void text_selected(struct out *o, uint32_t k)
{
  const struct rift_proctree *pt = o->pt;
  uint32_t chain[RIFT_PT_MAX_DEPTH];
  char indent[4 * RIFT_PT_MAX_DEPTH];
  unsigned n = ancestry(pt, k, chain), i;
  indent[0] = 0;
  rift_buf_adds(&o->b, "host ");
  rift_buf_adds(&o->b, pt->procs[k].host ? pt->procs[k].host : "?");
  rift_buf_addch(&o->b, '\n');
  for(i = 0; i + 1 < n; i++) {
    size_t l = strlen(indent);
    text_proc(o, chain[i], indent, 1, 1);
    if(l + 4 < sizeof(indent))
      memcpy(indent + l, "   ", 4);
  }
  text_subtree(o, k, indent, 1, 0);
  rift_buf_addch(&o->b, '\n');
  flush(o);
}

/* ---- JSON ------------------------------------------------------------ */

static void jstr(struct rift_buf *b, const char *k, const char *v)
{
  rift_buf_addch(b, '"');
  rift_buf_adds(b, k);
  rift_buf_adds(b, "\":");
  if(!v) {
    rift_buf_adds(b, "null");
    return;
  }
  rift_buf_addch(b, '"');
  rift_buf_add_json(b, v, strlen(v));
  rift_buf_addch(b, '"');
}

static void jtime(struct rift_buf *b, const char *k, int64_t ts)
{
  char t[RIFT_TIME_FMT_MAX];
  rift_buf_addch(b, '"');
  rift_buf_adds(b, k);
  rift_buf_adds(b, "\":");
  if(ts == RIFT_TIME_NONE) {
    rift_buf_adds(b, "null");
    return;
  }
  rift_buf_addch(b, '"');
  rift_buf_add(b, t, rift_time_fmt(t, ts, 6));
  rift_buf_addch(b, '"');
}

static void jpid(struct rift_buf *b, const char *k, uint64_t pid)
{
  rift_buf_addch(b, '"');
  rift_buf_adds(b, k);
  rift_buf_adds(b, "\":");
  if(pid == UINT64_MAX)
    rift_buf_adds(b, "null");
  else
    rift_buf_add_u64(b, pid);
}

static void jref(struct out *o, const struct rift_event_ref *r)
{
  rift_buf_adds(&o->b, "{");
  jstr(&o->b, "file", evsrc_path(o->src, r->file_id));
  rift_buf_adds(&o->b, ",\"offset\":");
  rift_buf_add_u64(&o->b, r->offset);
  rift_buf_adds(&o->b, ",\"record_id\":");
  rift_buf_add_u64(&o->b, r->record_id);
  rift_buf_adds(&o->b, "}");
}

static const char *const src_names[] = { "sysmon", "security", "inferred" };

static void json_proc(struct out *o, uint32_t k, unsigned depth)
{
  const struct rift_proctree *pt = o->pt;
  const struct rift_proc *p = &pt->procs[k];
  struct rift_buf *b = &o->b;
  uint32_t i, c;
  rift_buf_addch(b, '{');
  jstr(b, "host", p->host);
  rift_buf_addch(b, ',');
  jpid(b, "pid", p->pid);
  rift_buf_addch(b, ',');
  jpid(b, "ppid", p->ppid);
  rift_buf_addch(b, ',');
  jstr(b, "guid", p->guid);
  rift_buf_addch(b, ',');
  jstr(b, "image", p->image);
  rift_buf_addch(b, ',');
  jstr(b, "name", p->name);
  rift_buf_addch(b, ',');
  jstr(b, "command_line", p->cmdline);
  rift_buf_addch(b, ',');
  jstr(b, "user", p->user);
  rift_buf_addch(b, ',');
  jstr(b, "integrity_level", p->integrity);
  rift_buf_addch(b, ',');
  jstr(b, "current_directory", p->cwd);
  rift_buf_addch(b, ',');
  jstr(b, "hashes", p->hashes);
  rift_buf_addch(b, ',');
  jstr(b, "logon_id", p->logon_id);
  rift_buf_addch(b, ',');
  jtime(b, "start", p->start);
  rift_buf_addch(b, ',');
  jtime(b, "end", p->end);
  rift_buf_addch(b, ',');
  jstr(b, "source", src_names[p->src < 3 ? p->src : 2]);
  if(p->src != RIFT_PROC_INFERRED) {
    rift_buf_adds(b, ",\"event\":");
    jref(o, &p->ref);
  }
  if(p->has_end_ref) {
    rift_buf_adds(b, ",\"end_event\":");
    jref(o, &p->end_ref);
  }
  rift_buf_adds(b, ",\"findings\":[");
  for(i = p->first_mark; i; i = pt->marks[i].next) {
    const struct rift_pmark *m = &pt->marks[i];
    if(i != p->first_mark)
      rift_buf_addch(b, ',');
    rift_buf_addch(b, '{');
    jstr(b, "rule_id", m->rule_id);
    rift_buf_addch(b, ',');
    jstr(b, "title", m->title);
    rift_buf_addch(b, ',');
    jstr(b, "technique", m->technique);
    rift_buf_addch(b, ',');
    jstr(b, "level", rift_level_name(m->level));
    rift_buf_addch(b, '}');
  }
  rift_buf_adds(b, "],\"activity\":[");
  for(i = 0; i < p->nact; i++) {
    const struct rift_pact *a = rift_proctree_act(pt, k, i);
    if(i)
      rift_buf_addch(b, ',');
    rift_buf_addch(b, '{');
    jstr(b, "kind", rift_pact_kind_name(a->kind));
    rift_buf_addch(b, ',');
    jtime(b, "ts", a->ts);
    switch(a->kind) {
    case RIFT_PACT_NET:
      rift_buf_addch(b, ',');
      jstr(b, "destination_ip", a->a);
      rift_buf_adds(b, ",\"destination_port\":");
      rift_buf_add_u64(b, a->port);
      rift_buf_addch(b, ',');
      jstr(b, "destination_host", a->b);
      rift_buf_adds(b, ",\"initiated\":");
      rift_buf_adds(b, a->flags & RIFT_PACT_INITIATED ? "true" : "false");
      break;
    case RIFT_PACT_DNS:
      rift_buf_addch(b, ',');
      jstr(b, "query", a->a);
      rift_buf_addch(b, ',');
      jstr(b, "results", a->b);
      break;
    case RIFT_PACT_INJECT:
    case RIFT_PACT_ACCESS:
      rift_buf_addch(b, ',');
      jstr(b, "target_image", a->a);
      rift_buf_adds(b, ",\"target_pid\":");
      rift_buf_add_u64(b, a->tpid);
      rift_buf_addch(b, ',');
      jstr(b, a->kind == RIFT_PACT_ACCESS ? "granted_access"
                                          : "start_function", a->b);
      if(a->kind == RIFT_PACT_ACCESS)
        rift_buf_adds(b, a->flags & RIFT_PACT_DUMPTRACE
                           ? ",\"dump_call_trace\":true"
                           : ",\"dump_call_trace\":false");
      break;
    case RIFT_PACT_REG:
      rift_buf_addch(b, ',');
      jstr(b, "target", a->a);
      rift_buf_addch(b, ',');
      jstr(b, "details", a->b);
      rift_buf_adds(b, a->flags & RIFT_PACT_DELETE ? ",\"deleted\":true"
                                                   : ",\"deleted\":false");
      break;
    case RIFT_PACT_IMAGE:
      rift_buf_addch(b, ',');
      jstr(b, "image_loaded", a->a);
      rift_buf_addch(b, ',');
      jstr(b, "signature", a->b);
      break;
    default:
      rift_buf_addch(b, ',');
      jstr(b, "target", a->a);
      break;
    }
    rift_buf_adds(b, ",\"event\":");
    jref(o, &a->ref);
    rift_buf_addch(b, '}');
  }
  rift_buf_adds(b, "],\"children\":[");
  if(depth < o->o->depth) {
    for(c = p->first_child; c; c = pt->procs[c].next_sibling) {
      if(c != p->first_child)
        rift_buf_addch(b, ',');
      json_proc(o, c, depth + 1);
    }
  }
  rift_buf_adds(b, "]}");
}

static void json_selected(struct out *o, uint32_t k)
{
  const struct rift_proctree *pt = o->pt;
  uint32_t chain[RIFT_PT_MAX_DEPTH];
  unsigned n = ancestry(pt, k, chain), i;
  rift_buf_adds(&o->b, "{\"ancestors\":[");
  for(i = 0; i + 1 < n; i++) {
    const struct rift_proc *p = &pt->procs[chain[i]];
    if(i)
      rift_buf_addch(&o->b, ',');
    rift_buf_addch(&o->b, '{');
    jpid(&o->b, "pid", p->pid);
    rift_buf_addch(&o->b, ',');
    jstr(&o->b, "guid", p->guid);
    rift_buf_addch(&o->b, ',');
    jstr(&o->b, "image", p->image);
    rift_buf_addch(&o->b, ',');
    jstr(&o->b, "command_line", p->cmdline);
    rift_buf_addch(&o->b, ',');
    jtime(&o->b, "start", p->start);
    rift_buf_addch(&o->b, '}');
  }
  rift_buf_adds(&o->b, "],\"process\":");
  json_proc(o, k, 0);
  rift_buf_adds(&o->b, "}\n");
  flush(o);
}

/* ---- main ------------------------------------------------------------ */

static rift_err no_emit(void *ctx, const struct rift_finding *f)
{
  (void)ctx;
  (void)f;
  return RIFT_OK;
}

int cmd_proctree(int argc, char **argv)
{
  static const struct option lopts[] = {
    { "host", required_argument, NULL, 'H' },
    { "pid", required_argument, NULL, 'p' },
    { "guid", required_argument, NULL, 'g' },
    { "image", required_argument, NULL, 'i' },
    { "depth", required_argument, NULL, 'd' },
    { "activity", no_argument, NULL, 'a' },
    { "json", no_argument, NULL, 'j' },
    { "no-findings", no_argument, NULL, 'N' },
    { "rules", required_argument, NULL, 'R' },
    { "threads", required_argument, NULL, 't' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  struct opts o;
  struct evsrc src;
  struct rift_endpoint ep;
  struct rift_eprules *rules = NULL;
  struct rift_finding_sink sink = { no_emit, NULL };
  struct out out;
  const struct rift_proctree *pt;
  uint32_t i, shown = 0;
  int c, status;
  rift_err rc;

  memset(&o, 0, sizeof(o));
  memset(&src, 0, sizeof(src));
  o.depth = RIFT_PT_MAX_DEPTH;
  o.findings = 1;
  help_if_asked(argc, argv, usage_str);
  while((c = getopt_long(argc, argv, "H:p:g:i:d:ajt:qh", lopts, NULL)) != -1) {
    switch(c) {
    case 'H': o.host = optarg; break;
    case 'p':
      o.pid = parse_count("--pid", optarg, UINT32_MAX);
      o.have_pid = 1;
      break;
    case 'g': o.guid = optarg; break;
    case 'i': o.image = optarg; break;
    case 'd':
      o.depth = (unsigned)parse_count("--depth", optarg, RIFT_PT_MAX_DEPTH);
      break;
    case 'a': o.activity = 1; break;
    case 'j': o.json = 1; break;
    case 'N': o.findings = 0; break;
    case 'R': o.rules = optarg; break;
    case 't': src.threads = (unsigned)parse_count("--threads", optarg, 256);
      break;
    case 'q': src.quiet = 1; break;
    default: usage_die(usage_str, "unknown option");
    }
  }
  if(optind >= argc)
    usage_die(usage_str, "no evidence given");

  evsrc_endpoint(&src, argv + optind, argc - optind, o.findings, o.rules,
                 o.findings ? RIFT_EP_ALL : RIFT_EP_PROCTREE, &rules, &ep);
  rc = rift_endpoint_finish(&ep, &sink);
  if(rc)
    die("%s", rift_strerror(rc));
  pt = &ep.pt;
  endpoint_report_limits(&ep);

  memset(&out, 0, sizeof(out));
  rift_buf_init(&out.b, RIFT_BUF_MAX_OUTPUT);
  out.pt = pt;
  out.src = &src;
  out.o = &o;
  if(has_selector(&o)) {
    for(i = 1; i < pt->nprocs && !out.failed; i++) {
      if(pt->procs[i].merged || !selected(pt, i, &o) ||
         ancestor_selected(pt, i, &o))
        continue;
      shown++;
      if(o.json)
        json_selected(&out, i);
      else
        text_selected(&out, i);
    }
  } else {
    const char *host = NULL;
    for(i = 0; i < pt->nroots && !out.failed; i++) {
      uint32_t k = pt->roots[i];
      if(o.host && (!pt->procs[k].host ||
                    strcasecmp(pt->procs[k].host, o.host)))
        continue;
      shown++;
      if(o.json) {
        json_selected(&out, k);
        continue;
      }
      if(!host || strcmp(host, pt->procs[k].host ? pt->procs[k].host : "")) {
        host = pt->procs[k].host ? pt->procs[k].host : "";
        if(shown > 1)
          rift_buf_addch(&out.b, '\n');
        rift_buf_adds(&out.b, "host ");
        rift_buf_adds(&out.b, host);
        rift_buf_addch(&out.b, '\n');
      }
      text_subtree(&out, k, "", i + 1 == pt->nroots ||
                   pt->procs[pt->roots[i + 1]].host != pt->procs[k].host,
                   0);
    }
    flush(&out);
  }
  if(!shown && !o.json)
    fprintf(stderr, "rift: no process matches\n");
  status = src.input_errors ? RIFT_EXIT_INPUT_ERRORS : RIFT_EXIT_OK;
  rift_buf_release(&out.b);
  rift_endpoint_release(&ep);
  rift_eprules_free(&rules);
  evsrc_release(&src);
  return status;
}
