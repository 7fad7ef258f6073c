/*
 * fuzz_parse.h - for the harnesses of format parsers (fmt/format.h): run
 * a parser over the input as a memory source, events built and dropped.
 */
#ifndef RIFT_FUZZ_PARSE_H
#define RIFT_FUZZ_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "fmt/format.h"

static rift_err fuzz_drop(void *ctx, struct rift_batch *b)
{
  (void)ctx;
  (void)b;
  return RIFT_OK;
}

typedef rift_err (*fuzz_parse_fn)(const struct rift_source *src,
                                  const struct rift_parse_opts *o,
                                  struct rift_event_sink *sink,
                                  struct rift_diag *d,
                                  struct rift_parse_stats *st);

/* parse(data) with o.path = path and o.flags = flags. */
static void fuzz_parse(fuzz_parse_fn parse, const uint8_t *data, size_t size,
                       const char *path, unsigned flags)
{
  struct rift_source src;
  struct rift_parse_opts o = { 0 };
  struct rift_event_sink sink = { NULL, fuzz_drop, NULL };
  struct rift_parse_stats st = { 0 };
  rift_source_mem(&src, data, size, "fuzz");
  o.path = path;
  o.flags = flags;
  parse(&src, &o, &sink, NULL, &st);
}

#endif
