/*
 * dump.c - rift dump: print the records of an artifact.
 *
 * Chunks are parsed in parallel (rift_pool_map_ordered) and written in
 * file order; each in-flight chunk has its own parser context, output
 * buffer and list of problems, so output and messages stay deterministic.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/pool.h"
#include "core/progress.h"
#include "fmt/evtx.h"
#include "fmt/format.h"
#include "out/evjson.h"
#include "source/source.h"

static const char usage_str[] =
  "usage: rift dump [options] FILE...\n"
  "\n"
  "Print the records of each FILE (Windows event logs: .evtx, including\n"
  "dirty, damaged, forwarded-event and misnamed .evt files).\n"
  "\n"
  "  -f, --format FMT   jsonl (default: one JSON object per record, in the\n"
  "                     shape of evtx_dump), json (a pretty-printed JSON\n"
  "                     array) or xml (like libevtx's evtxexport)\n"
  "  -t, --threads N    parser threads (default: one per CPU)\n"
  "      --carve        also recover records from chunk slack and damaged\n"
  "                     chunks (marked \"rift_carved\": true in JSON)\n"
  "  -q, --quiet        do not report damaged input on stderr\n"
  "      --stats        print per-file record counts on stderr\n"
  "  -h, --help         this help\n"
  "\n"
  "Damaged chunks and records are reported on stderr (file, chunk, offset,\n"
  "reason) and skipped; the exit status is 1 if any were found.\n";

struct msgs {
  struct rift_buf text; /* formatted lines for stderr */
};

/* Each slot is written by one runner for every record (the buffer's length,
 * counts): cache-line aligned so two runners never share a line. */
struct slot {
  _Alignas(64) struct rift_evtx_ctx *ctx;
  struct rift_buf out;
  struct msgs msgs;
  struct rift_evtx_stats st;
  rift_err rc;
  size_t fail_chunk;
  size_t nrec;
};

struct job {
  struct rift_evtx evtx;
  enum rift_evtx_format fmt;
  unsigned flags;
  int quiet;
  const char *path;
  size_t nrec_total;  /* records written so far (for JSON commas) */
  struct rift_evtx_stats st;
  int write_failed;
  struct rift_progress prog;
  uint64_t forgot; /* bytes of the file dropped from memory */
};

static void collect(void *ctx, const struct rift_diag_msg *m)
{
  struct msgs *ms = ctx;
  if(m->offset != UINT64_MAX)
    rift_buf_addf(&ms->text, "rift: %s: %s at offset 0x%llx: %s\n",
                  m->path ? m->path : "-",
                  m->level == RIFT_DIAG_ERROR ? "error" : "warning",
                  (unsigned long long)m->offset, m->text);
  else
    rift_buf_addf(&ms->text, "rift: %s: %s: %s\n", m->path ? m->path : "-",
                  m->level == RIFT_DIAG_ERROR ? "error" : "warning", m->text);
}

struct rec_arg {
  struct slot *s;
  struct job *j;
};

static rift_err on_record(void *arg, const struct rift_evtx_record *r)
{
  struct rec_arg *ra = arg;
  struct rift_buf *b = &ra->s->out;
  size_t start = b->len;
  rift_err rc;
  if(ra->j->fmt == RIFT_EVTX_JSON_PRETTY && ra->s->nrec)
    rift_buf_add(b, ",\n", 2);
  rc = rift_evtx_render(b, r, ra->j->fmt);
  if(rc) {
    rift_buf_setlen(b, start); /* a damaged record leaves nothing behind */
    return rc;
  }
  if(r->carved && ra->j->fmt != RIFT_EVTX_XML && b->len &&
     b->buf[b->len - 1] == '}') {
    /* mark carved records inside the object */
    b->len--;
    rift_buf_adds(b, ",\"rift_carved\":true}");
  }
  if(ra->j->fmt == RIFT_EVTX_JSON)
    rift_buf_addch(b, '\n');
  else if(ra->j->fmt == RIFT_EVTX_XML)
    rift_buf_addch(b, '\n');
  ra->s->nrec++;
  return b->err;
}

static void work(void *ctx, size_t i, void *slotp)
{
  struct job *j = ctx;
  struct slot *s = slotp;
  struct rift_diag d;
  struct rec_arg ra = { s, j };
  struct rift_evtx_job jb;
  rift_buf_reset(&s->out);
  rift_buf_reset(&s->msgs.text);
  memset(&s->st, 0, sizeof(s->st));
  s->nrec = 0;
  rift_diag_init(&d, j->path, collect, &s->msgs);
  rift_evtx_job(&j->evtx, i, &jb);
  s->rc = rift_evtx_job_run(&j->evtx, s->ctx, &jb, j->flags | RIFT_EVTX_LAZY,
                            on_record, &ra, &d, &s->st, &s->fail_chunk);
}

static void emit(void *ctx, size_t i, void *slotp)
{
  struct job *j = ctx;
  struct slot *s = slotp;
  struct rift_evtx_job jb;
  rift_evtx_job(&j->evtx, i, &jb);
  if(s->rc) {
    rift_buf_addf(&s->msgs.text, "rift: %s: chunk %zu: %s\n", j->path,
                  s->fail_chunk, rift_strerror(s->rc));
    j->st.bad_chunks++;
  }
  if(!j->quiet && s->msgs.text.len) {
    rift_progress_done(&j->prog);
    write_all(2, s->msgs.text.buf, s->msgs.text.len);
  }
  if(s->out.len && !j->write_failed) {
    if(j->fmt == RIFT_EVTX_JSON_PRETTY && j->nrec_total)
      j->write_failed |= write_all(1, ",\n", 2);
    j->write_failed |= write_all(1, s->out.buf, s->out.len);
  }
  j->nrec_total += s->nrec;
  j->st.records += s->st.records;
  j->st.bad_records += s->st.bad_records;
  j->st.carved += s->st.carved;
  j->st.bad_chunks += s->st.bad_chunks;
  j->st.empty_chunks += s->st.empty_chunks;
  rift_progress_update(&j->prog, jb.end);
  /* jobs are written in file order: what lies before this one's end is
   * parsed and will not be read again */
  rift_source_forget_behind(j->evtx.src, &j->forgot, jb.off + jb.len);
}

/* Any registered format: normalised events as flat JSON lines. */
struct evout {
  struct rift_buf out;
  int failed;
};

static rift_err ev_batch(void *ctx, struct rift_batch *b)
{
  struct evout *eo = ctx;
  size_t i;
  rift_buf_reset(&eo->out);
  for(i = 0; i < b->n; i++) {
    rift_event_json(&eo->out, &b->ev[i]);
    rift_buf_addch(&eo->out, '\n');
  }
  if(eo->out.err)
    return eo->out.err;
  if(write_all(1, eo->out.buf, eo->out.len)) {
    eo->failed = 1;
    return RIFT_IO;
  }
  return RIFT_OK;
}

static int dump_events(const struct rift_source *src, const char *path,
                       struct rift_pool *pool, struct rift_diag *d, int stats)
{
  const struct rift_format *f;
  struct rift_parse_opts o;
  struct rift_parse_stats st;
  struct evout eo;
  struct rift_event_sink sink = { NULL, ev_batch, &eo };
  rift_err rc;
  f = rift_format_sniff(src->data, src->len < 4096 ? src->len : 4096, path,
                        src->len);
  if(!f) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_UNSUPPORTED, UINT64_MAX,
                     "unrecognised format");
    return RIFT_EXIT_INPUT_ERRORS;
  }
  memset(&o, 0, sizeof(o));
  memset(&st, 0, sizeof(st));
  o.path = path;
  o.pool = pool;
  rift_buf_init(&eo.out, RIFT_BUF_MAX_OUTPUT);
  eo.failed = 0;
  rc = f->parse(src, &o, &sink, d, &st);
  rift_buf_release(&eo.out);
  if(stats)
    fprintf(stderr, "rift: %s: %llu records, %llu bad records, 0 bad chunks, "
            "%llu carved\n", path, (unsigned long long)st.records,
            (unsigned long long)st.errors, (unsigned long long)st.recovered);
  if(rc && !eo.failed)
    die("%s: %s", path, rift_strerror(rc));
  return st.errors || d->errors ? RIFT_EXIT_INPUT_ERRORS : RIFT_EXIT_OK;
}

int cmd_dump(int argc, char **argv)
{
  static const struct option opts[] = {
    { "format", required_argument, NULL, 'f' },
    { "threads", required_argument, NULL, 't' },
    { "carve", no_argument, NULL, 'c' },
    { "quiet", no_argument, NULL, 'q' },
    { "stats", no_argument, NULL, 's' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  enum rift_evtx_format fmt = RIFT_EVTX_JSON;
  int events = 0;
  unsigned threads = 0, flags = 0;
  int quiet = 0, stats = 0, c, i, status = RIFT_EXIT_OK;
  struct rift_pool *pool;
  struct slot *slots;
  void **slotp;
  size_t window, k, written = 0;

  help_if_asked(argc, argv, usage_str);
  while((c = getopt_long(argc, argv, "f:t:qh", opts, NULL)) != -1) {
    switch(c) {
    case 'f':
      if(!strcmp(optarg, "jsonl"))
        fmt = RIFT_EVTX_JSON;
      else if(!strcmp(optarg, "json"))
        fmt = RIFT_EVTX_JSON_PRETTY;
      else if(!strcmp(optarg, "xml"))
        fmt = RIFT_EVTX_XML;
      else if(!strcmp(optarg, "events"))
        events = 1;
      else
        usage_die(usage_str, "unknown format '%s'", optarg);
      break;
    case 't':
      threads = (unsigned)parse_count("--threads", optarg, 256);
      break;
    case 'c':
      flags |= RIFT_EVTX_CARVE;
      break;
    case 'q':
      quiet = 1;
      break;
    case 's':
      stats = 1;
      break;
    default:
      usage_die(usage_str, "unknown option");
    }
  }
  if(optind >= argc)
    usage_die(usage_str, "no input files");

  if(rift_pool_init(&pool, threads))
    die("cannot start threads");
  window = rift_pool_threads(pool) > 1 ? rift_pool_threads(pool) * 3 : 1;
  slots = rift_pool_slots(window, sizeof(*slots), &slotp);
  if(!slots)
    die("out of memory");
  for(k = 0; k < window; k++) {
    if(rift_evtx_ctx_new(&slots[k].ctx))
      die("out of memory");
    rift_buf_init(&slots[k].out, RIFT_BUF_MAX_OUTPUT);
    rift_buf_init(&slots[k].msgs.text, RIFT_BUF_MAX_LINE);
  }

  if(fmt == RIFT_EVTX_JSON_PRETTY)
    write_all(1, "[\n", 2);
  for(i = optind; i < argc; i++) {
    struct rift_source src;
    struct rift_diag d;
    struct job j;
    memset(&j, 0, sizeof(j));
    j.fmt = fmt;
    j.flags = flags;
    j.quiet = quiet;
    j.path = argv[i];
    j.nrec_total = written; /* JSON array commas run across files */
    if(quiet)
      rift_diag_init(&d, argv[i], NULL, NULL);
    else
      diag_stderr(&d, argv[i]);
    if(rift_source_open(&src, argv[i], &d)) {
      status = RIFT_EXIT_INPUT_ERRORS;
      continue;
    }
    if(events || !rift_evtx_sniff(src.data, src.len)) {
      int rc = dump_events(&src, argv[i], pool, &d, stats);
      rift_source_close(&src);
      if(rc)
        status = rc;
      if(rc == RIFT_EXIT_DIE)
        break;
      continue;
    }
    if(rift_evtx_open(&j.evtx, &src, &d)) {
      rift_source_close(&src);
      status = RIFT_EXIT_INPUT_ERRORS;
      continue;
    }
    if(d.errors)
      status = RIFT_EXIT_INPUT_ERRORS;
    rift_progress_init(&j.prog, "dump", j.evtx.nslots);
    if(rift_pool_map_ordered(pool, rift_evtx_jobs(&j.evtx), window, work, emit,
                             &j, slotp))
      die("%s: out of memory", argv[i]);
    rift_progress_done(&j.prog);
    written = j.nrec_total;
    if(j.st.bad_records || j.st.bad_chunks)
      status = RIFT_EXIT_INPUT_ERRORS;
    if(stats)
      fprintf(stderr,
              "rift: %s: %llu records, %llu bad records, %llu bad chunks, "
              "%llu carved\n",
              argv[i], (unsigned long long)j.st.records,
              (unsigned long long)j.st.bad_records,
              (unsigned long long)j.st.bad_chunks,
              (unsigned long long)j.st.carved);
    rift_source_close(&src);
    if(j.write_failed)
      break;
  }
  if(fmt == RIFT_EVTX_JSON_PRETTY)
    write_all(1, "\n]\n", 3);
  for(k = 0; k < window; k++) {
    rift_evtx_ctx_free(&slots[k].ctx);
    rift_buf_release(&slots[k].out);
    rift_buf_release(&slots[k].msgs.text);
  }
  rift_pool_slots_free(slots, slotp);
  rift_pool_free(&pool);
  return status;
}
