/*
 * pcap.h - packet captures (pcap, pcapng) as events, through libpcap.
 *
 * The capture is read with pcap_fopen_offline over the source's bytes
 * (fmemopen), so the same code reads mapped files, memory and fuzz
 * inputs; nanosecond timestamps are kept.  Every frame goes through the
 * packet engine (net.h); its records become events (netev.h) handed to
 * the sink in batches, in order.  A capture libpcap cannot open, or that
 * ends in a damaged record, is reported (file, offset, libpcap's reason);
 * what was read before it is kept.
 *
 * struct rift_parse_opts.flags: the RIFT_NET_APP_* bits to parse (0 =
 * all) and the RIFT_PCAP_* bits below.
 */
#ifndef RIFT_NET_PCAP_H
#define RIFT_NET_PCAP_H

#include "fmt/format.h"

#define RIFT_PCAP_NO_FLOWS 0x100  /* no flow events */
#define RIFT_PCAP_X509 0x200      /* one event per certificate */
#define RIFT_PCAP_NG_WALK 0x400   /* pcapng: rift's block walker only */
#define RIFT_PCAP_BATCH 1024      /* events per batch */
/* Community ID seed in the high 16 bits of the flags. */
#define RIFT_PCAP_CID_SEED(s) ((unsigned)(s) << 16)
#define RIFT_PCAP_CID_SEED_OF(f) ((uint16_t)((f) >> 16))

int rift_pcap_sniff(const uint8_t *head, size_t n, const char *path,
                    uint64_t size);
int rift_pcapng_sniff(const uint8_t *head, size_t n, const char *path,
                      uint64_t size);
rift_err rift_pcap_parse(const struct rift_source *src,
                         const struct rift_parse_opts *o,
                         struct rift_event_sink *sink, struct rift_diag *d,
                         struct rift_parse_stats *st);

struct rift_net_stats;
/* The engine counters of the last parse on this thread (for --stats). */
const struct rift_net_stats *rift_pcap_last_stats(void);

#endif
