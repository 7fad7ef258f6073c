/*
 * zeek.h - Zeek logs (conn, dns, http, ssl, x509; TSV or JSON) as events.
 * See zeek.c for the layouts and the mapping to ECS.
 */
#ifndef RIFT_FMT_ZEEK_H
#define RIFT_FMT_ZEEK_H

#include "fmt/format.h"

int rift_zeek_sniff(const uint8_t *head, size_t n, const char *path,
                    uint64_t size);
rift_err rift_zeek_parse(const struct rift_source *src,
                         const struct rift_parse_opts *o,
                         struct rift_event_sink *sink, struct rift_diag *d,
                         struct rift_parse_stats *st);

#endif
