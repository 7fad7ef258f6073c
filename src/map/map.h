/*
 * map.h - normalisation of parsed events to the Elastic Common Schema.
 *
 * Parsers emit what the artifact says (for EVTX: winlog.* and
 * winlog.event_data.<Name>); rift_map_batch() adds what every later stage
 * relies on:
 *
 *   - the core members: event.category / type / action / outcome (ECS
 *     allowed values; several are comma-separated), event.dataset and a
 *     one-line message;
 *   - ECS fields from the raw data wherever ECS has them: user.*,
 *     user.target.*, process.* (with parent), source.* / destination.*,
 *     file.*, registry.*, network.*, dns.*, service.*, group.*,
 *     winlog.logon.*.  The raw fields stay: nothing is removed or renamed,
 *     so Sigma rules written against the raw names keep matching.
 *
 * Windows event logs are mapped by a table of (provider, event id) rules
 * (src/map/winlog.c): Security logons, process, account, group, Kerberos,
 * share and audit events; System services and log clearing; Sysmon 1-29;
 * PowerShell 4103/4104/400/800; Task Scheduler; Terminal Services; Windows
 * Defender.  Events without a rule keep their raw fields and get a
 * message built from their data.
 *
 * Thread-safe: the rule tables are compiled once (pthread_once) and then
 * only read, so rift_map_batch() runs on parser worker threads, in the
 * event sink's prepare().  New strings and fields go into the batch arena.
 */
#ifndef RIFT_MAP_H
#define RIFT_MAP_H

#include "core/err.h"
#include "core/event.h"

/* Normalise every event of b in place. */
rift_err rift_map_batch(struct rift_batch *b);
rift_err rift_map_event(struct rift_batch *b, struct rift_event *e);

/* An event sink prepare() hook: rift_map_batch (ctx unused). */
rift_err rift_map_prepare(void *ctx, struct rift_batch *b);

/* Number of (provider, event id) rules for Windows event logs. */
unsigned rift_map_winlog_rules(void);

#define RIFT_MAP_MESSAGE_MAX 400 /* bytes of a generated message */

#endif
