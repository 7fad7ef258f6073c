/*
 * sigma-sink.h - Sigma matching as a stage of the event pipeline.
 *
 * A struct rift_sigma_sink matches the events of each parsed batch on the
 * parser's worker threads (prepare, thread-safe) and turns the matches
 * into findings and correlation input in input order (batch).  Use it as
 * a whole event sink (rift_sigma_sink_events), or call its prepare/batch
 * from a sink that does more with the same batches (triage: store the
 * events too).  Findings go to the sink in the run options.
 *
 *   rift_sigma_sink_new(set, &opts, &k);
 *   rift_sigma_sink_events(k, &evsink);
 *   ... fmt->parse(src, &popts, &evsink, d, &st) for every input ...
 *   rift_sigma_sink_finish(k);     correlations, after the last input
 *   rift_sigma_sink_free(&k);
 *
 * The set must outlive the sink.  Hits of a batch are kept in the batch's
 * arena between prepare and batch.
 */
#ifndef RIFT_SIGMA_SINK_H
#define RIFT_SIGMA_SINK_H

#include <stdint.h>

#include "detect/sigma/sigma.h"
#include "fmt/format.h"

struct rift_sigma_sink;

rift_err rift_sigma_sink_new(const struct rift_sigma *s,
                             const struct rift_sigma_run_opts *o,
                             struct rift_sigma_sink **k);
void rift_sigma_sink_free(struct rift_sigma_sink **k);

rift_err rift_sigma_sink_prepare(struct rift_sigma_sink *k,
                                 struct rift_batch *b);
rift_err rift_sigma_sink_batch(struct rift_sigma_sink *k, struct rift_batch *b);
rift_err rift_sigma_sink_finish(struct rift_sigma_sink *k);
void rift_sigma_sink_events(struct rift_sigma_sink *k,
                            struct rift_event_sink *out);

struct rift_sigma_run *rift_sigma_sink_run(struct rift_sigma_sink *k);
/* Events seen, events with at least one match, matches. */
void rift_sigma_sink_counts(const struct rift_sigma_sink *k, uint64_t *events,
                            uint64_t *matched_events, uint64_t *hits);

#endif
