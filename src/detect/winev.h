/*
 * winev.h - reading Windows event fields for the endpoint analytics.
 *
 * The EVTX parser fills winlog.event_data.<Name> (or winlog.user_data.<Name>
 * for events with a UserData section).  The analytics (proctree.c,
 * recon.c, indicators.c, logons.c) read those raw names themselves, so
 * they work on EVTX events whether or not the ECS mapping (src/map/) has
 * run, and on events read back from a case.
 *
 * Field ids are interned once (wev_init(), thread-safe, idempotent) into a
 * table indexed by enum wev_name; every accessor looks the name up first
 * under event_data, then under user_data.  Values the event log uses for
 * "nothing" ("-", "", "%%1793"-style placeholders are left alone) are
 * reported as absent by wev_str().
 */
#ifndef RIFT_WINEV_H
#define RIFT_WINEV_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

/* Every data name the endpoint analytics read. */
#define WEV_NAMES(X)                                                        \
  X(ProcessGuid) X(ProcessId) X(ProcessID) X(Image) X(CommandLine)         \
  X(CurrentDirectory) X(User) X(IntegrityLevel) X(Hashes) X(LogonId)       \
  X(ParentProcessGuid) X(ParentProcessId) X(ParentImage)                   \
  X(ParentCommandLine) X(ParentUser) X(OriginalFileName)                   \
  X(SourceProcessGuid) X(SourceProcessGUID) X(SourceProcessId)             \
  X(SourceImage) X(TargetProcessGuid) X(TargetProcessGUID)                 \
  X(TargetProcessId) X(TargetImage) X(GrantedAccess) X(CallTrace)          \
  X(StartFunction) X(StartModule) X(DestinationIp) X(DestinationPort)      \
  X(DestinationHostname) X(SourceIp) X(SourcePort) X(Protocol)             \
  X(Initiated) X(QueryName) X(QueryResults) X(TargetFilename)              \
  X(TargetObject) X(Details) X(EventType) X(ImageLoaded) X(Signed)         \
  X(Signature) X(PipeName) X(NewName)                                      \
  X(NewProcessId) X(NewProcessName) X(ProcessName) X(ParentProcessName)    \
  X(SubjectUserName) X(SubjectDomainName) X(SubjectUserSid)                \
  X(SubjectLogonId) X(TargetUserName) X(TargetDomainName)                  \
  X(TargetUserSid) X(TargetLogonId) X(TargetSid) X(TokenElevationType)     \
  X(MandatoryLabel) X(LogonType) X(IpAddress) X(IpPort)                    \
  X(WorkstationName) X(Workstation) X(Status) X(SubStatus)                 \
  X(FailureReason) X(AuthenticationPackageName) X(LogonProcessName)        \
  X(LmPackageName) X(KeyLength) X(ElevatedToken) X(ImpersonationLevel)     \
  X(TargetServerName) X(TargetInfo) X(PrivilegeList) X(ServiceName)        \
  X(ServiceFileName) X(ServiceType) X(StartType) X(ServiceAccount)         \
  X(ImagePath) X(AccountName) X(AccountDomain) X(TaskName) X(TaskContent)  \
  X(UserContext) X(PackageName) X(TicketEncryptionType) X(TicketOptions)   \
  X(PreAuthType) X(ClientAddress) X(ClientName) X(SessionName) X(LogonID)  \
  X(ScriptBlockText) X(Payload) X(ContextInfo) X(HostApplication)          \
  X(param1) X(param2) X(param3) X(Param1) X(Param2) X(Param3)              \
  X(Address) X(SessionID) X(Channel) X(ObjectName) X(ObjectType)           \
  X(ObjectServer) X(AccessMask) X(AccessList) X(Properties)                \
  X(ShareName) X(RelativeTargetName) X(MemberName) X(MemberSid)            \
  X(TargetUserPrincipalName) X(SamAccountName) X(UserAccountControl)       \
  X(OldUacValue) X(NewUacValue) X(AttributeLDAPDisplayName)                \
  X(AttributeValue) X(ObjectDN) X(ObjectClass) X(OperationType)           \
  X(Data) X(Value) X(Path) X(Name) X(Operation) X(Consumer) X(Query)       \
  X(Destination) X(Command) X(ThreatName) X(SourceAddress)                 \
  X(DestAddress) X(Application) X(RuleName) X(ProviderName)               \
  X(NewValue) X(OldValue) X(ErrorCode) X(Reason)

enum wev_name {
#define X(n) WEV_##n,
  WEV_NAMES(X)
#undef X
  WEV__COUNT
};

/* Where an event comes from (by provider name). */
enum wev_src {
  WEV_SRC_OTHER,
  WEV_SRC_SYSMON,       /* Microsoft-Windows-Sysmon */
  WEV_SRC_SECURITY,     /* Microsoft-Windows-Security-Auditing */
  WEV_SRC_EVENTLOG,     /* Microsoft-Windows-Eventlog (1102, 104) */
  WEV_SRC_SCM,          /* Service Control Manager (7045...) */
  WEV_SRC_TASKSCHED,    /* Microsoft-Windows-TaskScheduler */
  WEV_SRC_POWERSHELL,   /* Microsoft-Windows-PowerShell (4103/4104) */
  WEV_SRC_PSCLASSIC,    /* PowerShell (400/600/800, Windows PowerShell log) */
  WEV_SRC_TS_LSM,       /* TerminalServices-LocalSessionManager */
  WEV_SRC_TS_RCM,       /* TerminalServices-RemoteConnectionManager */
  WEV_SRC_DEFENDER,     /* Microsoft-Windows-Windows Defender */
  WEV_SRC__COUNT
};

/* Intern the field ids (once per process; later calls return at once). */
void wev_init(void);

/* Short names of the sources ("sysmon", "security"...). */
const char *wev_src_name(enum wev_src s);
/* Parse a source name; -1 if unknown. */
int wev_src_parse(const char *s);

enum wev_src wev_source(const struct rift_event *e);
/* The EventID (winlog.event_id, else event.code), 0 if none. */
unsigned wev_event_id(const struct rift_event *e);

/* The raw value of a data field, or NULL. */
const struct rift_value *wev_val(const struct rift_event *e, enum wev_name n);
/* The value as text, or NULL when absent, empty or "-".  Numbers are
 * formatted into tmp (32 bytes).  *len (may be NULL) gets the length. */
const char *wev_str(const struct rift_event *e, enum wev_name n, char *tmp,
                    size_t *len);
/* An unsigned number: integer values, or text in decimal or "0x" hex.
 * Returns 0 if found and valid, -1 otherwise. */
int wev_u64(const struct rift_event *e, enum wev_name n, uint64_t *out);
/* The winlog channel (winlog.channel), or "". */
const char *wev_channel(const struct rift_event *e);
/* The field name of n under event_data ("winlog.event_data.Image"). */
uint32_t wev_field_id(enum wev_name n);
const char *wev_name_str(enum wev_name n);
/* enum wev_name of a data name, or -1. */
int wev_name_parse(const char *s, size_t n);

/* Parse "0x1a2b" or "6700" into *out; 0 on success. */
int wev_parse_u64(const char *s, size_t n, uint64_t *out);

/* The last path component of a Windows or POSIX path (the whole string if
 * it has no separator). */
const char *wev_basename(const char *path, size_t *len);

/* later - earlier for times from input (any int64 values): 0 when later
 * is not after earlier, INT64_MAX when the difference does not fit. */
static inline int64_t wev_gap(int64_t later, int64_t earlier)
{
  uint64_t d;
  if(later <= earlier)
    return 0;
  d = (uint64_t)later - (uint64_t)earlier;
  return d > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)d;
}

/* ASCII case-insensitive helpers (Windows names are case-insensitive). */
int wev_ieq(const char *a, size_t an, const char *b);
int wev_icontains(const char *hay, size_t n, const char *needle);

#endif
