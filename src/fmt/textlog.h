/*
 * textlog.h - any text file as one event per line.
 *
 * For logs rift has no parser for but the user can name (rift hunt
 * --logsource): each line becomes an event of kind "textlog" with the
 * line in `message` (without its line break), record id = line number
 * (1-based), offset = byte offset of the line.  Not in the format
 * registry: text cannot be recognised by its bytes, the user says so.
 * Lines longer than RIFT_TEXTLOG_MAX_LINE are cut there (reported).
 */
#ifndef RIFT_TEXTLOG_H
#define RIFT_TEXTLOG_H

#include "fmt/format.h"

#define RIFT_TEXTLOG_MAX_LINE (1u << 20)
#define RIFT_TEXTLOG_BATCH 4096

rift_err rift_textlog_parse(const struct rift_source *src,
                            const struct rift_parse_opts *o,
                            struct rift_event_sink *sink, struct rift_diag *d,
                            struct rift_parse_stats *st);

#endif
