/*
 * logons.h - who logged on where, from where, how, and how often it
 * failed; findings for password attacks and credential misuse.
 *
 * Events read (Security unless noted):
 *   4624 logon, 4625 failed logon, 4634 / 4647 logoff, 4648 logon with
 *   explicit credentials, 4672 special privileges at logon,
 *   4776 NTLM credential validation, 4768 Kerberos TGT, 4769 service
 *   ticket, 4771 Kerberos pre-authentication failed, 4778 / 4779 session
 *   reconnected / disconnected;
 *   TerminalServices-RemoteConnectionManager 1149 (RDP authentication),
 *   TerminalServices-LocalSessionManager 21 (session logon), 22 (shell
 *   start), 23 (logoff), 24 (disconnected), 25 (reconnection);
 *   SQL Server 18456 (login failed) and 33205 audit records of logins
 *   (LGIF failed, LGIS succeeded); OpenSSH 4 ("Failed password for ...",
 *   "Accepted password for ...").
 *
 * The table (rows) groups events by target host, account, source address
 * and logon type and kind, with success and failure counts and the first
 * and last time seen.  Authentication attempts are also kept one by one
 * (attempts, capped) so that the detectors of rift_logons_detect() can
 * look at them in time order once every file has been read:
 *   brute force       >= brute_failures failures for one account from one
 *                     source within brute window              T1110.001
 *   password spray    failures for >= spray_accounts distinct accounts
 *                     from one source within the window        T1110.003
 *   explicit spray    4648 by one account for >= explicit_accounts
 *                     distinct target accounts within the window T1110.003
 *   success after failures  a success for an account from a source that
 *                     failed >= success_after times before it   T1110
 *   explicit credentials    4648 by a user account (not a machine
 *                     account) for another account              T1078
 *   pass-the-hash     4624 type 9 by seclogo (sekurlsa::pth, runas
 *                     /netonly), or NTLM network logon with key length 0
 *                     by a user account from another host       T1550.002
 *   ticket burst      4769 service tickets for >= tgs_services distinct
 *                     services by one account from one address within
 *                     the window (BloodHound-style session enumeration,
 *                     Kerberoasting sweeps)                T1087.002, T1558.003
 *
 * Caps: RIFT_LG_MAX_ROWS rows and RIFT_LG_MAX_ATTEMPTS attempts; more is
 * counted in stats and dropped.  Strings are interned in the table.
 */
#ifndef RIFT_LOGONS_H
#define RIFT_LOGONS_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/finding.h"
#include "core/hmap.h"

#define RIFT_LG_MAX_ROWS (1u << 20)
#define RIFT_LG_MAX_ATTEMPTS (4u << 20)
#define RIFT_LG_MAX_STRBYTES ((size_t)256 << 20)
#define RIFT_LG_MAX_IDS 8 /* distinct EventIDs listed per row */

enum rift_logon_kind {
  RIFT_LK_LOGON,        /* 4624 / 4625 */
  RIFT_LK_LOGOFF,       /* 4634, 4647 */
  RIFT_LK_EXPLICIT,     /* 4648 */
  RIFT_LK_PRIVILEGED,   /* 4672 */
  RIFT_LK_NTLM,         /* 4776 */
  RIFT_LK_KERBEROS_TGT, /* 4768 */
  RIFT_LK_KERBEROS_TGS, /* 4769 */
  RIFT_LK_KERBEROS_PREAUTH, /* 4771 */
  RIFT_LK_RDP_AUTH,     /* 1149 */
  RIFT_LK_RDP_SESSION,  /* 21, 22, 25 */
  RIFT_LK_RDP_END,      /* 23, 24 */
  RIFT_LK_RECONNECT,    /* 4778 */
  RIFT_LK_DISCONNECT,   /* 4779 */
  RIFT_LK_SQL,          /* SQL Server 18456, 33205 LGIF/LGIS */
  RIFT_LK_SSH,          /* OpenSSH 4: Failed/Accepted password */
  RIFT_LK__COUNT
};

const char *rift_logon_kind_name(unsigned k);
/* "Network" for 3...; NULL for an unknown type. */
const char *rift_logon_type_name(int type);

struct rift_logon_row {
  const char *host;        /* where the logon happened (lowercased) */
  const char *user;        /* account (DOMAIN\name when known) */
  const char *source_ip;   /* NULL if none */
  const char *workstation; /* source host name as logged */
  const char *subject;     /* 4648: the account that used the credentials */
  const char *target_server; /* 4648 */
  const char *auth;        /* authentication package / logon process */
  const char *status;      /* first failure status (0xC000006A...) */
  int logon_type;          /* -1 if none */
  uint8_t kind;            /* enum rift_logon_kind */
  uint64_t success, failure;
  int64_t first, last;
  uint16_t ids[RIFT_LG_MAX_IDS];
  uint8_t nids;
  struct rift_event_ref first_ref, last_ref;
};

/* One authentication attempt (for the detectors). */
struct rift_logon_attempt {
  int64_t ts;
  const char *host, *user, *source, *subject, *target_server, *process;
  uint8_t kind;
  uint8_t success;
  int8_t logon_type;
  uint8_t flags;
  struct rift_event_ref ref;
};

#define RIFT_LA_SECLOGO 0x1   /* 4624 type 9 by seclogo */
#define RIFT_LA_NTLM_KEY0 0x2 /* NTLM network logon, key length 0 */
#define RIFT_LA_MACHINE 0x4   /* the account is a machine account (x$) */
#define RIFT_LA_ANON 0x8      /* ANONYMOUS LOGON */
#define RIFT_LA_LOCALSRC 0x10 /* source is this host (127.0.0.1, ::1, -) */

struct rift_logons_stats {
  uint64_t events, dropped_rows, dropped_attempts, dropped_strings;
};

struct rift_logons {
  struct rift_logon_row *rows;
  uint32_t nrows, caprows;
  struct rift_hmap index;   /* row key -> index + 1 */
  struct rift_logon_attempt *att;
  uint32_t natt, capatt;
  struct rift_hmap strings;
  size_t strbytes;
  struct rift_logons_stats st;
  uint32_t *order;          /* after rift_logons_finish: rows by host,
                               user, first */
};

void rift_logons_init(struct rift_logons *lg);
void rift_logons_release(struct rift_logons *lg);
rift_err rift_logons_add(struct rift_logons *lg, const struct rift_event *e);
/* Sort rows and attempts (after the last add). */
rift_err rift_logons_finish(struct rift_logons *lg);

struct rift_endpoint;
/* Run the logon detectors over the attempts (after finish), reporting
 * hits to the endpoint engine. */
rift_err rift_logons_detect(struct rift_logons *lg, struct rift_endpoint *ep);

#endif
