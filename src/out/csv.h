/*
 * csv.h - RFC 4180 CSV fields: quoted when they hold a comma, quote, CR
 * or LF (quotes doubled).  Rows end with LF, which every CSV reader
 * (Python's csv, spreadsheets, Timesketch) accepts.
 */
#ifndef RIFT_OUT_CSV_H
#define RIFT_OUT_CSV_H

#include <stddef.h>

#include "core/buf.h"

/* Append one field; a comma first unless first.  NULL is an empty field. */
void rift_csv_field(struct rift_buf *b, const char *s, size_t n, int first);
void rift_csv_str(struct rift_buf *b, const char *s, int first);
void rift_csv_end(struct rift_buf *b);

#endif
