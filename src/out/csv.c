/*
 * csv.c - CSV fields (csv.h).
 */
#include <string.h>

#include "out/csv.h"

void rift_csv_field(struct rift_buf *b, const char *s, size_t n, int first)
{
  size_t i, start = 0;
  int quote = 0;
  if(!first)
    rift_buf_addch(b, ',');
  if(!s)
    return;
  for(i = 0; i < n && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if(!quote) {
    rift_buf_add(b, s, n);
    return;
  }
  rift_buf_addch(b, '"');
  for(i = 0; i < n; i++) {
    if(s[i] != '"')
      continue;
    rift_buf_add(b, s + start, i + 1 - start);
    rift_buf_addch(b, '"');
    start = i + 1;
  }
  rift_buf_add(b, s + start, n - start);
  rift_buf_addch(b, '"');
}

void rift_csv_str(struct rift_buf *b, const char *s, int first)
{
  rift_csv_field(b, s, s ? strlen(s) : 0, first);
}

void rift_csv_end(struct rift_buf *b)
{
  rift_buf_addch(b, '\n');
}
