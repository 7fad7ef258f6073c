#include <string.h>

#include "core/finding.h"

static const char *const level_names[] = {
  "informational", "low", "medium", "high", "critical"
};

const char *rift_level_name(enum rift_level l)
{
  return (unsigned)l < 5 ? level_names[l] : "informational";
}

int rift_level_parse(const char *s)
{
  int i;
  if(!s)
    return -1;
  if(!strcmp(s, "info"))
    return RIFT_LEVEL_INFO;
  for(i = 0; i < 5; i++) {
    if(!strcmp(s, level_names[i]))
      return i;
  }
  return -1;
}
