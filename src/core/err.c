#include "core/err.h"

static const char *const messages[] = {
#define X(n, s) s,
  RIFT_ERR_MAP(X)
#undef X
};

static const char *const names[] = {
#define X(n, s) #n,
  RIFT_ERR_MAP(X)
#undef X
};

const char *rift_strerror(rift_err e)
{
  if((unsigned)e >= RIFT_ERR_COUNT)
    return "unknown error";
  return messages[e];
}

const char *rift_errname(rift_err e)
{
  if((unsigned)e >= RIFT_ERR_COUNT)
    return "UNKNOWN";
  return names[e];
}
