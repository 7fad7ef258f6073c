/*
 * eve.h - Suricata eve.json (flow, dns, http, tls, quic, alert) as events.
 * See eve.c for the mapping to ECS.
 */
#ifndef RIFT_FMT_EVE_H
#define RIFT_FMT_EVE_H

#include "fmt/format.h"

int rift_eve_sniff(const uint8_t *head, size_t n, const char *path,
                   uint64_t size);
rift_err rift_eve_parse(const struct rift_source *src,
                        const struct rift_parse_opts *o,
                        struct rift_event_sink *sink, struct rift_diag *d,
                        struct rift_parse_stats *st);

#endif
