/*
 * pcap.c - captures through libpcap into the packet engine (pcap.h).
 */
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "core/cur.h"
#include "core/dlib.h"
#include "core/rtime.h"
#include "net/net.h"
#include "net/netev.h"
#include "net/pcap.h"

/* libpcap is opened when the first capture is read (core/dlib.h). */
#define PCAP_SYMS(X)                                                        \
  X(pcap_fopen_offline_with_tstamp_precision) X(pcap_next_ex)               \
  X(pcap_datalink) X(pcap_datalink_val_to_name) X(pcap_geterr)              \
  X(pcap_close)
PCAP_SYMS(RIFT_DLIB_PTR)
static const struct rift_dlsym pcap_syms[] = { PCAP_SYMS(RIFT_DLIB_SYM) };
static struct rift_dlib libpcap = RIFT_DLIB("libpcap0.8", pcap_syms,
                                            "libpcap.so.0.8", "libpcap.so.1",
                                            "libpcap.so");

static _Thread_local struct rift_net_stats last_stats;

const struct rift_net_stats *rift_pcap_last_stats(void)
{
  return &last_stats;
}

int rift_pcap_sniff(const uint8_t *head, size_t n, const char *path,
                    uint64_t size)
{
  uint32_t m;
  (void)path;
  if(n < 24 || size < 24)
    return 0;
  m = rift_le32(head);
  if(m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1)
    return 100;
  return 0;
}

int rift_pcapng_sniff(const uint8_t *head, size_t n, const char *path,
                      uint64_t size)
{
  uint32_t bom;
  (void)path;
  (void)size;
  if(n < 12 || rift_le32(head) != 0x0a0d0d0a)
    return 0;
  bom = rift_le32(head + 8);
  return bom == 0x1a2b3c4d || bom == 0x4d3c2b1a ? 100 : 0;
}

struct pctx {
  struct rift_batch batch;
  struct rift_x509_cache xc;
  struct rift_netev ev;
  struct rift_event_sink *sink;
  struct rift_parse_stats *st;
  unsigned flags;
  rift_err rc;
};

/* --- pcapng with several link types ------------------------------------
 *
 * libpcap reads a pcapng file only while every interface has the link
 * type and snapshot length of the first ("an interface has a type N
 * different from the type of the first interface", "... a snapshot length
 * ... different from the snapshot length of the first interface");
 * mergecap and multi-interface captures write such files.  rift then goes on with this small block walker from where
 * libpcap stopped (it skips the packets libpcap already delivered), so
 * nothing is lost and nothing is counted twice.  Layout (pcapng RFC):
 *   block  0 type[4] 4 total_length[4] 8 body ... total_length[4]
 *   SHB 0x0a0d0d0a: bom[4] (0x1a2b3c4d in the section's byte order)
 *                   major[2] minor[2] section_length[8] options
 *   IDB 1: linktype[2] reserved[2] snaplen[4] options
 *          (if_tsresol code 9 len 1; if_tsoffset code 14 len 8)
 *   EPB 6: interface[4] ts_high[4] ts_low[4] caplen[4] origlen[4] data
 *   SPB 3: origlen[4] data (interface 0, no time)
 *   OPB 2: interface[2] drops[2] ts_high[4] ts_low[4] caplen[4] origlen[4]
 */

#define PCAPNG_MAX_IFACES 65536 /* mergecap writes one per input file */
#define PCAPNG_MAX_REPORTS 20

struct ngif {
  int dlt;
  uint8_t resol;      /* if_tsresol, default 6 (microseconds) */
  int64_t offset_s;   /* if_tsoffset */
};

static uint32_t ng32(const uint8_t *p, int swap)
{
  uint32_t v = rift_le32(p);
  return swap ? __builtin_bswap32(v) : v;
}

static uint16_t ng16(const uint8_t *p, int swap)
{
  uint16_t v = rift_le16(p);
  return swap ? __builtin_bswap16(v) : v;
}

static int64_t ng_time(const struct ngif *f, uint64_t v)
{
  int64_t ns, off;
  unsigned e = f->resol & 0x7f, k;
  if(f->resol & 0x80) { /* 2^-e seconds */
    unsigned __int128 x;
    if(e > 64)
      return RIFT_TIME_NONE;
    x = (unsigned __int128)v * 1000000000u;
    x >>= e;
    if(x > INT64_MAX)
      return RIFT_TIME_NONE;
    ns = (int64_t)x;
  }
  else if(e <= 9) { /* 10^-e seconds */
    uint64_t mul = 1;
    for(k = e; k < 9; k++)
      mul *= 10;
    if(v > (uint64_t)INT64_MAX / mul)
      return RIFT_TIME_NONE;
    ns = (int64_t)(v * mul);
  }
  else {
    uint64_t div = 1;
    if(e > 28)
      return RIFT_TIME_NONE;
    for(k = 9; k < e; k++)
      div *= 10;
    ns = (int64_t)(v / div);
  }
  if(__builtin_mul_overflow(f->offset_s, 1000000000ll, &off))
    return RIFT_TIME_NONE;
  return rift_time_add(ns, off);
}

static void ng_idb(struct ngif *f, struct rift_cur *c, int swap)
{
  const uint8_t *h = rift_cur_take(c, 8);
  f->dlt = h ? ng16(h, swap) : -1;
  f->resol = 6;
  f->offset_s = 0;
  while(rift_cur_left(c) >= 4) {
    const uint8_t *o = rift_cur_take(c, 4);
    uint16_t code = ng16(o, swap), len = ng16(o + 2, swap);
    const uint8_t *v = rift_cur_take(c, ((size_t)len + 3) & ~(size_t)3);
    if(!v || code == 0)
      break;
    if(code == 9 && len == 1)
      f->resol = v[0];
    if(code == 14 && len == 8) {
      uint64_t x = swap ? __builtin_bswap64(rift_le64(v)) : rift_le64(v);
      f->offset_s = (int64_t)x;
    }
  }
}

/* Walk the blocks from the start; hand packets after the first skip ones
 * to the engine.  Returns the number of packets seen. */
static uint64_t ng_walk(const struct rift_source *src, struct rift_net *net,
                        uint64_t skip, struct rift_diag *d,
                        struct rift_parse_stats *st,
                        const struct rift_parse_opts *o)
{
  struct ngif *ifs = calloc(PCAPNG_MAX_IFACES, sizeof(*ifs));
  size_t nif = 0, off = 0;
  uint64_t frame = 0, bad = 0, forgot = 0;
  int swap = 0;
  if(!ifs)
    return 0;
  while(src->len - off >= 12 && !rift_net_error(net)) {
    const uint8_t *b = src->data + off;
    uint32_t type = ng32(b, swap), total;
    struct rift_cur c;
    if(type == 0x0a0d0d0a) {
      uint32_t bom = rift_le32(b + 8);
      swap = bom == 0x4d3c2b1a;
      if(!swap && bom != 0x1a2b3c4d) {
        rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT, off,
                         "pcapng section header with a bad byte-order mark");
        st->errors++;
        break;
      }
      nif = 0; /* a new section has its own interfaces */
    }
    total = ng32(b + 4, swap);
    if(total < 12 || (total & 3) || total > src->len - off) {
      rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT, off,
                       "pcapng block of %u bytes does not fit", total);
      st->errors++;
      break;
    }
    rift_cur_init(&c, b + 8, total - 12);
    if(type == 1) {
      if(nif < PCAPNG_MAX_IFACES)
        ng_idb(&ifs[nif++], &c, swap);
      else if(!bad++)
        rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_LIMIT, off,
                         "more than %u interfaces in a pcapng section: the "
                         "packets of the others are skipped",
                         PCAPNG_MAX_IFACES);
    }
    else if(type == 6 || type == 3 || type == 2) {
      uint32_t iface = 0, caplen, origlen;
      uint64_t tsv = 0;
      int64_t ts = 0;
      const uint8_t *data;
      if(type == 6) {
        const uint8_t *h = rift_cur_take(&c, 20);
        if(!h) {
          rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT, off,
                           "truncated pcapng packet block");
          st->errors++;
          break;
        }
        iface = ng32(h, swap);
        tsv = (uint64_t)ng32(h + 4, swap) << 32 | ng32(h + 8, swap);
        caplen = ng32(h + 12, swap);
        origlen = ng32(h + 16, swap);
      }
      else if(type == 2) {
        const uint8_t *h = rift_cur_take(&c, 20);
        if(!h) {
          rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT, off,
                           "truncated pcapng packet block");
          st->errors++;
          break;
        }
        iface = ng16(h, swap);
        tsv = (uint64_t)ng32(h + 4, swap) << 32 | ng32(h + 8, swap);
        caplen = ng32(h + 12, swap);
        origlen = ng32(h + 16, swap);
      }
      else {
        const uint8_t *h = rift_cur_take(&c, 4);
        if(!h) {
          rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT, off,
                           "truncated pcapng packet block");
          st->errors++;
          break;
        }
        origlen = ng32(h, swap);
        caplen = origlen < rift_cur_left(&c) ? origlen
                                             : (uint32_t)rift_cur_left(&c);
      }
      data = rift_cur_take(&c, caplen);
      frame++;
      if(!(frame & 4095)) {
        if(o->progress)
          o->progress(o->progress_ctx, off, src->len);
        /* the engine copies what it keeps of a packet (libpcap's buffer is
         * reused too): blocks well behind are not read again */
        if(off > forgot + (16u << 20))
          rift_source_forget_behind(src, &forgot, off - (1u << 20));
      }
      if(frame > skip && data && iface < nif) {
        if(type != 3)
          ts = ng_time(&ifs[iface], tsv);
        rift_net_packet(net, ifs[iface].dlt, data, caplen, origlen, ts, frame,
                        off);
      }
      else if(frame > skip) {
        if(bad++ < PCAPNG_MAX_REPORTS)
          rift_diag_report(d, RIFT_DIAG_WARN, RIFT_CORRUPT, off,
                           "frame %llu: %s", (unsigned long long)frame,
                           iface < nif ? "packet data past its block"
                                       : "packet of an unknown interface");
        st->errors++;
      }
    }
    off += total;
  }
  free(ifs);
  return frame;
}

static rift_err flush(struct pctx *c)
{
  rift_err rc = RIFT_OK;
  if(!c->batch.n)
    return RIFT_OK;
  c->st->records += c->batch.n;
  if(c->sink->prepare)
    rc = c->sink->prepare(c->sink->ctx, &c->batch);
  if(!rc && c->sink->batch)
    rc = c->sink->batch(c->sink->ctx, &c->batch);
  rift_batch_clear(&c->batch);
  return rc;
}

static rift_err maybe_flush(struct pctx *c, rift_err rc)
{
  if(rc)
    return rc;
  if(c->batch.n >= RIFT_PCAP_BATCH)
    return flush(c);
  return RIFT_OK;
}

static rift_err on_flow(void *ctx, const struct rift_flow *f)
{
  struct pctx *c = ctx;
  if(c->flags & RIFT_PCAP_NO_FLOWS)
    return RIFT_OK;
  return maybe_flush(c, rift_netev_flow(&c->ev, f));
}

static rift_err on_tls(void *ctx, const struct rift_flow *f,
                       const struct rift_tls *t)
{
  struct pctx *c = ctx;
  return maybe_flush(c, rift_netev_tls(&c->ev, f, t));
}

static rift_err on_dns(void *ctx, const struct rift_flow *f,
                       const struct rift_dns_txn *d)
{
  struct pctx *c = ctx;
  return maybe_flush(c, rift_netev_dns(&c->ev, f, d));
}

static rift_err on_http(void *ctx, const struct rift_flow *f,
                        const struct rift_http_txn *h)
{
  struct pctx *c = ctx;
  return maybe_flush(c, rift_netev_http(&c->ev, f, h));
}

rift_err rift_pcap_parse(const struct rift_source *src,
                         const struct rift_parse_opts *o,
                         struct rift_event_sink *sink, struct rift_diag *d,
                         struct rift_parse_stats *st)
{
  char errbuf[PCAP_ERRBUF_SIZE];
  struct rift_net_opts no;
  struct rift_net_out out;
  struct rift_net *net = NULL;
  struct pctx c;
  struct pcap_pkthdr *hdr;
  const u_char *data;
  pcap_t *pc;
  FILE *fp;
  uint64_t frame = 0, off = 24, forgot = 0;
  int dlt, r, classic;
  rift_err rc;

  memset(&last_stats, 0, sizeof(last_stats));
  if(!src->len) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_TRUNCATED, 0, "empty capture");
    st->errors++;
    return RIFT_OK;
  }
  if(rift_dlib_load(&libpcap)) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_UNSUPPORTED, 0, "%s",
                     libpcap.why);
    st->errors++;
    return RIFT_OK;
  }
  fp = fmemopen((void *)src->data, src->len, "rb");
  if(!fp)
    return RIFT_NOMEM;
  pc = sym_pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO,
                                                errbuf);
  if(!pc) {
    fclose(fp);
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT, 0,
                     "not a capture libpcap can read: %s", errbuf);
    st->errors++;
    return RIFT_OK;
  }
  classic = rift_pcap_sniff(src->data, src->len, NULL, src->len) > 0;
  dlt = sym_pcap_datalink(pc);
  if(!rift_pkt_dlt_known(dlt))
    rift_diag_report(d, RIFT_DIAG_WARN, RIFT_UNSUPPORTED, 0,
                     "link type %d (%s) is not decoded; frames only counted",
                     dlt, sym_pcap_datalink_val_to_name(dlt) ?
                       sym_pcap_datalink_val_to_name(dlt) : "unknown");

  memset(&c, 0, sizeof(c));
  rift_batch_init(&c.batch);
  c.ev.b = &c.batch;
  c.ev.file_id = o->file_id;
  c.ev.path = o->path;
  c.ev.host = o->host_hint;
  c.ev.flags = (o->flags & RIFT_PCAP_X509) ? RIFT_NETEV_X509 : 0;
  c.ev.cid_seed = RIFT_PCAP_CID_SEED_OF(o->flags);
  rift_x509_cache_init(&c.xc);
  c.ev.xc = &c.xc;
  c.sink = sink;
  c.st = st;
  c.flags = o->flags;
  memset(&no, 0, sizeof(no));
  no.apps = o->flags & RIFT_NET_APP_ALL;
  out.flow = on_flow;
  out.tls = on_tls;
  out.dns = on_dns;
  out.http = on_http;
  out.ctx = &c;
  rc = rift_net_new(&net, &no, &out);
  if(rc)
    goto done;
  rift_net_set_diag(net, d);

  if(!classic && (o->flags & RIFT_PCAP_NG_WALK)) {
    ng_walk(src, net, 0, d, st, o);
    r = PCAP_ERROR_BREAK;
    goto walked;
  }
  for(;;) {
    uint64_t at = classic ? off : (uint64_t)ftell(fp);
    r = sym_pcap_next_ex(pc, &hdr, &data);
    if(r != 1)
      break;
    frame++;
    {
      int64_t ns;
      if(__builtin_mul_overflow((int64_t)hdr->ts.tv_sec, 1000000000ll, &ns))
        ns = RIFT_TIME_NONE; /* a damaged time stamp */
      else
        ns = rift_time_add(ns, hdr->ts.tv_usec);
      rift_net_packet(net, dlt, data, hdr->caplen, hdr->len, ns, frame, at);
    }
    off += 16 + (uint64_t)hdr->caplen;
    if(!(frame & 4095)) {
      uint64_t pos = classic ? off : (uint64_t)ftell(fp);
      if(o->progress)
        o->progress(o->progress_ctx, pos, src->len);
      /* libpcap copies each packet out of the stream: bytes well behind
       * the read position are not needed again (flat memory however
       * large the capture) */
      if(pos > forgot + (16u << 20))
        rift_source_forget_behind(src, &forgot, pos - (1u << 20));
    }
    if(rift_net_error(net))
      break;
  }
  if(r == PCAP_ERROR && !classic &&
     strstr(sym_pcap_geterr(pc), "different from the") &&
     strstr(sym_pcap_geterr(pc), "of the first interface")) {
    /* interfaces with several link types or snapshot lengths: libpcap
     * stops, rift's block walker goes on */
    ng_walk(src, net, frame, d, st, o);
    r = PCAP_ERROR_BREAK;
  }
walked:
  if(r == PCAP_ERROR) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT,
                     classic ? off : (uint64_t)ftell(fp),
                     "capture damaged after frame %llu: %s",
                     (unsigned long long)frame, sym_pcap_geterr(pc));
    st->errors++;
  }
  rift_net_finish(net);
  rc = rift_net_error(net);
  if(!rc)
    rc = flush(&c);
  last_stats = *rift_net_stats(net);
done:
  rift_net_free(&net);
  rift_batch_release(&c.batch);
  rift_x509_cache_release(&c.xc);
  sym_pcap_close(pc); /* closes fp */
  return rc;
}
