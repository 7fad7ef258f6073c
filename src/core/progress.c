#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/progress.h"
#include "core/rtime.h"

void rift_progress_init(struct rift_progress *p, const char *label,
                        uint64_t total)
{
  const char *env = getenv("RIFT_NO_PROGRESS");
  memset(p, 0, sizeof(*p));
  p->label = label;
  p->total = total;
  p->enabled = isatty(2) && !(env && *env && strcmp(env, "0"));
  p->start_ns = p->last_ns = rift_time_now();
}

static void draw(struct rift_progress *p, int64_t now)
{
  double secs = (double)(now - p->start_ns) / 1e9;
  if(p->total) {
    int width = 30, fill;
    double frac = (double)p->done / (double)p->total;
    char bar[31];
    if(frac > 1)
      frac = 1;
    fill = (int)(frac * width);
    memset(bar, '#', (size_t)fill);
    memset(bar + fill, '.', (size_t)(width - fill));
    bar[width] = 0;
    fprintf(stderr, "\r%s [%s] %5.1f%% %.1fs ", p->label, bar, frac * 100,
            secs);
  }
  else {
    fprintf(stderr, "\r%s %llu %.1fs ", p->label,
            (unsigned long long)p->done, secs);
  }
  p->drawn = 1;
}

void rift_progress_update(struct rift_progress *p, uint64_t done)
{
  int64_t now;
  p->done = done;
  if(!p->enabled)
    return;
  now = rift_time_now();
  if(now - p->last_ns < 100000000)
    return;
  p->last_ns = now;
  draw(p, now);
}

void rift_progress_done(struct rift_progress *p)
{
  if(p->enabled && p->drawn)
    fprintf(stderr, "\r\033[K");
  p->drawn = 0;
}
