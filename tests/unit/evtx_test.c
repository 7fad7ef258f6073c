#include "unit.h"
void unit_evtx_values(struct unit *t) { (void)t; }
void unit_evtx_samples(struct unit *t) { (void)t; }
void unit_evtx_damaged(struct unit *t) { (void)t; }
