/* Unit tests of src/source/ (walk.c paths, forgetting read pages),
 * src/map/ and src/out/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/rtime.h"
#include "map/map.h"
#include "out/csv.h"
#include "out/ecs.h"
#include "out/json.h"
#include "source/source.h"
#include "source/walk.h"
#include "unit.h"

void unit_walk_paths(struct unit *t)
{
  static const struct {
    const char *in, *out; /* out NULL: refused */
  } cases[] = {
    { "a/b.evtx", "a/b.evtx" },
    { "./a//b.evtx", "a/b.evtx" },
    { "a\\b\\c.evtx", "a/b/c.evtx" },
    { "a/./b/", "a/b" },
    { "..a/b..", "..a/b.." },
    { "../x.evtx", NULL },
    { "a/../../x", NULL },
    { "a\\..\\x", NULL },
    { "/etc/passwd", NULL },
    { "\\\\server\\share\\x", NULL },
    { "C:\\Windows\\x.evtx", NULL },
    { "c:/x", NULL },
    { "", NULL },
    { "./", NULL },
    { "a/..", NULL },
  };
  char out[64];
  size_t i;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *why = NULL;
    int ok = rift_walk_safe_path(cases[i].in, out, sizeof(out), &why);
    if(cases[i].out) {
      CHECK_INT(t, ok, 1);
      if(ok)
        CHECK_STR(t, out, cases[i].out);
    }
    else {
      CHECK_INT(t, ok, 0);
      CHECK(t, why != NULL);
    }
  }
  {
    char small[8];
    const char *why = NULL;
    CHECK_INT(t, rift_walk_safe_path("abcdef/ghijkl", small, sizeof(small),
                                     &why), 0);
  }
  CHECK_STR(t, rift_archive_sniff((const uint8_t *)"PK\x03\x04xx", 6), "zip");
  CHECK_STR(t, rift_archive_sniff((const uint8_t *)"\x1f\x8b\x08", 3), "gz");
  CHECK(t, rift_archive_sniff((const uint8_t *)"ElfFile\0", 8) == NULL);
}

/* rift_source_forget_behind: the mark only moves forward, stays at or below
 * the offset asked for, lands on a 2 MiB boundary of the mapping (or the
 * end), and the bytes stay readable and unchanged. */
void unit_source_forget(struct unit *t)
{
  char path[] = "/tmp/rift-unit-XXXXXX";
  size_t len = ((size_t)9 << 20) + 12345, i, bad = 0;
  struct rift_source s;
  uint64_t mark = 0, prev = 0, off;
  unsigned char *data = malloc(len);
  int fd = mkstemp(path);
  if(fd < 0 || !data) {
    CHECK(t, !"temporary file");
    free(data);
    return;
  }
  for(i = 0; i < len; i++)
    data[i] = (unsigned char)(i * 7 + (i >> 12));
  CHECK(t, write(fd, data, len) == (ssize_t)len);
  close(fd);
  CHECK_INT(t, rift_source_open(&s, path, NULL), RIFT_OK);
  unlink(path);
  CHECK(t, s.map != NULL && s.len == len);
  for(off = 0; s.map; off = off < len ? off + 300000 : len + 1) {
    rift_source_forget_behind(&s, &mark, off);
    if(mark < prev || (mark > off && off < len) ||
       (mark && mark != len &&
        ((uintptr_t)s.data + mark) % ((uintptr_t)2 << 20)))
      bad++;
    if(off >= len && mark != len)
      bad++;
    prev = mark;
    if(off > len)
      break;
  }
  CHECK_INT(t, bad, 0);
  CHECK_INT(t, mark, len);
  CHECK(t, s.len == len && !memcmp(s.data, data, len));
  rift_source_close(&s);
  free(data);
}

static const char *fstr(const struct rift_event *e, const char *name,
                        char *tmp)
{
  uint32_t id = rift_field_find(name, strlen(name));
  const struct rift_value *v = id ? rift_event_get(e, id) : NULL;
  size_t n;
  return v ? rift_value_str(v, tmp, &n) : NULL;
}

static uint32_t fid(const char *name)
{
  return rift_field_id(name, strlen(name));
}

void unit_map_winlog(struct unit *t)
{
  struct rift_batch b;
  struct rift_event *e;
  char tmp[40];
  rift_batch_init(&b);

  /* Security 4624: hex pid, ::ffff: address, logon type name */
  e = rift_batch_add(&b);
  e->kind = RIFT_KIND_EVTX;
  e->provider = "Microsoft-Windows-Security-Auditing";
  e->code = "4624";
  rift_event_add_strref(&b, e, RIFT_F_WINLOG_CHANNEL, "Security", 8);
  rift_event_add_strref(&b, e, fid("winlog.event_data.TargetUserName"), "bob", 3);
  rift_event_add_strref(&b, e, fid("winlog.event_data.TargetDomainName"), "CORP", 4);
  rift_event_add_uint(&b, e, fid("winlog.event_data.LogonType"), 10);
  rift_event_add_strref(&b, e, fid("winlog.event_data.IpAddress"),
                        "::ffff:10.1.2.3", 15);
  rift_event_add_strref(&b, e, fid("winlog.event_data.IpPort"), "4444", 4);
  rift_event_add_strref(&b, e, fid("winlog.event_data.ProcessId"), "0x29c", 5);
  rift_event_add_strref(&b, e, fid("winlog.event_data.ProcessName"),
                        "C:\\Windows\\System32\\lsass.exe", 29);
  rift_event_add_strref(&b, e, fid("winlog.event_data.WorkstationName"), "-", 1);

  /* Terminal Services 21: DOMAIN\user, an address that is not an IP */
  e = rift_batch_add(&b);
  e->kind = RIFT_KIND_EVTX;
  e->provider = "Microsoft-Windows-TerminalServices-LocalSessionManager";
  e->code = "21";
  rift_event_add_strref(&b, e, RIFT_F_WINLOG_CHANNEL,
                        "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational",
                        66);
  rift_event_add_strref(&b, e, fid("winlog.user_data.User"), "CORP\\alice", 10);
  rift_event_add_strref(&b, e, fid("winlog.user_data.Address"), "LOCAL", 5);

  /* Sysmon 1: hashes, parent */
  e = rift_batch_add(&b);
  e->kind = RIFT_KIND_EVTX;
  e->provider = "Microsoft-Windows-Sysmon";
  e->code = "1";
  rift_event_add_strref(&b, e, RIFT_F_WINLOG_CHANNEL,
                        "Microsoft-Windows-Sysmon/Operational", 36);
  rift_event_add_strref(&b, e, fid("winlog.event_data.Hashes"),
                        "SHA1=AA,MD5=BB,SHA256=CCDD,IMPHASH=EE", 37);
  rift_event_add_strref(&b, e, fid("winlog.event_data.ParentImage"),
                        "C:\\x\\cmd.exe", 12);
  rift_event_add_uint(&b, e, fid("winlog.event_data.ParentProcessId"), 77);

  /* unmapped: raw fields stay, a message from the data */
  e = rift_batch_add(&b);
  e->kind = RIFT_KIND_EVTX;
  e->provider = "Some-Provider";
  e->code = "9";
  rift_event_add_strref(&b, e, RIFT_F_WINLOG_CHANNEL, "Windows PowerShell", 18);
  rift_event_add_strref(&b, e, fid("winlog.event_data.Key"), "va\nlue", 6);

  CHECK_INT(t, rift_map_batch(&b), RIFT_OK);
  e = &b.ev[0];
  CHECK_STR(t, e->category, "authentication");
  CHECK_STR(t, e->action, "logged-in");
  CHECK_STR(t, e->outcome, "success");
  CHECK_STR(t, e->dataset, "windows.security");
  CHECK_STR(t, fstr(e, "user.name", tmp), "bob");
  CHECK_STR(t, fstr(e, "user.domain", tmp), "CORP");
  CHECK_STR(t, fstr(e, "source.ip", tmp), "10.1.2.3");
  CHECK_STR(t, fstr(e, "source.port", tmp), "4444");
  CHECK_STR(t, fstr(e, "process.pid", tmp), "668");
  CHECK_STR(t, fstr(e, "process.name", tmp), "lsass.exe");
  CHECK_STR(t, fstr(e, "winlog.logon.type", tmp), "RemoteInteractive");
  CHECK(t, fstr(e, "source.domain", tmp) == NULL); /* "-" is no value */
  CHECK_STR(t, e->message, "logon CORP\\bob type RemoteInteractive from "
                           "10.1.2.3 (-) by C:\\Windows\\System32\\lsass.exe");
  e = &b.ev[1];
  CHECK_STR(t, fstr(e, "user.name", tmp), "alice");
  CHECK_STR(t, fstr(e, "user.domain", tmp), "CORP");
  CHECK(t, fstr(e, "source.ip", tmp) == NULL);
  CHECK_STR(t, fstr(e, "source.address", tmp), "LOCAL");
  CHECK_STR(t, e->dataset,
            "windows.terminalservices_localsessionmanager_operational");
  CHECK_STR(t, e->message, "RDP session logon CORP\\alice from LOCAL");
  e = &b.ev[2];
  CHECK_STR(t, fstr(e, "process.hash.sha256", tmp), "ccdd");
  CHECK_STR(t, fstr(e, "process.hash.md5", tmp), "bb");
  CHECK_STR(t, fstr(e, "process.hash.imphash", tmp), "ee");
  CHECK_STR(t, fstr(e, "process.parent.name", tmp), "cmd.exe");
  CHECK_STR(t, fstr(e, "process.parent.pid", tmp), "77");
  CHECK_STR(t, e->dataset, "windows.sysmon_operational");
  e = &b.ev[3];
  CHECK(t, e->category == NULL);
  CHECK_STR(t, e->message, "Some-Provider 9: Key=va lue");
  CHECK_STR(t, e->dataset, "windows.powershell");
  CHECK(t, rift_map_winlog_rules() >= 66);
  {
    /* the invariant of event.h: every string value ends with a NUL */
    size_t i;
    uint32_t k;
    int bad = 0;
    for(i = 0; i < b.n; i++) {
      for(k = 0; k < b.ev[i].nf; k++) {
        const struct rift_value *v = &b.ev[i].f[k].v;
        if(v->type == RIFT_V_STR && v->s[v->len])
          bad++;
      }
    }
    CHECK_INT(t, bad, 0);
  }
  rift_batch_release(&b);
}

/* The escaping rift_buf_add_json must do, one byte at a time. */
static void ref_json(struct rift_buf *b, const char *s, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if(c == '"')
      rift_buf_adds(b, "\\\"");
    else if(c == '\\')
      rift_buf_adds(b, "\\\\");
    else if(c == '\n')
      rift_buf_adds(b, "\\n");
    else if(c == '\r')
      rift_buf_adds(b, "\\r");
    else if(c == '\t')
      rift_buf_adds(b, "\\t");
    else if(c < 0x20)
      rift_buf_addf(b, "\\u%04x", c);
    else
      rift_buf_addch(b, (char)c);
  }
}

void unit_out_writers(struct unit *t)
{
  {
    /* every special byte at every position of strings up to 40 bytes,
     * over a background of plain, high (UTF-8) and near-special bytes */
    static const unsigned char special[] = { '"', '\\', 0, 1, '\n', 0x1f };
    static const unsigned char ground[] = { 'a', 0xc3, 0x20, 0x21, 0x5b, 0x7f };
    struct rift_buf got, want;
    char s[40];
    size_t len, pos, k, g;
    int bad = 0;
    rift_buf_init(&got, 4096);
    rift_buf_init(&want, 4096);
    for(g = 0; g < sizeof(ground); g++) {
      for(len = 0; len <= sizeof(s); len++) {
        for(pos = 0; pos <= len; pos++) {
          for(k = 0; k < sizeof(special); k++) {
            memset(s, ground[g], sizeof(s));
            if(pos < len)
              s[pos] = (char)special[k];
            rift_buf_reset(&got);
            rift_buf_reset(&want);
            rift_buf_add_json(&got, s, len);
            ref_json(&want, s, len);
            bad += got.len != want.len || memcmp(got.buf, want.buf, got.len);
          }
        }
      }
    }
    CHECK_INT(t, bad, 0);
    rift_buf_release(&got);
    rift_buf_release(&want);
  }

  struct rift_buf o;
  struct rift_batch b;
  struct rift_event *e;
  struct rift_ecs x;
  rift_buf_init(&o, 1 << 20);

  rift_csv_str(&o, "a", 1);
  rift_csv_str(&o, "b,c", 0);
  rift_csv_str(&o, "say \"hi\"", 0);
  rift_csv_str(&o, NULL, 0);
  rift_csv_end(&o);
  CHECK_STR(t, o.buf, "a,\"b,c\",\"say \"\"hi\"\"\",\n");

  rift_buf_reset(&o);
  rift_batch_init(&b);
  e = rift_batch_add(&b);
  e->ts = 1000000000;
  e->category = "network,process";
  e->host = "H";
  rift_event_add_strref(&b, e, fid("a.b"), "leaf", 4);
  rift_event_add_strref(&b, e, fid("a.b.c"), "deep", 4);
  rift_event_add_uint(&b, e, fid("a.b-x"), 1);
  rift_event_add_uint(&b, e, fid("z.list"), 1);
  rift_event_add_uint(&b, e, fid("z.list"), 2);
  rift_ecs_init(&x);
  CHECK_INT(t, rift_ecs_event(&x, &o, e, -1), RIFT_OK);
  CHECK_STR(t, o.buf,
            "{\"@timestamp\":\"1970-01-01T00:00:01.000000Z\","
            "\"a\":{\"b\":{\"value\":\"leaf\",\"c\":\"deep\"},\"b-x\":1},"
            "\"ecs\":{\"version\":\"" RIFT_ECS_VERSION "\"},"
            "\"event\":{\"category\":[\"network\",\"process\"],"
            "\"kind\":\"event\"},\"host\":{\"name\":\"H\"},"
            "\"rift\":{\"file_id\":0,\"kind\":\"unknown\",\"offset\":0},"
            "\"z\":{\"list\":[1,2]}}");
  rift_buf_reset(&o);
  rift_json_event_flat(&o, e, 5);
  CHECK_STR(t, o.buf,
            "{\"id\":5,\"@timestamp\":\"1970-01-01T00:00:01.000000Z\","
            "\"host.name\":\"H\",\"rift.kind\":\"unknown\",\"rift.file_id\":0,"
            "\"rift.offset\":0,\"event.category\":\"network,process\","
            "\"a.b\":\"leaf\",\"a.b.c\":\"deep\",\"a.b-x\":1,"
            "\"z.list\":[1,2]}");
  rift_ecs_release(&x);
  rift_batch_release(&b);
  rift_buf_release(&o);
}
