/* Unit tests of the Sigma engine (src/detect/sigma/): table-driven, one
 * rule and one event per row.  Expected values follow the Sigma
 * specification 2.1 (../shared/data/sigma/specification/); the encoded
 * strings were computed with Python's base64 and codecs modules. */
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/field.h"
#include "core/rtime.h"
#include "detect/sigma/sigma.h"
#include "unit.h"

/* A product whose Sigma field names are rift field names as written, and
 * whose events are rift "textlog" events. */
static const char test_mapping[] =
  "product: test\n"
  "logsources:\n"
  "  - events: [{kind: textlog}]\n";

/* Fields: "Name=value" string, "Name#123" unsigned, "Name@" null value. */
static void fill(struct rift_batch *b, struct rift_event *ev,
                 const char *const *fields)
{
  size_t i;
  ev->kind = RIFT_KIND_TEXTLOG;
  for(i = 0; fields && fields[i]; i++) {
    const char *f = fields[i], *sep = strpbrk(f, "=#@");
    uint32_t id = rift_field_id(f, (size_t)(sep - f));
    if(*sep == '=')
      rift_event_add_str(b, ev, id, sep + 1, strlen(sep + 1));
    else if(*sep == '#')
      rift_event_add_uint(b, ev, id, strtoull(sep + 1, NULL, 10));
    else {
      struct rift_value v = { .type = RIFT_V_NULL };
      rift_event_add(b, ev, id, &v);
    }
  }
}

static struct rift_sigma *set_of(const char *rules, const char *placeholders)
{
  struct rift_sigma *s;
  if(rift_sigma_new(&s))
    return NULL;
  rift_sigma_add_mapping(s, test_mapping, strlen(test_mapping), "test", NULL);
  if(placeholders)
    rift_sigma_add_placeholders(s, placeholders, strlen(placeholders), "ph",
                                NULL);
  rift_sigma_add_text(s, rules, strlen(rules), "t.yml");
  rift_sigma_compile(s);
  return s;
}

/* 1 match, 0 no match, -1 the rule is not active (reason printed). */
static int run(const char *detection, const char *const *fields,
               const char *placeholders)
{
  char rule[4096];
  struct rift_sigma *s;
  struct rift_sigma_scratch *scr;
  struct rift_batch b;
  struct rift_event *ev;
  uint32_t hits[4];
  int r;
  snprintf(rule, sizeof(rule),
           "title: t\nid: 1\nlogsource:\n    product: test\n"
           "detection:\n%s\n", detection);
  s = set_of(rule, placeholders);
  if(!s)
    return -2;
  if(rift_sigma_rule(s, 0)->state != RIFT_SIGMA_ACTIVE) {
    fprintf(stderr, "rule not active: %s\n", rift_sigma_rule(s, 0)->reason);
    rift_sigma_free(&s);
    return -1;
  }
  rift_sigma_scratch_new(s, &scr);
  rift_batch_init(&b);
  ev = rift_batch_add(&b);
  fill(&b, ev, fields);
  r = rift_sigma_match(s, scr, ev, hits, 4) == 1;
  rift_batch_release(&b);
  rift_sigma_scratch_free(&scr);
  rift_sigma_free(&s);
  return r;
}

#define F(...) (const char *const[]){ __VA_ARGS__, NULL }
#define NOFIELDS (const char *const[]){ NULL }

struct mcase {
  const char *det;
  const char *const *fields;
  int want;
};

static void table(struct unit *t, const struct mcase *c, size_t n,
                  const char *ph)
{
  size_t i;
  for(i = 0; i < n; i++) {
    int got = run(c[i].det, c[i].fields, ph);
    if(got != c[i].want)
      fprintf(stderr, "case %zu: %s\n", i, c[i].det);
    CHECK_INT(t, got, c[i].want);
  }
}

void unit_sigma_values(struct unit *t)
{
  const struct mcase c[] = {
    /* plain values: whole value, ASCII case-insensitive */
    { "    s:\n        F: 'Abc'\n    condition: s", F("F=aBC"), 1 },
    { "    s:\n        F: 'Abc'\n    condition: s", F("F=abcd"), 0 },
    { "    s:\n        F: 'Abc'\n    condition: s", F("G=abc"), 0 },
    /* numbers compare as text, also against number-typed fields */
    { "    s:\n        EventID: 4688\n    condition: s", F("EventID#4688"), 1 },
    { "    s:\n        EventID: 4688\n    condition: s", F("EventID=4688"), 1 },
    { "    s:\n        EventID: 4688\n    condition: s", F("EventID#46880"), 0 },
    /* lists are OR; a list of maps is OR of ANDs */
    { "    s:\n        F:\n            - a\n            - b\n    condition: s",
      F("F=b"), 1 },
    { "    s:\n        - F: a\n          G: x\n        - F: b\n    condition: s",
      F("F=a", "G=y"), 0 },
    { "    s:\n        - F: a\n          G: x\n        - F: b\n    condition: s",
      F("F=a", "G=x"), 1 },
    /* wildcards and escapes */
    { "    s:\n        F: 'a*c'\n    condition: s", F("F=abbbc"), 1 },
    { "    s:\n        F: 'a*c'\n    condition: s", F("F=abd"), 0 },
    { "    s:\n        F: 'a?c'\n    condition: s", F("F=abc"), 1 },
    { "    s:\n        F: 'a?c'\n    condition: s", F("F=ac"), 0 },
    { "    s:\n        F: 'a?c'\n    condition: s", F("F=a\xc3\xa9" "c"), 1 },
    { "    s:\n        F: 'a\\*c'\n    condition: s", F("F=a*c"), 1 },
    { "    s:\n        F: 'a\\*c'\n    condition: s", F("F=abc"), 0 },
    { "    s:\n        F: 'a\\?c'\n    condition: s", F("F=abc"), 0 },
    { "    s:\n        F: 'C:\\\\*'\n    condition: s", F("F=C:\\Windows"), 1 },
    { "    s:\n        F: 'C:\\\\\\*'\n    condition: s", F("F=C:\\Windows"), 0 },
    { "    s:\n        F: 'C:\\\\\\*'\n    condition: s", F("F=C:\\*"), 1 },
    { "    s:\n        F: 'C:\\Windows\\System32'\n    condition: s",
      F("F=c:\\windows\\system32"), 1 },
    { "    s:\n        F: '*'\n    condition: s", F("F=x"), 1 },
    { "    s:\n        F: '*'\n    condition: s", F("G=x"), 0 },
    { "    s:\n        F: '*in*ows*'\n    condition: s", F("F=Windows"), 1 },
    /* contains / startswith / endswith */
    { "    s:\n        F|contains: 'ell'\n    condition: s", F("F=HELLO"), 1 },
    { "    s:\n        F|contains: 'elx'\n    condition: s", F("F=HELLO"), 0 },
    { "    s:\n        F|startswith: 'he'\n    condition: s", F("F=Hello"), 1 },
    { "    s:\n        F|startswith: 'el'\n    condition: s", F("F=Hello"), 0 },
    { "    s:\n        F|endswith: '\\cmd.exe'\n    condition: s",
      F("F=C:\\Windows\\System32\\CMD.EXE"), 1 },
    { "    s:\n        F|endswith: '\\cmd.exe'\n    condition: s",
      F("F=C:\\Windows\\System32\\cmd.exe.bak"), 0 },
    { "    s:\n        F|contains: 'a*c'\n    condition: s", F("F=xxabbcxx"), 1 },
    /* all */
    { "    s:\n        F|contains|all:\n            - '-enc'\n"
      "            - 'hidden'\n    condition: s",
      F("F=powershell -w hidden -enc AAA"), 1 },
    { "    s:\n        F|contains|all:\n            - '-enc'\n"
      "            - 'hidden'\n    condition: s",
      F("F=powershell -enc AAA"), 0 },
    /* cased */
    { "    s:\n        F|cased: 'Abc'\n    condition: s", F("F=abc"), 0 },
    { "    s:\n        F|cased: 'Abc'\n    condition: s", F("F=Abc"), 1 },
    { "    s:\n        F|contains|cased: 'Bc'\n    condition: s", F("F=aBcd"), 1 },
    { "    s:\n        F|contains|cased: 'Bc'\n    condition: s", F("F=abcd"), 0 },
    /* null and empty */
    { "    s:\n        F: null\n    condition: s", F("G=x"), 1 },
    { "    s:\n        F: null\n    condition: s", F("F="), 1 },
    { "    s:\n        F: null\n    condition: s", F("F@"), 1 },
    { "    s:\n        F: null\n    condition: s", F("F=x"), 0 },
    { "    s:\n        F: ''\n    condition: s", F("F="), 1 },
    { "    s:\n        F: ''\n    condition: s", F("F=x"), 0 },
    { "    s:\n        F: ''\n    condition: s", F("G=x"), 0 },
    /* exists */
    { "    s:\n        F|exists: true\n    condition: s", F("F="), 1 },
    { "    s:\n        F|exists: true\n    condition: s", F("G=x"), 0 },
    { "    s:\n        F|exists: false\n    condition: s", F("G=x"), 1 },
    { "    s:\n        F|exists: false\n    condition: s", F("F=x"), 0 },
    /* neq: the item negated */
    { "    s:\n        F|neq: 'x'\n    condition: s", F("F=y"), 1 },
    { "    s:\n        F|neq: 'x'\n    condition: s", F("F=X"), 0 },
    /* multi-valued fields: any value */
    { "    s:\n        F: b\n    condition: s", F("F=a", "F=b"), 1 },
  };
  table(t, c, sizeof(c) / sizeof(c[0]), NULL);
}

void unit_sigma_modifiers(struct unit *t)
{
  const struct mcase c[] = {
    /* base64 of "abc" is YWJj */
    { "    s:\n        F|base64: 'abc'\n    condition: s", F("F=YWJj"), 1 },
    { "    s:\n        F|base64|contains: 'abc'\n    condition: s",
      F("F=xxYWJjxx"), 1 },
    { "    s:\n        F|base64: 'abc'\n    condition: s", F("F=abc"), 0 },
    /* base64offset: the three shifts of "/bin/bash" (abc/, a/, ab/ prefixes
     * put it at each offset: YWJjL2Jpbi9iYXNo, YS9iaW4vYmFzaA==,
     * YWIvYmluL2Jhc2g=) */
    { "    s:\n        F|base64offset|contains: '/bin/bash'\n    condition: s",
      F("F=YWJjL2Jpbi9iYXNo"), 1 },
    { "    s:\n        F|base64offset|contains: '/bin/bash'\n    condition: s",
      F("F=YS9iaW4vYmFzaA=="), 1 },
    { "    s:\n        F|base64offset|contains: '/bin/bash'\n    condition: s",
      F("F=YWIvYmluL2Jhc2g="), 1 },
    { "    s:\n        F|base64offset|contains: '/bin/bash'\n    condition: s",
      F("F=L2Jpbi9zaA=="), 0 },
    /* wide (UTF-16LE) then base64offset: base64 of UTF-16LE
     * "cmd /c ping 1.1.1.1" */
    { "    s:\n        F|wide|base64offset|contains: 'ping'\n    condition: s",
      F("F=YwBtAGQAIAAvAGMAIABwAGkAbgBnACAAMQAuADEALgAxAC4AMQA="), 1 },
    { "    s:\n        F|utf16le|base64offset|contains: 'ping'\n    condition: s",
      F("F=YwBtAGQAIAAvAGMAIABwAGkAbgBnACAAMQAuADEALgAxAC4AMQA="), 1 },
    { "    s:\n        F|base64offset|contains: 'ping'\n    condition: s",
      F("F=YwBtAGQAIAAvAGMAIABwAGkAbgBnACAAMQAuADEALgAxAC4AMQA="), 0 },
    /* utf16be "cmd" = 00 63 00 6d 00 64, base64 AGMAbQBk; utf16 adds FF FE:
     * FF FE 63 00 6d 00 64 00 = //5jAG0AZAA= */
    { "    s:\n        F|utf16be|base64: 'cmd'\n    condition: s",
      F("F=AGMAbQBk"), 1 },
    { "    s:\n        F|utf16|base64: 'cmd'\n    condition: s",
      F("F=//5jAG0AZAA="), 1 },
    /* windash: -, /, en dash, em dash, horizontal bar at a word start */
    { "    s:\n        F|windash|contains: ' -f '\n    condition: s",
      F("F=x /f y"), 1 },
    { "    s:\n        F|windash|contains: ' -f '\n    condition: s",
      F("F=x \xe2\x80\x93" "f y"), 1 },
    { "    s:\n        F|windash|contains: ' -f '\n    condition: s",
      F("F=x \xe2\x80\x95" "f y"), 1 },
    { "    s:\n        F|windash|contains: ' -f '\n    condition: s",
      F("F=x f y"), 0 },
    /* a dash inside a word is not a switch */
    { "    s:\n        F|windash: 'a-b'\n    condition: s", F("F=a/b"), 0 },
    /* re: PCRE search, case-sensitive; i, m, s flags */
    { "    s:\n        F|re: 'b.d'\n    condition: s", F("F=abcde"), 1 },
    { "    s:\n        F|re: '^b.d'\n    condition: s", F("F=abcde"), 0 },
    { "    s:\n        F|re: 'B.D'\n    condition: s", F("F=abcde"), 0 },
    { "    s:\n        F|re|i: 'B.D'\n    condition: s", F("F=abcde"), 1 },
    { "    s:\n        F|re: '^b$'\n    condition: s", F("F=a\nb"), 0 },
    { "    s:\n        F|re|m: '^b$'\n    condition: s", F("F=a\nb"), 1 },
    { "    s:\n        F|re: 'a.b'\n    condition: s", F("F=a\nb"), 0 },
    { "    s:\n        F|re|s: 'a.b'\n    condition: s", F("F=a\nb"), 1 },
    { "    s:\n        F|re: '\\*'\n    condition: s", F("F=a*b"), 1 },
    /* cidr */
    { "    s:\n        F|cidr: '10.0.0.0/8'\n    condition: s", F("F=10.1.2.3"), 1 },
    { "    s:\n        F|cidr: '10.0.0.0/8'\n    condition: s", F("F=11.0.0.1"), 0 },
    { "    s:\n        F|cidr: '192.168.1.0/25'\n    condition: s",
      F("F=192.168.1.127"), 1 },
    { "    s:\n        F|cidr: '192.168.1.0/25'\n    condition: s",
      F("F=192.168.1.128"), 0 },
    { "    s:\n        F|cidr: 'fe80::/10'\n    condition: s", F("F=fe80::1"), 1 },
    { "    s:\n        F|cidr: 'fe80::/10'\n    condition: s", F("F=fec0::1"), 0 },
    { "    s:\n        F|cidr: '10.0.0.0/8'\n    condition: s", F("F=not an ip"), 0 },
    /* gt, gte, lt, lte: numbers or numeric text */
    { "    s:\n        F|gt: 10\n    condition: s", F("F#11"), 1 },
    { "    s:\n        F|gt: 10\n    condition: s", F("F#10"), 0 },
    { "    s:\n        F|gte: 10\n    condition: s", F("F=10"), 1 },
    { "    s:\n        F|lt: 10\n    condition: s", F("F=9.5"), 1 },
    { "    s:\n        F|lte: 10\n    condition: s", F("F=11"), 0 },
    { "    s:\n        F|lt: 10\n    condition: s", F("F=abc"), 0 },
    /* fieldref: compare with another field of the event */
    { "    s:\n        A|fieldref: B\n    condition: s", F("A=xY", "B=Xy"), 1 },
    { "    s:\n        A|fieldref: B\n    condition: s", F("A=x", "B=y"), 0 },
    { "    s:\n        A|fieldref: B\n    condition: s", F("A=x"), 0 },
    { "    s:\n        A|fieldref|startswith: B\n    condition: s",
      F("A=abc", "B=ab"), 1 },
    { "    s:\n        A|fieldref|endswith: B\n    condition: s",
      F("A=abc", "B=ab"), 0 },
    { "    s:\n        A|fieldref|contains: B\n    condition: s",
      F("A=abc", "B=b"), 1 },
    { "    s:\n        A|fieldref|cased: B\n    condition: s",
      F("A=x", "B=X"), 0 },
    /* time parts of a timestamp value (2024-03-05 was a Tuesday, ISO week
     * 10) */
    { "    s:\n        T|hour: 13\n    condition: s",
      F("T=2024-03-05T13:45:00Z"), 1 },
    { "    s:\n        T|minute: 45\n    condition: s",
      F("T=2024-03-05 13:45:00.123"), 1 },
    { "    s:\n        T|week: 10\n    condition: s",
      F("T=2024-03-05T13:45:00Z"), 1 },
    { "    s:\n        T|month: 4\n    condition: s",
      F("T=2024-03-05T13:45:00Z"), 0 },
    /* keywords: every value, case-insensitive, with wildcards; |all */
    { "    k:\n        - 'evil'\n    condition: k", F("A=x", "B=an EVIL thing"), 1 },
    { "    k:\n        - 'evil'\n    condition: k", F("A=x", "B=good"), 0 },
    { "    k:\n        - 'ev*il'\n    condition: k", F("B=ev---il"), 1 },
    { "    k:\n        '|all':\n            - 'a1'\n            - 'b2'\n"
      "    condition: k", F("A=xa1", "B=b2y"), 1 },
    { "    k:\n        '|all':\n            - 'a1'\n            - 'b2'\n"
      "    condition: k", F("A=xa1"), 0 },
    { "    k:\n        '|re': 'a[0-9]+z'\n    condition: k", F("A=xa12z"), 1 },
    { "    k:\n        - 4688\n    condition: k", F("A#4688"), 1 },
  };
  table(t, c, sizeof(c) / sizeof(c[0]), NULL);
}

void unit_sigma_expand(struct unit *t)
{
  static const char ph[] =
    "'%Admins%':\n  - adm_*\n  - root\n"
    "domain: corp.local\n";
  const struct mcase c[] = {
    { "    s:\n        U|expand: '%Admins%'\n    condition: s", F("U=adm_bob"), 1 },
    { "    s:\n        U|expand: '%Admins%'\n    condition: s", F("U=Root"), 1 },
    { "    s:\n        U|expand: '%Admins%'\n    condition: s", F("U=bob"), 0 },
    { "    s:\n        U|expand|endswith: '@%domain%'\n    condition: s",
      F("U=bob@corp.local"), 1 },
    /* \% is a plain percent sign */
    { "    s:\n        U|expand: '\\%domain%'\n    condition: s",
      F("U=%domain%"), 1 },
    /* without expand, a placeholder is plain text */
    { "    s:\n        U: '%domain%'\n    condition: s", F("U=%domain%"), 1 },
    /* a placeholder without values makes the rule unsupported */
    { "    s:\n        U|expand: '%nothere%'\n    condition: s", F("U=x"), -1 },
  };
  table(t, c, sizeof(c) / sizeof(c[0]), ph);
}

void unit_sigma_conditions(struct unit *t)
{
  const struct mcase c[] = {
    { "    a:\n        A: 1\n    b:\n        B: 1\n    condition: a and b",
      F("A=1", "B=1"), 1 },
    { "    a:\n        A: 1\n    b:\n        B: 1\n    condition: a and b",
      F("A=1"), 0 },
    { "    a:\n        A: 1\n    b:\n        B: 1\n    condition: a or b",
      F("B=1"), 1 },
    { "    a:\n        A: 1\n    b:\n        B: 1\n    condition: a and not b",
      F("A=1", "B=1"), 0 },
    { "    a:\n        A: 1\n    b:\n        B: 1\n    condition: a AND NOT b",
      F("A=1"), 1 },
    /* precedence: not > and > or */
    { "    a:\n        A: 1\n    b:\n        B: 1\n    c:\n        C: 1\n"
      "    condition: a or b and c", F("A=1"), 1 },
    { "    a:\n        A: 1\n    b:\n        B: 1\n    c:\n        C: 1\n"
      "    condition: (a or b) and c", F("A=1"), 0 },
    { "    a:\n        A: 1\n    b:\n        B: 1\n    c:\n        C: 1\n"
      "    condition: not a and b", F("B=1"), 1 },
    /* x of */
    { "    sel_a:\n        A: 1\n    sel_b:\n        B: 1\n    f:\n        C: 1\n"
      "    condition: 1 of sel_*", F("B=1"), 1 },
    { "    sel_a:\n        A: 1\n    sel_b:\n        B: 1\n    f:\n        C: 1\n"
      "    condition: all of sel_*", F("B=1"), 0 },
    { "    sel_a:\n        A: 1\n    sel_b:\n        B: 1\n    f:\n        C: 1\n"
      "    condition: all of sel_* and not f", F("A=1", "B=1"), 1 },
    { "    sel_a:\n        A: 1\n    sel_b:\n        B: 1\n    f:\n        C: 1\n"
      "    condition: 1 of them", F("C=1"), 1 },
    /* them skips identifiers starting with _ */
    { "    a:\n        A: 1\n    _x:\n        X: 1\n    condition: all of them",
      F("A=1"), 1 },
    { "    a:\n        A: 1\n    _x:\n        X: 1\n    condition: 1 of them",
      F("X=1"), 0 },
    { "    a:\n        A: 1\n    b:\n        B: 1\n    c:\n        C: 1\n"
      "    condition: 2 of them", F("A=1", "C=1"), 1 },
    { "    a:\n        A: 1\n    b:\n        B: 1\n    c:\n        C: 1\n"
      "    condition: 2 of them", F("A=1"), 0 },
    /* a list of conditions is OR */
    { "    a:\n        A: 1\n    b:\n        B: 1\n    condition:\n"
      "        - a\n        - b", F("B=1"), 1 },
    /* invalid or unsupported conditions */
    { "    a:\n        A: 1\n    condition: a and zz", F("A=1"), -1 },
    { "    a:\n        A: 1\n    condition: a and", F("A=1"), -1 },
    { "    a:\n        A: 1\n    condition: (a", F("A=1"), -1 },
    { "    a:\n        A: 1\n    condition: 1 of b*", F("A=1"), -1 },
    { "    a:\n        A: 1\n    condition: a | count() > 5", F("A=1"), -1 },
    { "    a:\n        A|foo: 1\n    condition: a", F("A=1"), -1 },
    { "    a:\n        A|re: '('\n    condition: a", F("A=1"), -1 },
    { "    a:\n        A|cidr: 'x/8'\n    condition: a", F("A=1"), -1 },
    { "    a:\n        A|gt: abc\n    condition: a", F("A=1"), -1 },
  };
  table(t, c, sizeof(c) / sizeof(c[0]), NULL);
}

/* Rule documents that are not valid Sigma are kept and say why. */
void unit_sigma_invalid(struct unit *t)
{
  static const struct {
    const char *text;
    enum rift_sigma_state want;
    const char *reason_has;
  } c[] = {
    { "title: x\nlogsource: {product: test}\ndetection: {s: {A: 1}}\n",
      RIFT_SIGMA_INVALID, "no condition" },
    { "title: x\nlogsource: {product: test}\n", RIFT_SIGMA_INVALID,
      "no detection" },
    { "logsource: {product: test}\ndetection: {s: {A: 1}, condition: s}\n",
      RIFT_SIGMA_INVALID, "no title" },
    { "title: x\nlogsource: {product: test}\n"
      "detection: {s: {A: 1}, condition: s}\nlevel: severe\n",
      RIFT_SIGMA_INVALID, "level" },
    { "title: [unclosed\n", RIFT_SIGMA_INVALID, "invalid YAML" },
    { "title: x\nlogsource: {product: nothing}\n"
      "detection: {s: {A: 1}, condition: s}\n",
      RIFT_SIGMA_UNSUPPORTED, "no rift events for logsource product=nothing" },
    { "title: x\ncorrelation: {type: event_count, rules: [nope], "
      "timespan: 1h, condition: {gte: 2}}\n",
      RIFT_SIGMA_INVALID, "not loaded" },
    { "title: x\ncorrelation: {type: value_percentile, rules: [a], "
      "timespan: 1h, condition: {field: x, lte: 1}}\n",
      RIFT_SIGMA_UNSUPPORTED, "value_percentile" },
    { "title: x\ncorrelation: {type: event_count, rules: [a], timespan: 1q, "
      "condition: {gte: 2}}\n", RIFT_SIGMA_INVALID, "timespan" },
    { "title: x\nlogsource: {product: test}\n"
      "detection: {s: {A: &a [1, *a]}, condition: s}\n",
      RIFT_SIGMA_INVALID, "alias" },
  };
  size_t i;
  for(i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
    struct rift_sigma *s = set_of(c[i].text, NULL);
    const struct rift_sigma_rule *r;
    CHECK(t, s != NULL);
    if(!s)
      continue;
    CHECK_INT(t, rift_sigma_count(s), 1);
    r = rift_sigma_rule(s, 0);
    CHECK_INT(t, r->state, c[i].want);
    CHECK(t, r->reason && strstr(r->reason, c[i].reason_has));
    if(!r->reason || !strstr(r->reason, c[i].reason_has))
      fprintf(stderr, "case %zu: reason %s\n", i, r->reason);
    rift_sigma_free(&s);
  }
}

/* ---- correlations and filters ------------------------------------------------ */

struct collect {
  char ids[64][64];
  int64_t ts[64];
  size_t nrefs[64];
  size_t n;
};

static rift_err collect(void *ctx, const struct rift_finding *f)
{
  struct collect *c = ctx;
  if(c->n < 64) {
    snprintf(c->ids[c->n], sizeof(c->ids[0]), "%s", f->rule_id);
    c->ts[c->n] = f->ts;
    c->nrefs[c->n] = f->nrefs;
  }
  c->n++;
  return RIFT_OK;
}

struct tev {
  int min;              /* minutes from the start */
  const char *fields[4];
};

static size_t count_id(const struct collect *c, const char *id)
{
  size_t i, n = 0;
  for(i = 0; i < c->n && i < 64; i++)
    n += !strcmp(c->ids[i], id);
  return n;
}

static void run_events(struct rift_sigma *s, const struct tev *ev, size_t n,
                       struct collect *out)
{
  struct rift_sigma_scratch *scr;
  struct rift_sigma_run *run;
  struct rift_finding_sink sink = { collect, out };
  struct rift_sigma_run_opts o = { RIFT_LEVEL_INFO, &sink };
  size_t i;
  memset(out, 0, sizeof(*out));
  rift_sigma_scratch_new(s, &scr);
  rift_sigma_run_new(s, &o, &run);
  for(i = 0; i < n; i++) {
    struct rift_batch b;
    struct rift_event *e;
    uint32_t hits[16];
    size_t nh;
    rift_batch_init(&b);
    e = rift_batch_add(&b);
    fill(&b, e, ev[i].fields);
    e->ts = 1700000000000000000LL + (int64_t)ev[i].min * 60000000000LL;
    e->record_id = i + 1;
    nh = rift_sigma_match(s, scr, e, hits, 16);
    rift_sigma_run_event(run, e, hits, nh);
    rift_batch_release(&b);
  }
  rift_sigma_run_finish(run);
  rift_sigma_run_free(&run);
  rift_sigma_scratch_free(&scr);
}

static const char base_rules[] =
  "title: failed\nid: fail\nname: failed_login\nlogsource: {product: test}\n"
  "detection: {s: {Action: fail}, condition: s}\nlevel: low\n---\n"
  "title: ok\nid: ok\nname: good_login\nlogsource: {product: test}\n"
  "detection: {s: {Action: ok}, condition: s}\nlevel: low\n";

void unit_sigma_correlation(struct unit *t)
{
  struct rift_sigma *s;
  struct collect c;
  char rules[4096];
  size_t i;
  /* event_count: 3 failures per user within 10 minutes */
  static const struct tev ev1[] = {
    { 0, { "Action=fail", "User=a" } }, { 1, { "Action=fail", "User=a" } },
    { 0, { "Action=fail", "User=b" } }, { 20, { "Action=fail", "User=b" } },
    { 2, { "Action=fail", "User=a" } }, { 40, { "Action=fail", "User=b" } },
    { 3, { "Action=fail" } },
  };
  /* temporal_ordered: failures, then success, by user */
  static const struct tev ev2[] = {
    { 0, { "Action=ok", "User=b" } }, { 1, { "Action=fail", "User=b" } },
    { 5, { "Action=fail", "User=a" } }, { 6, { "Action=ok", "User=a" } },
    { 60, { "Action=fail", "User=c" } }, { 200, { "Action=ok", "User=c" } },
  };
  snprintf(rules, sizeof(rules),
           "%s---\ntitle: brute\nid: brute\ncorrelation:\n  type: event_count\n"
           "  rules: [failed_login]\n  group-by: [User]\n  timespan: 10m\n"
           "  condition: {gte: 3}\nlevel: high\n", base_rules);
  s = set_of(rules, NULL);
  for(i = 0; i < rift_sigma_count(s); i++)
    CHECK_INT(t, rift_sigma_rule(s, i)->state, RIFT_SIGMA_ACTIVE);
  run_events(s, ev1, sizeof(ev1) / sizeof(ev1[0]), &c);
  CHECK_INT(t, count_id(&c, "brute"), 1);      /* user a only */
  CHECK_INT(t, count_id(&c, "fail"), 0);       /* generate: false hides it */
  for(i = 0; i < c.n; i++) {
    if(!strcmp(c.ids[i], "brute"))
      CHECK_INT(t, c.nrefs[i], 3);
  }
  rift_sigma_free(&s);

  /* generate: true keeps the base rule's own findings */
  snprintf(rules, sizeof(rules),
           "%s---\ntitle: brute\nid: brute\ncorrelation:\n  type: event_count\n"
           "  rules: [fail]\n  group-by: [User]\n  timespan: 10m\n"
           "  generate: true\n  condition: {gte: 3}\n", base_rules);
  s = set_of(rules, NULL);
  run_events(s, ev1, sizeof(ev1) / sizeof(ev1[0]), &c);
  CHECK_INT(t, count_id(&c, "brute"), 1);
  CHECK_INT(t, count_id(&c, "fail"), 7);
  rift_sigma_free(&s);

  /* upper bounds: tumbling windows from each group's first event */
  snprintf(rules, sizeof(rules),
           "%s---\ntitle: few\nid: few\ncorrelation:\n  type: event_count\n"
           "  rules: [failed_login]\n  group-by: [User]\n  timespan: 10m\n"
           "  condition: {lt: 2}\n", base_rules);
  s = set_of(rules, NULL);
  run_events(s, ev1, sizeof(ev1) / sizeof(ev1[0]), &c);
  CHECK_INT(t, count_id(&c, "few"), 3);        /* b's three lone windows */
  rift_sigma_free(&s);

  /* value_count: distinct users per source within 10 minutes */
  {
    static const struct tev ev[] = {
      { 0, { "Action=fail", "User=a", "Src=x" } },
      { 1, { "Action=fail", "User=b", "Src=x" } },
      { 2, { "Action=fail", "User=b", "Src=y" } },
      { 3, { "Action=fail", "User=c", "Src=x" } },
      { 4, { "Action=fail", "User=a", "Src=y" } },
    };
    snprintf(rules, sizeof(rules),
             "%s---\ntitle: spray\nid: spray\ncorrelation:\n"
             "  type: value_count\n  rules: [failed_login]\n"
             "  group-by: [Src]\n  timespan: 10m\n"
             "  condition: {field: User, gte: 3}\n", base_rules);
    s = set_of(rules, NULL);
    run_events(s, ev, sizeof(ev) / sizeof(ev[0]), &c);
    CHECK_INT(t, count_id(&c, "spray"), 1);
    rift_sigma_free(&s);
  }

  /* temporal (any order) and temporal_ordered */
  snprintf(rules, sizeof(rules),
           "%s---\ntitle: both\nid: both\ncorrelation:\n  type: temporal\n"
           "  rules: [failed_login, good_login]\n  group-by: [User]\n"
           "  timespan: 10m\n", base_rules);
  s = set_of(rules, NULL);
  run_events(s, ev2, sizeof(ev2) / sizeof(ev2[0]), &c);
  CHECK_INT(t, count_id(&c, "both"), 2);        /* a and b, not c */
  rift_sigma_free(&s);
  snprintf(rules, sizeof(rules),
           "%s---\ntitle: seq\nid: seq\ncorrelation:\n"
           "  type: temporal_ordered\n  rules: [failed_login, good_login]\n"
           "  group-by: [User]\n  timespan: 10m\n", base_rules);
  s = set_of(rules, NULL);
  run_events(s, ev2, sizeof(ev2) / sizeof(ev2[0]), &c);
  CHECK_INT(t, count_id(&c, "seq"), 1);         /* a only: b is reversed */
  rift_sigma_free(&s);

  /* chained: 2 failures (event_count) then a success, with aliases */
  {
    static const struct tev ev[] = {
      { 0, { "Action=fail", "User=a" } }, { 1, { "Action=fail", "User=a" } },
      { 2, { "Action=ok", "Account=a" } },
      { 3, { "Action=fail", "User=z" } }, { 4, { "Action=ok", "Account=z" } },
    };
    snprintf(rules, sizeof(rules),
             "%s---\ntitle: many\nid: many\nname: many_fail\ncorrelation:\n"
             "  type: event_count\n  rules: [failed_login]\n"
             "  group-by: [User]\n  timespan: 10m\n  condition: {gte: 2}\n"
             "---\ntitle: chain\nid: chain\ncorrelation:\n"
             "  type: temporal_ordered\n  rules: [many_fail, good_login]\n"
             "  group-by: [who]\n  timespan: 10m\n"
             "  aliases:\n    who:\n      many_fail: User\n"
             "      good_login: Account\n",
             base_rules);
    s = set_of(rules, NULL);
    for(i = 0; i < rift_sigma_count(s); i++) {
      CHECK_INT(t, rift_sigma_rule(s, i)->state, RIFT_SIGMA_ACTIVE);
      if(rift_sigma_rule(s, i)->reason)
        fprintf(stderr, "%s\n", rift_sigma_rule(s, i)->reason);
    }
    run_events(s, ev, sizeof(ev) / sizeof(ev[0]), &c);
    CHECK_INT(t, count_id(&c, "chain"), 1);
    CHECK_INT(t, count_id(&c, "many"), 0);   /* chained: generate false */
    rift_sigma_free(&s);
  }
}

void unit_sigma_filters(struct unit *t)
{
  struct rift_sigma *s;
  struct collect c;
  static const char rules[] =
    "title: proc\nid: r1\nlogsource: {product: test}\n"
    "detection: {s: {Image|endswith: '\\\\cmd.exe'}, condition: s}\n---\n"
    "title: tuning\nlogsource: {product: test}\n"
    "filter:\n  rules: [r1]\n  selection:\n    User|startswith: 'adm_'\n"
    "  condition: selection\n";
  static const struct tev ev[] = {
    { 0, { "Image=C:\\cmd.exe", "User=bob" } },
    { 1, { "Image=C:\\cmd.exe", "User=adm_alice" } },
    { 2, { "Image=C:\\cmd.exe" } },
  };
  s = set_of(rules, NULL);
  CHECK_INT(t, rift_sigma_rule(s, 0)->state, RIFT_SIGMA_ACTIVE);
  CHECK_INT(t, rift_sigma_rule(s, 1)->state, RIFT_SIGMA_ACTIVE);
  run_events(s, ev, 3, &c);
  CHECK_INT(t, count_id(&c, "r1"), 2);  /* the admin's event is filtered */
  rift_sigma_free(&s);
}
