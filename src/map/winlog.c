/*
 * winlog.c - Windows event logs to ECS (map.h).
 *
 * The mapping is data: one rule per (provider, event id) naming the ECS
 * categorisation, a message template and which raw field goes to which
 * ECS field through which conversion.  Raw names are EventData names
 * ("TargetUserName" = winlog.event_data.TargetUserName) or, with a
 * leading '/', UserData paths ("/User" = winlog.user_data.User).  Message
 * templates insert field values with {field.name} ("-" when absent).
 *
 * The tables are compiled once into field ids and a hash map keyed by
 * lowercase provider and event id; after that everything is read-only.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/hmap.h"
#include "map/map-int.h"

enum conv {
  C_STR,      /* as is ("-" and "" skipped) */
  C_INT,      /* decimal or 0x hex -> integer */
  C_PORT,     /* integer, 0 skipped */
  C_IP,       /* IPv4/IPv6 (::ffff: stripped); otherwise to *.address */
  C_EXE,      /* a path: also its last component to the matching name */
  C_DOMUSER,  /* DOMAIN\user: user to dst, domain to the matching domain */
  C_HASHES,   /* SHA1=..,MD5=..: each to dst.<algo> (dst = "x.hash") */
  C_LOGON,    /* logon type number -> name */
  C_DIR,      /* Sysmon Initiated: true -> egress, false -> ingress */
  C_LOWER,    /* lowercase copy */
  C_DEFPATH,  /* Defender "file:_C:\x" -> "C:\x" (first of a list) */
  C_KV,       /* "Key=value" line of a text block (key in mf.key) */
  C_KVUSER,   /* as C_KV, then as C_DOMUSER */
  C_OUTCOME   /* Kerberos/NTLM status: 0x0 -> success else failure */
};

struct mf {
  const char *src, *dst;
  enum conv conv;
  const char *key;
};

struct mrule {
  const char *provider;
  unsigned id;
  const char *category, *type, *action, *outcome;
  const char *msg;
  const struct mf *common, *own;
};

#define END { NULL, NULL, C_STR, NULL }

/* ---- the tables ------------------------------------------------------------ */

#define SEC "Microsoft-Windows-Security-Auditing"
#define EVENTLOG "Microsoft-Windows-Eventlog"
#define SCM "Service Control Manager"
#define SYSMON "Microsoft-Windows-Sysmon"
#define PS "Microsoft-Windows-PowerShell"
#define PSCLASSIC "PowerShell"
#define TASKS "Microsoft-Windows-TaskScheduler"
#define LSM "Microsoft-Windows-TerminalServices-LocalSessionManager"
#define RCM "Microsoft-Windows-TerminalServices-RemoteConnectionManager"
#define DEFENDER "Microsoft-Windows-Windows Defender"

static const struct mf subject[] = {
  { "SubjectUserName", "user.name", C_STR, NULL },
  { "SubjectDomainName", "user.domain", C_STR, NULL },
  { "SubjectUserSid", "user.id", C_STR, NULL },
  { "SubjectLogonId", "winlog.logon.id", C_STR, NULL },
  END
};

static const struct mf logon[] = {
  { "TargetUserName", "user.name", C_STR, NULL },
  { "TargetDomainName", "user.domain", C_STR, NULL },
  { "TargetUserSid", "user.id", C_STR, NULL },
  { "TargetLogonId", "winlog.logon.id", C_STR, NULL },
  { "LogonType", "winlog.logon.type", C_LOGON, NULL },
  { "IpAddress", "source.ip", C_IP, NULL },
  { "IpPort", "source.port", C_PORT, NULL },
  { "WorkstationName", "source.domain", C_STR, NULL },
  { "ProcessName", "process.executable", C_EXE, NULL },
  { "ProcessId", "process.pid", C_INT, NULL },
  { "SubjectUserName", "user.effective.name", C_STR, NULL },
  { "SubjectDomainName", "user.effective.domain", C_STR, NULL },
  { "Status", "winlog.logon.failure.status", C_STR, NULL },
  { "SubStatus", "winlog.logon.failure.sub_status", C_STR, NULL },
  { "FailureReason", "winlog.logon.failure.reason", C_STR, NULL },
  END
};

static const struct mf target_account[] = {
  { "TargetUserName", "user.target.name", C_STR, NULL },
  { "TargetDomainName", "user.target.domain", C_STR, NULL },
  { "TargetSid", "user.target.id", C_STR, NULL },
  END
};

static const struct mf kerberos[] = {
  { "TargetUserName", "user.name", C_STR, NULL },
  { "TargetDomainName", "user.domain", C_STR, NULL },
  { "TargetSid", "user.id", C_STR, NULL },
  { "ServiceName", "service.name", C_STR, NULL },
  { "IpAddress", "source.ip", C_IP, NULL },
  { "IpPort", "source.port", C_PORT, NULL },
  { "Status", "", C_OUTCOME, NULL },
  END
};

static const struct mf share[] = {
  { "IpAddress", "source.ip", C_IP, NULL },
  { "IpPort", "source.port", C_PORT, NULL },
  { "ShareLocalPath", "file.directory", C_STR, NULL },
  { "RelativeTargetName", "file.path", C_STR, NULL },
  END
};

static const struct mf cleared[] = {
  { "/SubjectUserName", "user.name", C_STR, NULL },
  { "/SubjectDomainName", "user.domain", C_STR, NULL },
  { "/SubjectUserSid", "user.id", C_STR, NULL },
  END
};

static const struct mf sysmon[] = {
  { "ProcessGuid", "process.entity_id", C_STR, NULL },
  { "ProcessId", "process.pid", C_INT, NULL },
  { "Image", "process.executable", C_EXE, NULL },
  { "User", "user.name", C_DOMUSER, NULL },
  { "CommandLine", "process.command_line", C_STR, NULL },
  { "CurrentDirectory", "process.working_directory", C_STR, NULL },
  { "IntegrityLevel", "process.Ext.token.integrity_level_name", C_STR, NULL },
  { "LogonId", "winlog.logon.id", C_STR, NULL },
  { "ParentProcessGuid", "process.parent.entity_id", C_STR, NULL },
  { "ParentProcessId", "process.parent.pid", C_INT, NULL },
  { "ParentImage", "process.parent.executable", C_EXE, NULL },
  { "ParentCommandLine", "process.parent.command_line", C_STR, NULL },
  { "TargetFilename", "file.path", C_EXE, NULL },
  { "TargetObject", "registry.path", C_STR, NULL },
  { "Details", "registry.data.strings", C_STR, NULL },
  { "Protocol", "network.transport", C_LOWER, NULL },
  { "Initiated", "network.direction", C_DIR, NULL },
  { "SourceIp", "source.ip", C_IP, NULL },
  { "SourceHostname", "source.domain", C_STR, NULL },
  { "SourcePort", "source.port", C_PORT, NULL },
  { "DestinationIp", "destination.ip", C_IP, NULL },
  { "DestinationHostname", "destination.domain", C_STR, NULL },
  { "DestinationPort", "destination.port", C_PORT, NULL },
  { "QueryName", "dns.question.name", C_STR, NULL },
  { "QueryResults", "dns.answers.data", C_STR, NULL },
  { "SourceProcessGuid", "process.entity_id", C_STR, NULL },
  { "SourceProcessGUID", "process.entity_id", C_STR, NULL },
  { "SourceProcessId", "process.pid", C_INT, NULL },
  { "SourceImage", "process.executable", C_EXE, NULL },
  { "SourceUser", "user.name", C_DOMUSER, NULL },
  { "PipeName", "file.name", C_STR, NULL },
  { "Device", "file.path", C_STR, NULL },
  END
};

static const struct mf sysmon_hashes_process[] = {
  { "Hashes", "process.hash", C_HASHES, NULL },
  END
};

static const struct mf sysmon_hashes_file[] = {
  { "ImageLoaded", "file.path", C_EXE, NULL },
  { "Hashes", "file.hash", C_HASHES, NULL },
  { "Hash", "file.hash", C_HASHES, NULL },
  END
};

static const struct mf ps_script[] = {
  { "ScriptBlockText", "powershell.file.script_block_text", C_STR, NULL },
  { "ScriptBlockId", "powershell.file.script_block_id", C_STR, NULL },
  { "Path", "file.path", C_STR, NULL },
  { "ContextInfo", "process.command_line", C_KV, "Host Application" },
  { "ContextInfo", "user.name", C_KVUSER, "User" },
  { "Payload", "powershell.payload", C_STR, NULL },
  END
};

static const struct mf ps_classic[] = {
  { "param1", "powershell.command.value", C_STR, NULL },
  { "param2", "process.command_line", C_KV, "HostApplication" },
  { "param3", "process.command_line", C_KV, "HostApplication" },
  { "param2", "user.name", C_KVUSER, "UserId" },
  { "param3", "user.name", C_KVUSER, "UserId" },
  END
};

static const struct mf tasks[] = {
  { "UserContext", "user.name", C_DOMUSER, NULL },
  { "UserName", "user.name", C_DOMUSER, NULL },
  { "ActionName", "process.executable", C_EXE, NULL },
  END
};

static const struct mf rdp_lsm[] = {
  { "/User", "user.name", C_DOMUSER, NULL },
  { "/Address", "source.ip", C_IP, NULL },
  END
};

static const struct mf rdp_rcm[] = {
  { "/Param1", "user.name", C_STR, NULL },
  { "/Param2", "user.domain", C_STR, NULL },
  { "/Param3", "source.ip", C_IP, NULL },
  END
};

static const struct mf defender[] = {
  { "Threat Name", "threat.software.name", C_STR, NULL },
  { "Path", "file.path", C_DEFPATH, NULL },
  { "Detection User", "user.name", C_DOMUSER, NULL },
  { "Process Name", "process.executable", C_EXE, NULL },
  END
};

static const struct mf service_install[] = {
  { "ServiceName", "service.name", C_STR, NULL },
  { "ImagePath", "process.command_line", C_STR, NULL },
  { "ServiceFileName", "process.command_line", C_STR, NULL },
  { "ServiceType", "service.type", C_STR, NULL },
  { "AccountName", "user.name", C_STR, NULL },
  END
};

static const struct mf service_state[] = {
  { "param1", "service.name", C_STR, NULL },
  { "param2", "service.state", C_STR, NULL },
  END
};

static const struct mrule rules[] = {
  /* Security */
  { SEC, 4624, "authentication", "start", "logged-in", "success",
    "logon {user.domain}\\{user.name} type {winlog.logon.type} from "
    "{source.ip} ({source.domain}) by {process.executable}", logon, NULL },
  { SEC, 4625, "authentication", "start", "logon-failed", "failure",
    "failed logon {user.domain}\\{user.name} type {winlog.logon.type} from "
    "{source.ip} ({source.domain}) status {winlog.logon.failure.sub_status}",
    logon, NULL },
  { SEC, 4634, "authentication", "end", "logged-out", "success",
    "logoff {user.domain}\\{user.name} type {winlog.logon.type}", logon,
    NULL },
  { SEC, 4647, "authentication", "end", "logged-out", "success",
    "user initiated logoff {user.domain}\\{user.name}", logon, NULL },
  { SEC, 4648, "authentication", "start", "logged-in-explicit", "success",
    "explicit credentials: {user.domain}\\{user.name} as "
    "{user.target.domain}\\{user.target.name} to "
    "{winlog.event_data.TargetServerName} by {process.executable}", subject,
    (const struct mf[]){
      { "TargetUserName", "user.target.name", C_STR, NULL },
      { "TargetDomainName", "user.target.domain", C_STR, NULL },
      { "TargetServerName", "destination.domain", C_STR, NULL },
      { "IpAddress", "destination.ip", C_IP, NULL },
      { "IpPort", "destination.port", C_PORT, NULL },
      { "ProcessName", "process.executable", C_EXE, NULL },
      { "ProcessId", "process.pid", C_INT, NULL },
      END } },
  { SEC, 4672, "iam", "admin", "logged-in-special", "success",
    "special privileges assigned to {user.domain}\\{user.name}", subject,
    NULL },
  { SEC, 4688, "process", "start", "created-process", "success",
    "process {process.executable} started by {user.domain}\\{user.name}: "
    "{process.command_line} (parent {process.parent.executable})", subject,
    (const struct mf[]){
      { "NewProcessName", "process.executable", C_EXE, NULL },
      { "NewProcessId", "process.pid", C_INT, NULL },
      { "CommandLine", "process.command_line", C_STR, NULL },
      { "ParentProcessName", "process.parent.executable", C_EXE, NULL },
      { "ProcessId", "process.parent.pid", C_INT, NULL },
      { "TargetUserName", "user.target.name", C_STR, NULL },
      { "TargetDomainName", "user.target.domain", C_STR, NULL },
      END } },
  { SEC, 4689, "process", "end", "exited-process", "success",
    "process {process.executable} exited", subject,
    (const struct mf[]){
      { "ProcessName", "process.executable", C_EXE, NULL },
      { "ProcessId", "process.pid", C_INT, NULL },
      END } },
  { SEC, 4697, "configuration", "creation", "service-installed", "success",
    "service {service.name} installed by {user.domain}\\{user.name}: "
    "{process.command_line}", subject,
    (const struct mf[]){
      { "ServiceName", "service.name", C_STR, NULL },
      { "ServiceFileName", "process.command_line", C_STR, NULL },
      { "ServiceType", "service.type", C_STR, NULL },
      { "ServiceAccount", "user.target.name", C_STR, NULL },
      END } },
  { SEC, 4698, "configuration", "creation", "scheduled-task-created",
    "success", "scheduled task {winlog.event_data.TaskName} created by "
    "{user.domain}\\{user.name}", subject, NULL },
  { SEC, 4720, "iam", "user,creation", "added-user-account", "success",
    "user account {user.target.domain}\\{user.target.name} created by "
    "{user.domain}\\{user.name}", subject, target_account },
  { SEC, 4726, "iam", "user,deletion", "deleted-user-account", "success",
    "user account {user.target.domain}\\{user.target.name} deleted by "
    "{user.domain}\\{user.name}", subject, target_account },
  { SEC, 4732, "iam", "group,change", "added-member-to-group", "success",
    "{user.target.id} added to group {group.domain}\\{group.name} by "
    "{user.domain}\\{user.name}", subject,
    (const struct mf[]){
      { "MemberName", "user.target.name", C_STR, NULL },
      { "MemberSid", "user.target.id", C_STR, NULL },
      { "TargetUserName", "group.name", C_STR, NULL },
      { "TargetDomainName", "group.domain", C_STR, NULL },
      { "TargetSid", "group.id", C_STR, NULL },
      END } },
  { SEC, 4768, "authentication", "start",
    "kerberos-authentication-ticket-requested", NULL,
    "kerberos TGT requested for {user.domain}\\{user.name} from {source.ip} "
    "status {winlog.event_data.Status}", kerberos, NULL },
  { SEC, 4769, "authentication", "start",
    "kerberos-service-ticket-requested", NULL,
    "kerberos service ticket for {service.name} requested by "
    "{user.domain}\\{user.name} from {source.ip} encryption "
    "{winlog.event_data.TicketEncryptionType}", kerberos, NULL },
  { SEC, 4776, "authentication", "start", "credential-validated", NULL,
    "credentials of {user.name} validated from {source.domain} status "
    "{winlog.event_data.Status}", NULL,
    (const struct mf[]){
      { "TargetUserName", "user.name", C_STR, NULL },
      { "Workstation", "source.domain", C_STR, NULL },
      { "Status", "", C_OUTCOME, NULL },
      END } },
  { EVENTLOG, 1102, "configuration", "deletion", "audit-log-cleared",
    "success", "security audit log cleared by {user.domain}\\{user.name}",
    cleared, NULL },
  { SEC, 5140, "network,file", "access", "network-share-object-accessed",
    "success", "share {winlog.event_data.ShareName} accessed by "
    "{user.domain}\\{user.name} from {source.ip}", subject, share },
  { SEC, 5145, "network,file", "access",
    "network-share-object-access-checked", "success",
    "share {winlog.event_data.ShareName} file {file.path} checked for "
    "{user.domain}\\{user.name} from {source.ip}", subject, share },
  /* System */
  { SCM, 7045, "configuration", "creation", "service-installed", "success",
    "service {service.name} installed: {process.command_line} (account "
    "{user.name})", service_install, NULL },
  { SCM, 7036, "configuration", "change", "service-state-changed", NULL,
    "service {service.name} entered state {service.state}", service_state,
    NULL },
  { EVENTLOG, 104, "configuration", "deletion", "log-cleared", "success",
    "event log {winlog.user_data.Channel} cleared by "
    "{user.domain}\\{user.name}", cleared, NULL },
  /* Sysmon */
  { SYSMON, 1, "process", "start", "process-created", NULL,
    "process {process.executable} started by {user.domain}\\{user.name}: "
    "{process.command_line} (parent {process.parent.executable})", sysmon,
    sysmon_hashes_process },
  { SYSMON, 2, "file", "change", "file-creation-time-changed", NULL,
    "{process.executable} changed the creation time of {file.path}",
    sysmon, NULL },
  { SYSMON, 3, "network", "connection,start", "network-connection", NULL,
    "{process.executable} {network.transport} {source.ip}:{source.port} -> "
    "{destination.ip}:{destination.port} ({destination.domain})", sysmon,
    NULL },
  { SYSMON, 4, "configuration", "change", "sysmon-service-state-changed",
    NULL, "sysmon service state {winlog.event_data.State}", sysmon, NULL },
  { SYSMON, 5, "process", "end", "process-terminated", NULL,
    "process {process.executable} terminated", sysmon, NULL },
  { SYSMON, 6, "driver", "start", "driver-loaded", NULL,
    "driver {file.path} loaded (signed {winlog.event_data.Signed}, "
    "{winlog.event_data.Signature})", sysmon, sysmon_hashes_file },
  { SYSMON, 7, "library", "start", "image-loaded", NULL,
    "{process.executable} loaded {file.path}", sysmon, sysmon_hashes_file },
  { SYSMON, 8, "process", "change", "create-remote-thread", NULL,
    "{process.executable} created a thread in "
    "{winlog.event_data.TargetImage}", sysmon, NULL },
  { SYSMON, 9, "file", "access", "raw-access-read", NULL,
    "{process.executable} read {file.path} raw", sysmon, NULL },
  { SYSMON, 10, "process", "access", "process-accessed", NULL,
    "{process.executable} accessed {winlog.event_data.TargetImage} "
    "(access {winlog.event_data.GrantedAccess})", sysmon, NULL },
  { SYSMON, 11, "file", "creation", "file-created", NULL,
    "{process.executable} created {file.path}", sysmon, NULL },
  { SYSMON, 12, "registry", "change", "registry-object-added-or-deleted",
    NULL, "{process.executable} {winlog.event_data.EventType} "
    "{registry.path}", sysmon, NULL },
  { SYSMON, 13, "registry", "change", "registry-value-set", NULL,
    "{process.executable} set {registry.path} = {registry.data.strings}",
    sysmon, NULL },
  { SYSMON, 14, "registry", "change", "registry-object-renamed", NULL,
    "{process.executable} renamed {registry.path} to "
    "{winlog.event_data.NewName}", sysmon, NULL },
  { SYSMON, 15, "file", "creation", "file-stream-created", NULL,
    "{process.executable} created stream {file.path}", sysmon,
    sysmon_hashes_file },
  { SYSMON, 16, "configuration", "change", "sysmon-config-state-changed",
    NULL, "sysmon configuration {winlog.event_data.Configuration}", sysmon,
    NULL },
  { SYSMON, 17, "file", "creation", "pipe-created", NULL,
    "{process.executable} created pipe {file.name}", sysmon, NULL },
  { SYSMON, 18, "file", "access", "pipe-connected", NULL,
    "{process.executable} connected to pipe {file.name}", sysmon, NULL },
  { SYSMON, 19, "configuration", "creation", "wmi-event-filter", NULL,
    "WMI filter {winlog.event_data.Name}: {winlog.event_data.Query}",
    sysmon, NULL },
  { SYSMON, 20, "configuration", "creation", "wmi-event-consumer", NULL,
    "WMI consumer {winlog.event_data.Name}: "
    "{winlog.event_data.Destination}", sysmon, NULL },
  { SYSMON, 21, "configuration", "creation", "wmi-event-consumer-to-filter",
    NULL, "WMI binding {winlog.event_data.Consumer} -> "
    "{winlog.event_data.Filter}", sysmon, NULL },
  { SYSMON, 22, "network", "protocol,info", "dns-query", NULL,
    "{process.executable} resolved {dns.question.name}: {dns.answers.data}",
    sysmon, NULL },
  { SYSMON, 23, "file", "deletion", "file-deleted", NULL,
    "{process.executable} deleted {file.path} (archived)", sysmon,
    sysmon_hashes_file },
  { SYSMON, 24, "host", "change", "clipboard-changed", NULL,
    "{process.executable} changed the clipboard", sysmon, NULL },
  { SYSMON, 25, "process", "change", "process-tampering", NULL,
    "process {process.executable} tampered: {winlog.event_data.Type}",
    sysmon, NULL },
  { SYSMON, 26, "file", "deletion", "file-deleted-detected", NULL,
    "{process.executable} deleted {file.path}", sysmon, sysmon_hashes_file },
  { SYSMON, 27, "file", "denied", "file-block-executable", "failure",
    "{process.executable} blocked from creating executable {file.path}",
    sysmon, sysmon_hashes_file },
  { SYSMON, 28, "file", "denied", "file-block-shredding", "failure",
    "{process.executable} blocked from shredding {file.path}", sysmon,
    sysmon_hashes_file },
  { SYSMON, 29, "file", "creation", "file-executable-detected", NULL,
    "{process.executable} created executable {file.path}", sysmon,
    sysmon_hashes_file },
  /* PowerShell */
  { PS, 4103, "process", "info", "powershell-pipeline-executed", NULL,
    "PowerShell pipeline in {process.command_line}: {powershell.payload}",
    ps_script, NULL },
  { PS, 4104, "process", "info", "powershell-script-block-logged", NULL,
    "PowerShell script block {winlog.event_data.MessageNumber}/"
    "{winlog.event_data.MessageTotal}: "
    "{powershell.file.script_block_text}", ps_script, NULL },
  { PSCLASSIC, 400, "process", "start", "powershell-engine-started", NULL,
    "PowerShell engine started: {process.command_line}", ps_classic, NULL },
  { PSCLASSIC, 800, "process", "info", "powershell-pipeline-executed", NULL,
    "PowerShell pipeline: {powershell.command.value} (host "
    "{process.command_line})", ps_classic, NULL },
  /* Task Scheduler */
  { TASKS, 106, "configuration", "creation", "scheduled-task-registered",
    "success", "scheduled task {winlog.event_data.TaskName} registered by "
    "{user.domain}\\{user.name}", tasks, NULL },
  { TASKS, 140, "configuration", "change", "scheduled-task-updated",
    "success", "scheduled task {winlog.event_data.TaskName} updated by "
    "{user.domain}\\{user.name}", tasks, NULL },
  { TASKS, 141, "configuration", "deletion", "scheduled-task-deleted",
    "success", "scheduled task {winlog.event_data.TaskName} deleted by "
    "{user.domain}\\{user.name}", tasks, NULL },
  { TASKS, 200, "process", "start", "scheduled-task-action-started", NULL,
    "scheduled task {winlog.event_data.TaskName} started "
    "{process.executable}", tasks, NULL },
  { TASKS, 201, "process", "end", "scheduled-task-action-completed", NULL,
    "scheduled task {winlog.event_data.TaskName} action "
    "{process.executable} completed with {winlog.event_data.ResultCode}",
    tasks, NULL },
  /* Terminal Services (RDP) */
  { LSM, 21, "authentication,session", "start", "rdp-session-logon",
    "success", "RDP session logon {user.domain}\\{user.name} from "
    "{source.ip}{source.address}", rdp_lsm, NULL },
  { LSM, 22, "session", "start", "rdp-shell-started", "success",
    "RDP shell start {user.domain}\\{user.name} from "
    "{source.ip}{source.address}", rdp_lsm, NULL },
  { LSM, 23, "session", "end", "rdp-session-logoff", "success",
    "RDP session logoff {user.domain}\\{user.name}", rdp_lsm, NULL },
  { LSM, 24, "session", "end", "rdp-session-disconnected", "success",
    "RDP session disconnected {user.domain}\\{user.name} from "
    "{source.ip}{source.address}", rdp_lsm, NULL },
  { LSM, 25, "session", "start", "rdp-session-reconnected", "success",
    "RDP session reconnected {user.domain}\\{user.name} from "
    "{source.ip}{source.address}", rdp_lsm, NULL },
  { RCM, 1149, "authentication", "start", "rdp-user-authenticated",
    "success", "RDP user authenticated {user.domain}\\{user.name} from "
    "{source.ip}{source.address}", rdp_rcm, NULL },
  /* Windows Defender */
  { DEFENDER, 1116, "malware,intrusion_detection", "info",
    "malware-detected", NULL,
    "Defender detected {threat.software.name} in {file.path} "
    "(user {user.domain}\\{user.name}, process {process.executable})",
    defender, NULL },
  { DEFENDER, 1117, "malware,intrusion_detection", "info",
    "malware-action-taken", "success",
    "Defender action {winlog.event_data.Action Name} on "
    "{threat.software.name} in {file.path}", defender, NULL },
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))

/* ---- compiled form ---------------------------------------------------------- */

struct cmf {
  uint32_t src, dst, alt; /* alt: name/domain/address companion field */
  enum conv conv;
  const char *key;
  size_t keylen;
};

struct cseg {
  const char *text;
  size_t len;
  uint32_t id; /* 0: literal text */
};

struct crule {
  const struct mrule *r;
  struct cmf *f;
  size_t nf;
  struct cseg *seg;
  size_t nseg;
};

static struct crule crules[NRULES];
static struct rift_hmap byrule;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_failed;
static uint32_t id_event_data_prefix_len;

struct hashalgo {
  const char *name;
  uint32_t process_id, file_id;
};
static struct hashalgo algos[] = {
  { "md5", 0, 0 }, { "sha1", 0, 0 }, { "sha256", 0, 0 }, { "imphash", 0, 0 },
};

static uint32_t fid(const char *name)
{
  return rift_field_id(name, strlen(name));
}

static uint32_t src_id(const char *src)
{
  char name[256];
  if(src[0] == '/')
    snprintf(name, sizeof(name), "winlog.user_data.%s", src + 1);
  else
    snprintf(name, sizeof(name), "winlog.event_data.%s", src);
  return fid(name);
}

/* The companion of a destination: process.executable -> process.name... */
static uint32_t alt_of(const char *dst, enum conv conv)
{
  static const struct {
    const char *dst, *alt;
  } pairs[] = {
    { "process.executable", "process.name" },
    { "process.parent.executable", "process.parent.name" },
    { "file.path", "file.name" },
    { "user.name", "user.domain" },
    { "user.target.name", "user.target.domain" },
    { "source.ip", "source.address" },
    { "destination.ip", "destination.address" },
  };
  size_t i;
  if(conv != C_EXE && conv != C_DOMUSER && conv != C_KVUSER && conv != C_IP)
    return 0;
  for(i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
    if(!strcmp(pairs[i].dst, dst))
      return fid(pairs[i].alt);
  }
  return 0;
}

static int add_maps(struct crule *c, const struct mf *m)
{
  for(; m && m->src; m++) {
    struct cmf *x = &c->f[c->nf++];
    x->src = src_id(m->src);
    x->dst = *m->dst ? fid(m->dst) : 0;
    x->alt = alt_of(m->dst, m->conv);
    x->conv = m->conv;
    x->key = m->key;
    x->keylen = m->key ? strlen(m->key) : 0;
    if(!x->src || (*m->dst && !x->dst))
      return -1;
  }
  return 0;
}

static size_t count_maps(const struct mf *m)
{
  size_t n = 0;
  for(; m && m->src; m++)
    n++;
  return n;
}

static int compile_msg(struct crule *c, const char *t)
{
  size_t n = 1;
  const char *p;
  for(p = t; *p; p++)
    n += *p == '{' ? 2 : 0;
  c->seg = calloc(n, sizeof(*c->seg));
  if(!c->seg)
    return -1;
  p = t;
  while(*p) {
    const char *open = strchr(p, '{'), *close;
    if(!open) {
      c->seg[c->nseg].text = p;
      c->seg[c->nseg++].len = strlen(p);
      break;
    }
    if(open > p) {
      c->seg[c->nseg].text = p;
      c->seg[c->nseg++].len = (size_t)(open - p);
    }
    close = strchr(open, '}');
    if(!close)
      return -1;
    c->seg[c->nseg].id = rift_field_id(open + 1, (size_t)(close - open - 1));
    if(!c->seg[c->nseg].id)
      return -1;
    c->nseg++;
    p = close + 1;
  }
  return 0;
}

static size_t rule_key(char *key, size_t cap, const char *provider, size_t plen,
                       unsigned id)
{
  size_t i, n;
  if(plen + 16 > cap)
    return 0;
  for(i = 0; i < plen; i++) {
    char ch = provider[i];
    key[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
  }
  key[plen] = '|';
  n = plen + 1 + rift_fmt_u64(key + plen + 1, id);
  key[n] = 0;
  return n;
}

static void init(void)
{
  size_t i;
  char key[300], name[64];
  rift_hmap_init(&byrule, 4096);
  id_event_data_prefix_len = 18;
  for(i = 0; i < sizeof(algos) / sizeof(algos[0]); i++) {
    snprintf(name, sizeof(name), "process.hash.%s", algos[i].name);
    algos[i].process_id = fid(name);
    snprintf(name, sizeof(name), "file.hash.%s", algos[i].name);
    algos[i].file_id = fid(name);
  }
  for(i = 0; i < NRULES; i++) {
    struct crule *c = &crules[i];
    const struct mrule *r = &rules[i];
    union rift_hval *v;
    int isnew;
    size_t klen;
    c->r = r;
    c->f = calloc(count_maps(r->common) + count_maps(r->own) + 1,
                  sizeof(*c->f));
    if(!c->f || add_maps(c, r->own) || add_maps(c, r->common) ||
       compile_msg(c, r->msg)) {
      init_failed = 1;
      return;
    }
    klen = rule_key(key, sizeof(key), r->provider, strlen(r->provider),
                    r->id);
    if(!klen || rift_hmap_put(&byrule, key, klen, &v, &isnew)) {
      init_failed = 1;
      return;
    }
    v->p = c;
  }
}

unsigned rift_map_winlog_rules(void)
{
  return (unsigned)NRULES;
}

/* ---- conversions -------------------------------------------------------------- */

static int skip_text(const char *s, size_t n)
{
  return !n || (n == 1 && s[0] == '-');
}

/* Add s as field id; s is referenced when it is a NUL-terminated tail
 * of a value that lives in the batch, else copied (event strings are
 * NUL-terminated: a prefix or middle part must be copied). */
static rift_err add_text(struct rift_batch *b, struct rift_event *e,
                         uint32_t id, const char *s, size_t n, int copy)
{
  if(skip_text(s, n) || !id)
    return RIFT_OK;
  return copy || s[n] ? rift_event_add_str(b, e, id, s, n)
                      : rift_event_add_strref(b, e, id, s, n);
}

static int parse_int(const char *s, size_t n, int64_t *v)
{
  uint64_t u = 0;
  size_t i = 0;
  int hex = 0, neg = 0;
  if(n && s[0] == '-') {
    neg = 1;
    i = 1;
  }
  if(n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    hex = 1;
    i += 2;
  }
  if(i >= n || n - i > 20)
    return -1;
  for(; i < n; i++) {
    char c = s[i];
    unsigned d;
    if(c >= '0' && c <= '9')
      d = (unsigned)(c - '0');
    else if(hex && c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else if(hex && c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A' + 10);
    else
      return -1;
    if(u > (UINT64_MAX - d) / (hex ? 16 : 10))
      return -1;
    u = u * (hex ? 16 : 10) + d;
  }
  if(u > INT64_MAX)
    return -1;
  *v = neg ? -(int64_t)u : (int64_t)u;
  return 0;
}

static int is_ip(const char *s, size_t n)
{
  char buf[64];
  unsigned char a[16];
  if(n >= sizeof(buf))
    return 0;
  memcpy(buf, s, n);
  buf[n] = 0;
  return inet_pton(AF_INET, buf, a) == 1 || inet_pton(AF_INET6, buf, a) == 1;
}

static const char *const logon_types[] = {
  NULL, NULL, "Interactive", "Network", "Batch", "Service", "Proxy",
  "Unlock", "NetworkCleartext", "NewCredentials", "RemoteInteractive",
  "CachedInteractive", "CachedRemoteInteractive", "CachedUnlock"
};

/* The value of "key=value" or "key = value" on a line of s. */
static const char *kv_find(const char *s, size_t n, const char *key,
                           size_t klen, size_t *vlen)
{
  size_t i = 0;
  while(i < n) {
    size_t ls = i, le, k;
    while(i < n && s[i] != '\n' && s[i] != '\r')
      i++;
    le = i;
    while(i < n && (s[i] == '\n' || s[i] == '\r'))
      i++;
    while(ls < le && (s[ls] == ' ' || s[ls] == '\t'))
      ls++;
    if(le - ls <= klen || memcmp(s + ls, key, klen))
      continue;
    k = ls + klen;
    while(k < le && s[k] == ' ')
      k++;
    if(k >= le || s[k] != '=')
      continue;
    k++;
    while(k < le && s[k] == ' ')
      k++;
    while(le > k && (s[le - 1] == ' ' || s[le - 1] == '\t'))
      le--;
    *vlen = le - k;
    return s + k;
  }
  return NULL;
}

static rift_err domuser(struct rift_batch *b, struct rift_event *e,
                        const struct cmf *m, const char *s, size_t n)
{
  const char *bs = memchr(s, '\\', n);
  rift_err rc;
  if(!bs)
    return add_text(b, e, m->dst, s, n, 0);
  rc = add_text(b, e, m->dst, bs + 1, n - (size_t)(bs - s) - 1, 0);
  if(!rc)
    rc = add_text(b, e, m->alt, s, (size_t)(bs - s), 0);
  return rc;
}

static rift_err convert(struct rift_batch *b, struct rift_event *e,
                        const struct cmf *m, const struct rift_value *v)
{
  char tmp[40];
  size_t n;
  const char *s = rift_value_str(v, tmp, &n);
  int copy = s == tmp;
  int64_t iv;
  if(!s)
    return RIFT_OK;
  switch(m->conv) {
  case C_STR:
    return add_text(b, e, m->dst, s, n, copy);
  case C_INT:
  case C_PORT:
    if(v->type == RIFT_V_INT || v->type == RIFT_V_UINT) {
      if(m->conv == C_PORT && !v->u)
        return RIFT_OK;
      return rift_event_add(b, e, m->dst, v);
    }
    if(parse_int(s, n, &iv) || (m->conv == C_PORT && iv <= 0))
      return RIFT_OK;
    return rift_event_add_int(b, e, m->dst, iv);
  case C_IP:
    if(n > 7 && !memcmp(s, "::ffff:", 7) && memchr(s + 7, '.', n - 7)) {
      s += 7;
      n -= 7;
    }
    if(skip_text(s, n))
      return RIFT_OK;
    if(is_ip(s, n))
      return add_text(b, e, m->dst, s, n, copy);
    return add_text(b, e, m->alt, s, n, copy);
  case C_EXE: {
    size_t k = n;
    rift_err rc = add_text(b, e, m->dst, s, n, copy);
    if(rc || skip_text(s, n) || !m->alt)
      return rc;
    while(k && s[k - 1] != '\\' && s[k - 1] != '/')
      k--;
    return add_text(b, e, m->alt, s + k, n - k, copy);
  }
  case C_DOMUSER:
    if(copy)
      return RIFT_OK;
    return domuser(b, e, m, s, n);
  case C_HASHES: {
    size_t i = 0;
    int file = m->dst == fid("file.hash");
    while(i < n) {
      size_t st = i, eq, en, a;
      while(i < n && s[i] != ',')
        i++;
      en = i++;
      for(eq = st; eq < en && s[eq] != '='; eq++)
        ;
      if(eq >= en)
        continue;
      for(a = 0; a < sizeof(algos) / sizeof(algos[0]); a++) {
        size_t al = strlen(algos[a].name), k;
        if(al != eq - st)
          continue;
        for(k = 0; k < al; k++) {
          char c = s[st + k];
          if(c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
          if(c != algos[a].name[k])
            break;
        }
        if(k == al) {
          char low[130];
          size_t hl = en - eq - 1, j;
          if(hl >= sizeof(low))
            break;
          for(j = 0; j < hl; j++) {
            char c = s[eq + 1 + j];
            low[j] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
          }
          if(hl) {
            rift_err rc = rift_event_add_str(
              b, e, file ? algos[a].file_id : algos[a].process_id, low, hl);
            if(rc)
              return rc;
          }
          break;
        }
      }
    }
    return RIFT_OK;
  }
  case C_LOGON:
    if(parse_int(s, n, &iv) || iv < 0 ||
       iv >= (int64_t)(sizeof(logon_types) / sizeof(logon_types[0])) ||
       !logon_types[iv])
      return RIFT_OK;
    return rift_event_add_strref(b, e, m->dst, logon_types[iv],
                                 strlen(logon_types[iv]));
  case C_DIR:
    if(v->type == RIFT_V_BOOL)
      iv = v->b;
    else if(n == 4 && !strncasecmp(s, "true", 4))
      iv = 1;
    else if(n == 5 && !strncasecmp(s, "false", 5))
      iv = 0;
    else
      return RIFT_OK;
    return rift_event_add_strref(b, e, m->dst, iv ? "egress" : "ingress",
                                 iv ? 6 : 7);
  case C_LOWER: {
    char low[64];
    size_t j;
    if(n >= sizeof(low) || skip_text(s, n))
      return RIFT_OK;
    for(j = 0; j < n; j++)
      low[j] = s[j] >= 'A' && s[j] <= 'Z' ? (char)(s[j] + 32) : s[j];
    return rift_event_add_str(b, e, m->dst, low, n);
  }
  case C_DEFPATH: {
    const char *semi;
    if(n > 6 && !memcmp(s, "file:_", 6)) {
      s += 6;
      n -= 6;
    }
    semi = memchr(s, ';', n);
    if(semi)
      n = (size_t)(semi - s);
    return add_text(b, e, m->dst, s, n, copy);
  }
  case C_KV:
  case C_KVUSER: {
    size_t vl;
    const char *val = kv_find(s, n, m->key, m->keylen, &vl);
    if(!val || skip_text(val, vl))
      return RIFT_OK;
    if(rift_event_get(e, m->dst))
      return RIFT_OK; /* the first source that has it wins */
    if(m->conv == C_KV)
      return add_text(b, e, m->dst, val, vl, copy);
    return copy ? RIFT_OK : domuser(b, e, m, val, vl);
  }
  case C_OUTCOME:
    if(parse_int(s, n, &iv))
      return RIFT_OK;
    e->outcome = iv == 0 ? "success" : "failure";
    return RIFT_OK;
  }
  return RIFT_OK;
}

/* ---- the message ------------------------------------------------------------ */

/* Append s (n bytes) to m as one line: control characters become spaces,
 * runs of white space collapse.  Stops at the message limit. */
static void msg_add(char *m, size_t *len, const char *s, size_t n)
{
  size_t i;
  for(i = 0; i < n && *len < RIFT_MAP_MESSAGE_MAX; i++) {
    char c = s[i];
    if((unsigned char)c < 0x20)
      c = ' ';
    if(c == ' ' && *len && m[*len - 1] == ' ')
      continue;
    m[(*len)++] = c;
  }
}

/* Cut at the limit on a UTF-8 character boundary and trim. */
static size_t msg_end(char *m, size_t len)
{
  if(len >= RIFT_MAP_MESSAGE_MAX) {
    len = RIFT_MAP_MESSAGE_MAX - 3;
    while(len && ((unsigned char)m[len] & 0xC0) == 0x80)
      len--;
    memcpy(m + len, "...", 3);
    len += 3;
  }
  while(len && m[len - 1] == ' ')
    len--;
  return len;
}

static rift_err render(struct rift_batch *b, struct rift_event *e,
                       const struct crule *c)
{
  char m[RIFT_MAP_MESSAGE_MAX + 8], tmp[40];
  size_t len = 0, i, n;
  for(i = 0; i < c->nseg; i++) {
    const struct cseg *sg = &c->seg[i];
    const struct rift_value *v;
    const char *s;
    if(!sg->id) {
      msg_add(m, &len, sg->text, sg->len);
      continue;
    }
    v = rift_event_get(e, sg->id);
    s = v ? rift_value_str(v, tmp, &n) : NULL;
    if(!s || !n) {
      /* "{source.ip}{source.address}": only one of a pair is set */
      if(i + 1 < c->nseg && c->seg[i + 1].id)
        continue;
      if(i && c->seg[i - 1].id && len && m[len - 1] != ' ')
        continue;
      s = "-";
      n = 1;
    }
    msg_add(m, &len, s, n);
  }
  len = msg_end(m, len);
  e->message = rift_batch_str(b, m, len);
  return e->message ? RIFT_OK : RIFT_NOMEM;
}

/* Provider, event id and "Name=value" pairs of the data, for events
 * without a rule. */
rift_err map_winlog_generic_message(struct rift_batch *b, struct rift_event *e)
{
  char m[RIFT_MAP_MESSAGE_MAX + 8], tmp[40];
  size_t len = 0, n, nl;
  uint32_t i;
  int first = 1;
  if(e->provider)
    msg_add(m, &len, e->provider, strlen(e->provider));
  if(e->code) {
    msg_add(m, &len, " ", 1);
    msg_add(m, &len, e->code, strlen(e->code));
  }
  for(i = 0; i < e->nf && len < RIFT_MAP_MESSAGE_MAX; i++) {
    const char *name = rift_field_name(e->f[i].id, &nl), *s, *dot;
    if(nl < 7 || memcmp(name, "winlog.", 7) ||
       (strncmp(name + 7, "event_data.", 11) &&
        strncmp(name + 7, "user_data.", 10)))
      continue;
    s = rift_value_str(&e->f[i].v, tmp, &n);
    if(!s || skip_text(s, n))
      continue;
    dot = strrchr(name, '.');
    msg_add(m, &len, first ? ": " : " ", first ? 2 : 1);
    first = 0;
    msg_add(m, &len, dot + 1, strlen(dot + 1));
    msg_add(m, &len, "=", 1);
    msg_add(m, &len, s, n);
  }
  len = msg_end(m, len);
  e->message = rift_batch_str(b, m, len);
  return e->message ? RIFT_OK : RIFT_NOMEM;
}

/* ---- per event ---------------------------------------------------------------- */

static const struct crule *lookup(const struct rift_event *e)
{
  char key[300];
  size_t klen, plen;
  int64_t id;
  union rift_hval *v;
  if(!e->provider || !e->code)
    return NULL;
  plen = strlen(e->provider);
  if(parse_int(e->code, strlen(e->code), &id) || id < 0 || id > 0xFFFFFF)
    return NULL;
  klen = rule_key(key, sizeof(key), e->provider, plen, (unsigned)id);
  if(!klen)
    return NULL;
  v = rift_hmap_get(&byrule, key, klen);
  return v ? v->p : NULL;
}

rift_err map_winlog(struct rift_batch *b, struct rift_event *e)
{
  const struct crule *c;
  uint32_t i, nf0, k;
  rift_err rc = RIFT_OK;
  pthread_once(&once, init);
  if(init_failed)
    return RIFT_NOMEM;
  c = lookup(e);
  if(!c)
    return map_winlog_generic_message(b, e);
  e->category = c->r->category;
  e->type = c->r->type;
  e->action = c->r->action;
  if(c->r->outcome)
    e->outcome = c->r->outcome;
  nf0 = e->nf;
  for(i = 0; i < nf0 && !rc; i++) {
    uint32_t id = e->f[i].id;
    for(k = 0; k < c->nf && !rc; k++) {
      if(c->f[k].src == id) {
        struct rift_value v = e->f[i].v; /* e->f may move as we add */
        rc = convert(b, e, &c->f[k], &v);
      }
    }
  }
  if(rc == RIFT_NOMEM)
    return rc;
  return render(b, e, c);
}
