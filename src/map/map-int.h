/*
 * map-int.h - private to src/map/.
 */
#ifndef RIFT_MAP_INT_H
#define RIFT_MAP_INT_H

#include "map/map.h"

/* Windows event logs (winlog.c). */
rift_err map_winlog(struct rift_batch *b, struct rift_event *e);
rift_err map_winlog_generic_message(struct rift_batch *b,
                                    struct rift_event *e);

#endif
