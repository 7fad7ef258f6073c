/*
 * format.c - the registry of artifact formats (format.h).
 */
#include <string.h>

#include "fmt/evtx.h"
#include "fmt/format.h"
#include "fmt/eve.h"
#include "fmt/weblog.h"
#include "fmt/zeek.h"
#include "net/pcap.h"

static int sniff_evtx(const uint8_t *head, size_t n, const char *path,
                      uint64_t size)
{
  (void)path;
  (void)size;
  if(n >= 8 && !memcmp(head, "ElfFile\0", 8))
    return 100;
  if(n >= 8 && !memcmp(head, "ElfChnk\0", 8))
    return 60; /* a bare chunk or a file with a wiped header */
  return 0;
}

static const struct rift_format fmt_evtx = {
  "evtx", "rift-evtx 1", sniff_evtx, rift_evtx_parse
};

static const struct rift_format fmt_pcap = {
  "pcap", "rift-net 1 (libpcap)", rift_pcap_sniff, rift_pcap_parse
};

static const struct rift_format fmt_pcapng = {
  "pcapng", "rift-net 1 (libpcap)", rift_pcapng_sniff, rift_pcap_parse
};

static const struct rift_format fmt_zeek = {
  "zeek", "rift-zeek 1 (conn dns http ssl x509; tsv json)", rift_zeek_sniff,
  rift_zeek_parse
};

static const struct rift_format fmt_eve = {
  "eve", "rift-eve 1 (flow dns http tls quic alert)", rift_eve_sniff,
  rift_eve_parse
};

static const struct rift_format fmt_weblog = {
  "weblog", "rift-weblog 1 (Apache/Nginx common, combined, vhost_combined)",
  rift_weblog_sniff, rift_weblog_parse
};

/* One line per format; keep the most specific sniffers first. */
const struct rift_format *const rift_formats[] = {
  &fmt_evtx,
  &fmt_pcap,
  &fmt_pcapng,
  &fmt_zeek,
  &fmt_eve,
  &fmt_weblog,
  NULL
};

const struct rift_format *rift_format_sniff(const uint8_t *head, size_t n,
                                            const char *path, uint64_t size)
{
  const struct rift_format *best = NULL;
  int score = 0, i;
  for(i = 0; rift_formats[i]; i++) {
    int s = rift_formats[i]->sniff(head, n, path, size);
    if(s > score) {
      score = s;
      best = rift_formats[i];
    }
  }
  return best;
}

const struct rift_format *rift_format_find(const char *name)
{
  int i;
  for(i = 0; rift_formats[i]; i++) {
    if(!strcmp(rift_formats[i]->name, name))
      return rift_formats[i];
  }
  return NULL;
}

/* Extensions that claim a format (lowercase). */
static const struct {
  const char *ext, *format;
} claims[] = {
  { ".evtx", "evtx" },
};

const char *rift_format_claimed(const char *path)
{
  const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
  size_t i, k, n;
  if(!dot || (slash && dot < slash))
    return NULL;
  n = strlen(dot);
  for(i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
    if(strlen(claims[i].ext) != n)
      continue;
    for(k = 0; k < n; k++) {
      char c = dot[k];
      if(c >= 'A' && c <= 'Z')
        c = (char)(c + 32);
      if(c != claims[i].ext[k])
        break;
    }
    if(k == n)
      return claims[i].format;
  }
  return NULL;
}
