/*
 * weblog.h - Apache and Nginx access logs (common, combined,
 * vhost_combined) as events.  See weblog.c.
 */
#ifndef RIFT_FMT_WEBLOG_H
#define RIFT_FMT_WEBLOG_H

#include "fmt/format.h"

int rift_weblog_sniff(const uint8_t *head, size_t n, const char *path,
                      uint64_t size);
rift_err rift_weblog_parse(const struct rift_source *src,
                           const struct rift_parse_opts *o,
                           struct rift_event_sink *sink, struct rift_diag *d,
                           struct rift_parse_stats *st);

#endif
