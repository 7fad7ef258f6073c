/*
 * pcap.c - captures through libpcap into the packet engine (pcap.h).
 */
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "core/cur.h"
#include "net/net.h"
#include "net/netev.h"
#include "net/pcap.h"

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
  struct rift_netev ev;
  struct rift_event_sink *sink;
  struct rift_parse_stats *st;
  unsigned flags;
  rift_err rc;
};

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
  uint64_t frame = 0, off = 24;
  int dlt, r, classic;
  rift_err rc;

  memset(&last_stats, 0, sizeof(last_stats));
  if(!src->len) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_TRUNCATED, 0, "empty capture");
    st->errors++;
    return RIFT_OK;
  }
  fp = fmemopen((void *)src->data, src->len, "rb");
  if(!fp)
    return RIFT_NOMEM;
  pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO,
                                                errbuf);
  if(!pc) {
    fclose(fp);
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT, 0,
                     "not a capture libpcap can read: %s", errbuf);
    st->errors++;
    return RIFT_OK;
  }
  classic = rift_pcap_sniff(src->data, src->len, NULL, src->len) > 0;
  dlt = pcap_datalink(pc);
  if(!rift_pkt_dlt_known(dlt))
    rift_diag_report(d, RIFT_DIAG_WARN, RIFT_UNSUPPORTED, 0,
                     "link type %d (%s) is not decoded; frames only counted",
                     dlt, pcap_datalink_val_to_name(dlt) ?
                       pcap_datalink_val_to_name(dlt) : "unknown");

  memset(&c, 0, sizeof(c));
  rift_batch_init(&c.batch);
  c.ev.b = &c.batch;
  c.ev.file_id = o->file_id;
  c.ev.path = o->path;
  c.ev.host = o->host_hint;
  c.ev.flags = (o->flags & RIFT_PCAP_X509) ? RIFT_NETEV_X509 : 0;
  c.ev.cid_seed = RIFT_PCAP_CID_SEED_OF(o->flags);
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

  for(;;) {
    uint64_t at = classic ? off : (uint64_t)ftell(fp);
    r = pcap_next_ex(pc, &hdr, &data);
    if(r != 1)
      break;
    frame++;
    rift_net_packet(net, dlt, data, hdr->caplen, hdr->len,
                    (int64_t)hdr->ts.tv_sec * 1000000000ll + hdr->ts.tv_usec,
                    frame, at);
    off += 16 + (uint64_t)hdr->caplen;
    if(rift_net_error(net))
      break;
  }
  if(r == PCAP_ERROR) {
    rift_diag_report(d, RIFT_DIAG_ERROR, RIFT_CORRUPT,
                     classic ? off : (uint64_t)ftell(fp),
                     "capture damaged after frame %llu: %s",
                     (unsigned long long)frame, pcap_geterr(pc));
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
  pcap_close(pc); /* closes fp */
  return rc;
}
