/*
 * progress.h - a progress bar on stderr, only when stderr is a terminal.
 *
 * Call rift_progress_update() as often as you like from one thread; it
 * redraws at most ten times a second.  rift_progress_done() clears the line.
 * RIFT_NO_PROGRESS=1 in the environment turns it off.
 */
#ifndef RIFT_PROGRESS_H
#define RIFT_PROGRESS_H

#include <stdint.h>

struct rift_progress {
  const char *label;
  uint64_t total; /* 0 = unknown: show a count */
  uint64_t done;
  int64_t start_ns, last_ns;
  int enabled;
  int drawn;
};

void rift_progress_init(struct rift_progress *p, const char *label,
                        uint64_t total);
void rift_progress_update(struct rift_progress *p, uint64_t done);
void rift_progress_done(struct rift_progress *p);

#endif
