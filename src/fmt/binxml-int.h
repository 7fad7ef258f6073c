/*
 * binxml-int.h - BinXML inside an EVTX chunk (private to fmt/).
 *
 * On-disk layout (all little-endian; offsets are chunk-relative):
 *
 *   token  name                  payload
 *   0x00   EndOfStream           -
 *   0x01   OpenStartElement      [dependency id u16, template definitions
 *   0x41     (+attributes)        only] data size u32, name offset u32,
 *                                [inline name], [attribute list size u32]
 *   0x02   CloseStartElement     -
 *   0x03   CloseEmptyElement     -
 *   0x04   EndElement            -
 *   0x05   Value (0x45)          value type u8, value (strings: u16 count
 *                                + UTF-16LE)
 *   0x06   Attribute (0x46 =     name offset u32, [inline name]
 *            more follow)
 *   0x07   CDataSection (0x47)   u16 count + UTF-16LE
 *   0x08   CharRef (0x48)        u16
 *   0x09   EntityRef (0x49)      name offset u32, [inline name]
 *   0x0a   PITarget              name offset u32, [inline name]
 *   0x0b   PIData                u16 count + UTF-16LE
 *   0x0c   TemplateInstance      u8, template id u32, definition offset
 *                                u32, [inline definition], value count
 *                                u32, descriptors {u16 size, u8 type, u8},
 *                                values
 *   0x0d   NormalSubstitution    index u16, value type u8
 *   0x0e   OptionalSubstitution  index u16, value type u8
 *   0x0f   FragmentHeader        major u8, minor u8, flags u8
 *
 *   name at offset:  +0 next u32, +4 hash u16, +6 count u16,
 *                    +8 UTF-16LE[count], NUL u16
 *   template def:    +0 next u32, +4 GUID[16], +20 data size u32,
 *                    +24 fragment (data size bytes)
 *
 * A name or template definition is "inline" when its offset equals the
 * position where it would be read; the reader then skips over it.
 */
#ifndef RIFT_BINXML_INT_H
#define RIFT_BINXML_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

/* Limits: every count and depth read from input is capped. */
#define BX_MAX_DEPTH 64          /* element nesting in one fragment */
#define BX_MAX_NEST 8            /* nested BinXML / template instances */
#define BX_MAX_NODES (1u << 18)  /* nodes in one record tree */
#define BX_MAX_VALUES 4096       /* substitution values in one instance */
#define BX_MAX_TEMPLATES 2048    /* cached templates per chunk */
#define BX_MAX_NAMES 8192        /* cached names per chunk */
#define BX_MAX_ARRAY 65536       /* items rendered from one array value */

/* Value types */
enum {
  BXT_NULL = 0x00, BXT_STRING = 0x01, BXT_ANSI = 0x02, BXT_I8 = 0x03,
  BXT_U8 = 0x04, BXT_I16 = 0x05, BXT_U16 = 0x06, BXT_I32 = 0x07,
  BXT_U32 = 0x08, BXT_I64 = 0x09, BXT_U64 = 0x0a, BXT_F32 = 0x0b,
  BXT_F64 = 0x0c, BXT_BOOL = 0x0d, BXT_BINARY = 0x0e, BXT_GUID = 0x0f,
  BXT_SIZET = 0x10, BXT_FILETIME = 0x11, BXT_SYSTEMTIME = 0x12,
  BXT_SID = 0x13, BXT_HEX32 = 0x14, BXT_HEX64 = 0x15, BXT_EVTHANDLE = 0x20,
  BXT_BINXML = 0x21, BXT_EVTXML = 0x23, BXT_ARRAY = 0x80
};

/* Well-known names, resolved once per cached name. */
#define BX_KNOWN_MAP(N)                                                   \
  N(EVENT, "Event") N(SYSTEM, "System") N(EVENTDATA, "EventData")        \
  N(USERDATA, "UserData") N(DATA, "Data") N(NAME, "Name")                \
  N(PROVIDER, "Provider") N(EVENTID, "EventID") N(VERSION, "Version")    \
  N(LEVEL, "Level") N(TASK, "Task") N(OPCODE, "Opcode")                  \
  N(KEYWORDS, "Keywords") N(TIMECREATED, "TimeCreated")                  \
  N(SYSTEMTIME, "SystemTime") N(EVENTRECORDID, "EventRecordID")          \
  N(CORRELATION, "Correlation") N(EXECUTION, "Execution")                \
  N(PROCESSID, "ProcessID") N(THREADID, "ThreadID") N(CHANNEL, "Channel") \
  N(COMPUTER, "Computer") N(SECURITY, "Security") N(USERID, "UserID")    \
  N(GUID, "Guid") N(QUALIFIERS, "Qualifiers") N(ACTIVITYID, "ActivityID") \
  N(RELATEDACTIVITYID, "RelatedActivityID")                              \
  N(EVENTSOURCENAME, "EventSourceName") N(BINARY, "Binary")              \
  N(RENDERINGINFO, "RenderingInfo")

enum bx_known {
  BXN_NONE = 0,
#define N(e, s) BXN_##e,
  BX_KNOWN_MAP(N)
#undef N
};

struct bx_name {
  const char *s;     /* UTF-8 */
  const char *json;  /* escaped for a JSON string */
  const char *xml;   /* escaped for XML */
  uint32_t len, jlen, xlen;
  uint32_t off;      /* chunk offset it was read from */
  uint16_t known;    /* enum bx_known */
  uint64_t hash;     /* of the JSON form, for duplicate keys */
  uint32_t field;    /* cached field id of winlog.event_data.<name>, 0 =
                        not looked up yet (evtx.c) */
};

enum bx_kind {
  BX_ELEM = 1, BX_ATTR, BX_VALUE, BX_SUBST, BX_CDATA, BX_CHARREF,
  BX_ENTREF, BX_PI
};

/* One node of a compiled template or of a record tree.  Index 0 of every
 * node array is a dummy so that 0 means "none". */
struct bx_node {
  uint8_t kind;      /* enum bx_kind */
  uint8_t vtype;     /* BX_VALUE/BX_SUBST: value type */
  uint8_t optional;  /* BX_SUBST: optional substitution */
  uint8_t allsubst;  /* BX_ELEM/BX_ATTR (template): content only substs,
                        at least one optional */
  uint8_t elided;    /* record tree: element whose optional content is
                        absent (XML leaves it out, JSON shows null) */
  uint8_t inst;      /* record tree VALUE from a substitution: which
                        template instance (1 = the record's, 2.. = nested
                        BinXML values by rank, 255 = deeper); 0 = static */
  uint16_t index;    /* BX_SUBST and substituted VALUE: value index;
                        BX_CHARREF: code unit */
  uint32_t next;     /* next sibling */
  uint32_t attr;     /* BX_ELEM: first attribute */
  uint32_t child;    /* BX_ELEM/BX_ATTR/BX_PI: first content node */
  const struct bx_name *name; /* element, attribute, entity, PI name; for
                                 a static string VALUE that is the Name of
                                 a <Data>: the string as a name (JSON key) */
  const uint8_t *data; /* BX_VALUE/BX_CDATA: raw value bytes */
  uint32_t len;        /* bytes at data */
};

struct bx_val {
  uint8_t type;
  uint32_t len;
  uint32_t off;  /* chunk offset of the bytes */
};

struct bx_prog;

struct bx_template {
  uint32_t def_off;
  uint32_t root;     /* first top-level node */
  struct bx_node *nodes;
  uint32_t n;
  rift_err err;      /* compile failure: instances of it fail too */
};

/* A record tree. */
struct bx_doc {
  struct bx_node *nodes;
  uint32_t n, cap;
  uint32_t root;
};

/* Chunk-scoped caches and arenas (one per thread). */
struct bx_chunk {
  const uint8_t *p;  /* chunk bytes */
  size_t len;
  struct rift_arena arena;     /* names and templates: cleared per chunk */
  struct rift_arena rec;       /* record values: cleared per record */
  struct bx_node *nodes;       /* record tree nodes, reused per record */
  uint32_t nodes_cap;
  struct bx_name **names;      /* open addressing by offset */
  uint32_t names_cap, nnames;
  struct bx_template **tpls;
  uint32_t tpls_cap, ntpls;
  struct rift_buf tmp;         /* scratch for name conversion */
  struct bx_prog **progs;      /* render programs by shape hash */
  uint32_t progs_cap, nprogs;
  struct rec *rec_buf;         /* program recorder scratch */
  struct bx_node *cnodes;      /* compile's growing node vector, reused */
  uint32_t cnodes_cap;
  uint32_t fail_off;           /* offset of the last failure */
  const char *fail_why;        /* static reason text */
};

rift_err bx_chunk_init(struct bx_chunk *c);
void bx_chunk_release(struct bx_chunk *c);
/* Start a new chunk: drops caches. */
void bx_chunk_reset(struct bx_chunk *c, const uint8_t *p, size_t len);

/* Parse the BinXML fragment of a record at [off, off+len) of the chunk into
 * a tree allocated from c->rec. */
rift_err bx_parse_record(struct bx_chunk *c, uint32_t off, uint32_t len,
                         struct bx_doc *doc);

enum bx_fmt { BXF_JSON, BXF_XML, BXF_TEXT };

/* Append one value as JSON (typed, quoted), XML text (libevtx style) or
 * plain text (Windows rendering style). */
rift_err bx_value_fmt(struct rift_buf *b, uint8_t type, const uint8_t *p,
                      uint32_t len, enum bx_fmt f);

rift_err bx_render_json(struct rift_buf *b, const struct bx_doc *d, int pretty);
rift_err bx_render_xml(struct rift_buf *b, const struct bx_doc *d);

/*
 * Render programs.  Records of one template whose substitution values have
 * the same types (and whose nested BinXML values are instances of the same
 * templates with the same types) render to the same bytes except for the
 * values.  The first such record is rendered from its tree while recording
 * the literal bytes between values; later ones replay the program from the
 * raw values without building a tree.  Shapes with arrays, deeper nesting,
 * several fragments or keys taken from values are never recorded.
 */
enum bx_out { BXO_JSON, BXO_JSON_PRETTY, BXO_XML };

#define BX_FAST_INST 8
struct bx_fast {
  const struct bx_val *vals[BX_FAST_INST]; /* [0] unused; 1 = record's */
  uint32_t nvals[BX_FAST_INST];
  uint64_t hash;
  uint32_t siglen;
  uint8_t sig[512];
};

/* Compute the shape of the record fragment at [off, off+len); 0 if the
 * record cannot use a program (then render from the tree). */
int bx_fast_shape(struct bx_chunk *c, uint32_t off, uint32_t len,
                  enum bx_out o, struct bx_fast *f);
/* Replay the program for f's shape; RIFT_NOTFOUND if none yet. */
rift_err bx_fast_render(struct bx_chunk *c, struct rift_buf *b,
                        const struct bx_fast *f);
/* Render the tree and record a program for shape f (f may be NULL: plain
 * render). */
rift_err bx_render_record(struct bx_chunk *c, struct rift_buf *b,
                          const struct bx_doc *d, enum bx_out o,
                          const struct bx_fast *f);

/* Children helpers for consumers of trees. */
static inline const struct bx_node *bx_at(const struct bx_doc *d, uint32_t i)
{
  return i ? &d->nodes[i] : NULL;
}

#endif
