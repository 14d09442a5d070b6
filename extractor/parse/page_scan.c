/* The compiled twin of `page_scan.py`: one pass over a page's characters instead of three
 * regex scans and a token list (see that module for what `scan_braces` returns and why).
 * Built by `python -m extractor.native_build` beside the mypyc modules; the Python module runs
 * wherever no build is in use, and the tests hold the two to the same results. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define NAME_MAX_CHARS 120 /* the `{0,120}` of the name pattern */
#define MAX_KEYWORDS 64
#define MAX_KEYWORD_LEN 64

typedef struct {
    Py_ssize_t start, end;
} Region;

typedef struct {
    Py_ssize_t opener, close_end, name_end;
} Candidate;

typedef struct {
    int count;
    Py_ssize_t length[MAX_KEYWORDS];
    char text[MAX_KEYWORDS][MAX_KEYWORD_LEN];
} Keywords;

static int
read_keywords(PyObject *seq, Keywords *keywords)
{
    PyObject *fast = PySequence_Fast(seq, "keywords must be a sequence of str");
    if (fast == NULL)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n > MAX_KEYWORDS) {
        Py_DECREF(fast);
        PyErr_SetString(PyExc_ValueError, "too many keywords");
        return -1;
    }
    keywords->count = (int)n;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t size;
        const char *word = PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(fast, i), &size);
        if (word == NULL || size == 0 || size >= MAX_KEYWORD_LEN) {
            Py_DECREF(fast);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "a keyword must be 1 to 63 ASCII letters");
            return -1;
        }
        memcpy(keywords->text[i], word, (size_t)size);
        keywords->length[i] = size;
    }
    Py_DECREF(fast);
    return 0;
}

static int
read_regions(PyObject *seq, Region **out, Py_ssize_t *count)
{
    PyObject *fast = PySequence_Fast(seq, "regions must be a sequence of (start, end)");
    if (fast == NULL)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    Region *regions = PyMem_New(Region, n > 0 ? n : 1);
    if (regions == NULL) {
        Py_DECREF(fast);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyArg_ParseTuple(pair, "nn", &regions[i].start, &regions[i].end)) {
            PyMem_Free(regions);
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    *out = regions;
    *count = n;
    return 0;
}

/* True when the lowercased ASCII name holds one of the keywords. */
static int
has_keyword(const char *name, Py_ssize_t size, const Keywords *keywords)
{
    for (int k = 0; k < keywords->count; k++) {
        Py_ssize_t length = keywords->length[k];
        const char *word = keywords->text[k];
        for (Py_ssize_t at = 0; at + length <= size; at++) {
            if (name[at] == word[0] && memcmp(name + at, word, (size_t)length) == 0)
                return 1;
        }
    }
    return 0;
}

static int
is_name_char(Py_UCS4 ch)
{
    return !(ch == '|' || ch == '{' || ch == '}' || ch == '<' || ch == '>' || ch == '[' ||
             ch == ']');
}

/* Growing arrays of the open templates (their candidate index, or -1) and the candidates. */
typedef struct {
    Py_ssize_t *open;
    Py_ssize_t depth, open_capacity;
    Candidate *found;
    Py_ssize_t found_count, found_capacity;
} Scan;

static int
grow(void **items, Py_ssize_t *capacity, size_t item_size)
{
    Py_ssize_t wanted = *capacity ? *capacity * 2 : 64;
    void *bigger = PyMem_Realloc(*items, (size_t)wanted * item_size);
    if (bigger == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *items = bigger;
    *capacity = wanted;
    return 0;
}

/* Reads a name as `\{\{\s*([^|{}<>\[\]]{0,120})` does from `at` (just after the `{{`):
 * returns where the match ends, and whether the name may be an infobox's (see page_scan.py). */
static Py_ssize_t
read_name(int kind, const void *data, Py_ssize_t length, Py_ssize_t at,
          const Keywords *keywords, Py_ssize_t next_region, int *candidate)
{
    char lowered[NAME_MAX_CHARS];
    Py_ssize_t name = at;
    while (name < length && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, name)))
        name++;
    Py_ssize_t end = name;
    int ascii = 1;
    while (end < length && end - name < NAME_MAX_CHARS) {
        Py_UCS4 c = PyUnicode_READ(kind, data, end);
        if (!is_name_char(c))
            break;
        if (c > 127)
            ascii = 0;
        else
            lowered[end - name] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        end++;
    }
    *candidate = !ascii || end == next_region || has_keyword(lowered, end - name, keywords);
    return end;
}

static int
push_open(Scan *scan, Py_ssize_t at, Py_ssize_t name_end, int candidate)
{
    Py_ssize_t index = -1;
    if (candidate) {
        if (scan->found_count == scan->found_capacity &&
            grow((void **)&scan->found, &scan->found_capacity, sizeof(Candidate)) < 0)
            return -1;
        index = scan->found_count++;
        scan->found[index].opener = at;
        scan->found[index].close_end = -1;
        scan->found[index].name_end = name_end;
    }
    if (scan->depth == scan->open_capacity &&
        grow((void **)&scan->open, &scan->open_capacity, sizeof(Py_ssize_t)) < 0)
        return -1;
    scan->open[scan->depth++] = index;
    return 0;
}

static void
pop_open(Scan *scan, Py_ssize_t close_end)
{
    if (scan->depth > 0) { /* a closer with nothing open is text */
        Py_ssize_t closed = scan->open[--scan->depth];
        if (closed >= 0)
            scan->found[closed].close_end = close_end;
    }
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* The offset in a 16-byte block of the first lane the mask marks (the block holds one). */
#define FIRST_LANE(MASK, WIDTH) ((Py_ssize_t)__builtin_ctz((unsigned)(MASK)) / (WIDTH))

/* The first brace at or after `at` and before `limit` (or `limit`): sixteen one-byte or eight
 * two-byte characters compared at a time with both braces. */
#define NEXT_BRACE_SIMD(NAME, CHAR, LANES, SET1, CMPEQ)                                      \
    static inline Py_ssize_t NAME(const CHAR *chars, Py_ssize_t at, Py_ssize_t limit)        \
    {                                                                                        \
        const __m128i open = SET1('{'), close = SET1('}');                                   \
        while (at + (LANES) <= limit) {                                                      \
            __m128i block = _mm_loadu_si128((const __m128i *)(chars + at));                  \
            int mask = _mm_movemask_epi8(                                                    \
                _mm_or_si128(CMPEQ(block, open), CMPEQ(block, close)));                      \
            if (mask)                                                                        \
                return at + FIRST_LANE(mask, 16 / (LANES));                                  \
            at += (LANES);                                                                   \
        }                                                                                    \
        while (at < limit && chars[at] != '{' && chars[at] != '}')                           \
            at++;                                                                            \
        return at;                                                                           \
    }

NEXT_BRACE_SIMD(next_brace_ucs1, Py_UCS1, 16, _mm_set1_epi8, _mm_cmpeq_epi8)
NEXT_BRACE_SIMD(next_brace_ucs2, Py_UCS2, 8, _mm_set1_epi16, _mm_cmpeq_epi16)
#else
/* Without SSE2: eight one-byte or four two-byte characters are tested at a time for either
 * brace (a lane equal to the brace is a zero lane of the XOR), and the word that holds one is
 * read character by character. */
#define NEXT_BRACE_SWAR(NAME, CHAR, LANES, ONES)                                            \
    static inline Py_ssize_t NAME(const CHAR *chars, Py_ssize_t at, Py_ssize_t limit)        \
    {                                                                                        \
        const uint64_t ones = (ONES), high = ones << ((64 / (LANES)) - 1);                   \
        const uint64_t open = ones * '{', close = ones * '}';                                \
        while (at + (LANES) <= limit) {                                                      \
            uint64_t word, a, b;                                                             \
            memcpy(&word, chars + at, sizeof word);                                          \
            a = word ^ open;                                                                 \
            b = word ^ close;                                                                \
            if ((((a - ones) & ~a) | ((b - ones) & ~b)) & high)                              \
                break;                                                                       \
            at += (LANES);                                                                   \
        }                                                                                    \
        while (at < limit && chars[at] != '{' && chars[at] != '}')                           \
            at++;                                                                            \
        return at;                                                                           \
    }

NEXT_BRACE_SWAR(next_brace_ucs1, Py_UCS1, 8, 0x0101010101010101ULL)
NEXT_BRACE_SWAR(next_brace_ucs2, Py_UCS2, 4, 0x0001000100010001ULL)
#endif

static inline Py_ssize_t
next_brace_ucs4(const Py_UCS4 *chars, Py_ssize_t at, Py_ssize_t limit)
{
    while (at < limit && chars[at] != '{' && chars[at] != '}')
        at++;
    return at;
}

/* The next `{{` or `}}` token at or after `at` (or a position past `limit - 2`): a brace not
 * doubled is text, and a run of braces is read in twos from its left. */
#define NEXT_TOKEN(NAME, CHAR, NEXT)                                                         \
    static inline Py_ssize_t NAME(const CHAR *chars, Py_ssize_t at, Py_ssize_t limit)        \
    {                                                                                        \
        while ((at = NEXT(chars, at, limit)) + 1 < limit) {                                  \
            if (chars[at + 1] == chars[at])                                                  \
                return at;                                                                   \
            at++;                                                                            \
        }                                                                                    \
        return at;                                                                           \
    }

NEXT_TOKEN(next_token_ucs1, Py_UCS1, next_brace_ucs1)
NEXT_TOKEN(next_token_ucs2, Py_UCS2, next_brace_ucs2)
NEXT_TOKEN(next_token_ucs4, Py_UCS4, next_brace_ucs4)

/* The scan for one width of character: between regions, the characters that are no brace are
 * skipped in a tight loop, and each `{{` or `}}` token is taken as the regex scans take it. */
#define SCAN_KIND(NAME, CHAR, NEXT)                                                          \
    static int NAME(const CHAR *chars, int kind, Py_ssize_t length, const Region *regions,   \
                    Py_ssize_t region_count, Py_ssize_t max_depth,                           \
                    const Keywords *keywords, Scan *scan)                                    \
    {                                                                                        \
        Py_ssize_t at = 0;                                                                   \
        for (Py_ssize_t region = 0; region <= region_count; region++) {                      \
            Py_ssize_t limit = region < region_count ? regions[region].start : length;       \
            Py_ssize_t next_region = region < region_count ? limit : -1;                     \
            if (limit > length)                                                              \
                limit = length;                                                              \
            while ((at = NEXT(chars, at, limit)) + 1 < limit) {                              \
                if (chars[at] == '}') {                                                      \
                    pop_open(scan, at + 2);                                                  \
                    at += 2;                                                                 \
                    continue;                                                                \
                }                                                                            \
                int candidate;                                                               \
                Py_ssize_t end = read_name(kind, chars, length, at + 2, keywords,           \
                                           next_region, &candidate);                         \
                if (push_open(scan, at, end, candidate) < 0)                                 \
                    return -1;                                                               \
                if (max_depth >= 0 && scan->depth > max_depth)                               \
                    return 0;                                                                \
                at += 2;                                                                     \
            }                                                                                \
            if (region < region_count && regions[region].end > at)                           \
                at = regions[region].end; /* a comment or opaque tag is text */              \
        }                                                                                    \
        return scan->depth == 0 ? 1 : 0;                                                     \
    }

SCAN_KIND(scan_ucs1, Py_UCS1, next_token_ucs1)
SCAN_KIND(scan_ucs2, Py_UCS2, next_token_ucs2)
SCAN_KIND(scan_ucs4, Py_UCS4, next_token_ucs4)

/* 1: the page scanned (its candidates in `scan`); 0: an opener never closes, or templates
 * nest deeper than max_depth (the caller reads the page the slow way); -1: an error. */
static int
scan_page(PyObject *text, const Region *regions, Py_ssize_t region_count,
          Py_ssize_t max_depth, const Keywords *keywords, Scan *scan)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (kind == PyUnicode_1BYTE_KIND)
        return scan_ucs1(data, kind, length, regions, region_count, max_depth, keywords, scan);
    if (kind == PyUnicode_2BYTE_KIND)
        return scan_ucs2(data, kind, length, regions, region_count, max_depth, keywords, scan);
    return scan_ucs4(data, kind, length, regions, region_count, max_depth, keywords, scan);
}

static PyObject *
scan_braces(PyObject *module, PyObject *args)
{
    PyObject *text, *region_seq, *keyword_seq;
    Py_ssize_t max_depth;
    if (!PyArg_ParseTuple(args, "UOnO:scan_braces", &text, &region_seq, &max_depth,
                          &keyword_seq))
        return NULL;
    Keywords keywords;
    if (read_keywords(keyword_seq, &keywords) < 0)
        return NULL;
    Region *regions;
    Py_ssize_t region_count;
    if (read_regions(region_seq, &regions, &region_count) < 0)
        return NULL;
    Scan scan = {NULL, 0, 0, NULL, 0, 0};
    int status = scan_page(text, regions, region_count, max_depth, &keywords, &scan);
    PyObject *result = NULL;
    if (status == 0) {
        result = Py_NewRef(Py_None);
    }
    else if (status == 1) {
        result = PyList_New(scan.found_count);
        for (Py_ssize_t i = 0; result != NULL && i < scan.found_count; i++) {
            Candidate *c = &scan.found[i];
            PyObject *item = Py_BuildValue("(nnn)", c->opener, c->close_end, c->name_end);
            if (item == NULL)
                Py_CLEAR(result);
            else
                PyList_SET_ITEM(result, i, item);
        }
    }
    PyMem_Free(scan.open);
    PyMem_Free(scan.found);
    PyMem_Free(regions);
    return result;
}

/* Every template of a masked page (see template_pairs in page_scan.py). */
typedef struct {
    Py_ssize_t start, name_start, name_end, end;
} Opener;

#define PAIRS_KIND(NAME, CHAR, NEXT)                                                         \
    static int NAME(const CHAR *chars, Py_ssize_t length, Opener **openers,                  \
                    Py_ssize_t *count, Py_ssize_t *capacity, Py_ssize_t **stack,             \
                    Py_ssize_t *depth, Py_ssize_t *stack_capacity, Py_ssize_t *deepest)      \
    {                                                                                        \
        Py_ssize_t at = 0;                                                                   \
        while ((at = NEXT(chars, at, length)) + 1 < length) {                                \
            if (chars[at] == '}') {                                                          \
                if (*depth > 0)                                                              \
                    (*openers)[(*stack)[--*depth]].end = at + 2;                             \
                at += 2;                                                                     \
                continue;                                                                    \
            }                                                                                \
            Py_ssize_t name = at + 2;                                                        \
            while (name < length && Py_UNICODE_ISSPACE(chars[name]))                         \
                name++;                                                                      \
            Py_ssize_t end = name;                                                           \
            while (end < length && end - name < NAME_MAX_CHARS && is_name_char(chars[end]))  \
                end++;                                                                       \
            if (*count == *capacity &&                                                       \
                grow((void **)openers, capacity, sizeof(Opener)) < 0)                        \
                return -1;                                                                   \
            (*openers)[*count] = (Opener){at, name, end, -1};                                \
            if (*depth == *stack_capacity &&                                                 \
                grow((void **)stack, stack_capacity, sizeof(Py_ssize_t)) < 0)                \
                return -1;                                                                   \
            (*stack)[(*depth)++] = (*count)++;                                               \
            if (*depth > *deepest)                                                           \
                *deepest = *depth;                                                           \
            at += 2;                                                                         \
        }                                                                                    \
        return 0;                                                                            \
    }

PAIRS_KIND(pairs_ucs1, Py_UCS1, next_token_ucs1)
PAIRS_KIND(pairs_ucs2, Py_UCS2, next_token_ucs2)
PAIRS_KIND(pairs_ucs4, Py_UCS4, next_token_ucs4)

static PyObject *
pairs_result(PyObject *text, const Opener *openers, Py_ssize_t count, const Py_ssize_t *stack,
             Py_ssize_t depth, Py_ssize_t deepest)
{
    PyObject *pairs = PyList_New(0), *left = PyList_New(depth), *result = NULL;
    if (pairs == NULL || left == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (openers[i].end < 0)
            continue;
        PyObject *name = PyUnicode_Substring(text, openers[i].name_start, openers[i].name_end);
        PyObject *item = name ? Py_BuildValue("(nnN)", openers[i].start, openers[i].end, name)
                              : NULL;
        if (item == NULL || PyList_Append(pairs, item) < 0) {
            Py_XDECREF(item);
            goto done;
        }
        Py_DECREF(item);
    }
    for (Py_ssize_t i = 0; i < depth; i++) {
        PyObject *offset = PyLong_FromSsize_t(openers[stack[i]].start);
        if (offset == NULL)
            goto done;
        PyList_SET_ITEM(left, i, offset);
    }
    result = Py_BuildValue("(OOn)", pairs, left, deepest);
done:
    Py_XDECREF(pairs);
    Py_XDECREF(left);
    return result;
}

/* 1 for a str; else 0, with the TypeError set. */
static int
is_text(PyObject *text, const char *function)
{
    if (PyUnicode_Check(text))
        return 1;
    PyErr_Format(PyExc_TypeError, "%s() takes a str", function);
    return 0;
}

static PyObject *
template_pairs(PyObject *module, PyObject *text)
{
    if (!is_text(text, "template_pairs"))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Opener *openers = NULL;
    Py_ssize_t *stack = NULL;
    Py_ssize_t count = 0, capacity = 0, depth = 0, stack_capacity = 0, deepest = 0;
    int status;
    if (kind == PyUnicode_1BYTE_KIND)
        status = pairs_ucs1(data, length, &openers, &count, &capacity, &stack, &depth,
                            &stack_capacity, &deepest);
    else if (kind == PyUnicode_2BYTE_KIND)
        status = pairs_ucs2(data, length, &openers, &count, &capacity, &stack, &depth,
                            &stack_capacity, &deepest);
    else
        status = pairs_ucs4(data, length, &openers, &count, &capacity, &stack, &depth,
                            &stack_capacity, &deepest);
    PyObject *result = status < 0 ? NULL
                                  : pairs_result(text, openers, count, stack, depth, deepest);
    PyMem_Free(openers);
    PyMem_Free(stack);
    return result;
}

/* UTF-8 bytes, newlines and `|` or `!` of one width of character, in loops the compiler
 * vectorises. The blocks are short enough for 16-bit counters (a character adds at most 3 to
 * one), so that a vector holds as many counters as characters: with 32-bit ones, each vector
 * of characters had to be widened into several of counters first. A lone surrogate is one
 * byte (the `?` that encode(..., "replace") writes for it). */
#define SIZE_BLOCK 4096
#define SIZE_KIND(NAME, CHAR, WIDE)                                                          \
    static void NAME(const CHAR *chars, Py_ssize_t length, Py_ssize_t *bytes,               \
                     Py_ssize_t *newlines, Py_ssize_t *marks)                                \
    {                                                                                        \
        Py_ssize_t extra = 0, lines = 0, bars = 0;                                           \
        for (Py_ssize_t block = 0; block < length; block += SIZE_BLOCK) {                    \
            Py_ssize_t stop = length - block < SIZE_BLOCK ? length : block + SIZE_BLOCK;     \
            uint16_t more = 0, breaks = 0, cells = 0;                                        \
            for (Py_ssize_t i = block; i < stop; i++) {                                      \
                CHAR c = chars[i];                                                           \
                breaks += c == '\n';                                                         \
                cells += (c == '|') + (c == '!');                                            \
                more += (c >= 0x80);                                                         \
                if (WIDE)                                                                    \
                    more += (c >= 0x800) + (c >= 0x10000) - 2 * ((c & ~0x7FF) == 0xD800);    \
            }                                                                                \
            extra += more;                                                                   \
            lines += breaks;                                                                 \
            bars += cells;                                                                   \
        }                                                                                    \
        *bytes = length + extra;                                                             \
        *newlines = lines;                                                                   \
        *marks = bars;                                                                       \
    }

SIZE_KIND(size_ucs1, Py_UCS1, 0)
SIZE_KIND(size_ucs2, Py_UCS2, 1)
SIZE_KIND(size_ucs4, Py_UCS4, 1)

static PyObject *
text_size(PyObject *module, PyObject *args)
{
    PyObject *text;
    int want_marks = 0;
    if (!PyArg_ParseTuple(args, "U|p:text_size", &text, &want_marks))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), bytes, newlines, marks;
    if (kind == PyUnicode_1BYTE_KIND)
        size_ucs1(data, length, &bytes, &newlines, &marks);
    else if (kind == PyUnicode_2BYTE_KIND)
        size_ucs2(data, length, &bytes, &newlines, &marks);
    else
        size_ucs4(data, length, &bytes, &newlines, &marks);
    return Py_BuildValue("(nnn)", bytes, newlines, want_marks ? marks : (Py_ssize_t)-1);
}

static PyObject *
line_starts(PyObject *module, PyObject *text)
{
    if (!is_text(text, "line_starts"))
        return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    PyObject *starts = PyList_New(0);
    if (starts == NULL)
        return NULL;
    Py_ssize_t at = 0;
    while (at >= 0) {
        PyObject *offset = PyLong_FromSsize_t(at);
        if (offset == NULL || PyList_Append(starts, offset) < 0) {
            Py_XDECREF(offset);
            Py_DECREF(starts);
            return NULL;
        }
        Py_DECREF(offset);
        if (at >= length)
            break;
        at = PyUnicode_FindChar(text, '\n', at, length, 1);
        if (at == -2) {
            Py_DECREF(starts);
            return NULL;
        }
        if (at >= 0)
            at++;
    }
    return starts;
}

/* --- opaque regions: `OPAQUE.finditer` of page_scan.py, written out ----------------------- */

static const char *const OPAQUE_NAMES[] = {
    "nowiki", "pre", "math", "source", "syntaxhighlight", "gallery", "timeline", "score", "ce",
    "chem", "hiero", "graph", "imagemap", "templatedata", "categorytree", "inputbox", "section",
};
#define OPAQUE_NAME_COUNT ((int)(sizeof OPAQUE_NAMES / sizeof OPAQUE_NAMES[0]))

/* Whether `c` matches the lower-case ASCII `letter` of a tag name under IGNORECASE: the letter
 * in either case, and the three characters Python's `re` also takes for one (dotted and dotless
 * I for `i`, the long s for `s`, the Kelvin sign for `k`; found by trying every code point). */
static inline int
name_letter(Py_UCS4 c, char letter)
{
    if (c < 128)
        return (c | 0x20) == (Py_UCS4)(unsigned char)letter;
    return (letter == 'i' && (c == 0x130 || c == 0x131)) || (letter == 's' && c == 0x17F) ||
           (letter == 'k' && c == 0x212A);
}

/* `\w` of a str pattern, as `re` tests it for `\b`. */
static inline int
word_char(Py_UCS4 c)
{
    return c == '_' || Py_UNICODE_ISALNUM(c);
}

/* The end of the opaque region that starts with the `<` at `at`, or -1 when none starts there.
 * The lazy parts are read as `re` reads them: a comment ends at the first `-->`; a tag's
 * attributes run to the first `/>` or `>` (a `<` first: no region); its content to the first
 * closing tag of its name (the characters the opening tag used, compared lower-cased, as a
 * case-insensitive back reference compares them) with blanks before its `>`; the page's end
 * ends either. */
#define OPAQUE_END(NAME, CHAR)                                                               \
    static Py_ssize_t NAME(const CHAR *s, Py_ssize_t n, Py_ssize_t at)                       \
    {                                                                                        \
        if (at + 1 >= n)                                                                     \
            return -1;                                                                       \
        if (s[at + 1] == '!') {                                                              \
            if (at + 3 >= n || s[at + 2] != '-' || s[at + 3] != '-')                         \
                return -1;                                                                   \
            for (Py_ssize_t k = at + 4; k + 2 < n; k++)                                      \
                if (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>')                       \
                    return k + 3;                                                            \
            return n;                                                                        \
        }                                                                                    \
        Py_ssize_t name = at + 1, name_end = -1;                                             \
        for (int w = 0; w < OPAQUE_NAME_COUNT && name_end < 0; w++) {                        \
            const char *word = OPAQUE_NAMES[w];                                              \
            Py_ssize_t k = 0;                                                                \
            while (word[k] && name + k < n && name_letter(s[name + k], word[k]))             \
                k++;                                                                         \
            if (!word[k])                                                                    \
                name_end = name + k; /* names differ in lower case: at most one matches */   \
        }                                                                                    \
        if (name_end < 0 || (name_end < n && word_char(s[name_end])))                        \
            return -1;                                                                       \
        Py_ssize_t j = name_end;                                                             \
        while (j < n && s[j] != '>') {                                                       \
            if (s[j] == '<')                                                                 \
                return -1;                                                                   \
            if (s[j] == '/' && j + 1 < n && s[j + 1] == '>')                                 \
                return j + 2;                                                                \
            j++;                                                                             \
        }                                                                                    \
        if (j >= n)                                                                          \
            return -1;                                                                       \
        Py_ssize_t length = name_end - name;                                                 \
        for (Py_ssize_t k = j + 1; k + 1 < n; k++) {                                         \
            if (s[k] != '<' || s[k + 1] != '/')                                              \
                continue;                                                                    \
            Py_ssize_t c = k + 2, m = 0;                                                     \
            while (m < length && c + m < n &&                                                \
                   Py_UNICODE_TOLOWER(s[c + m]) == Py_UNICODE_TOLOWER(s[name + m]))          \
                m++;                                                                         \
            if (m < length)                                                                  \
                continue;                                                                    \
            c += length;                                                                     \
            while (c < n && Py_UNICODE_ISSPACE(s[c]))                                        \
                c++;                                                                         \
            if (c < n && s[c] == '>')                                                        \
                return c + 1;                                                                \
        }                                                                                    \
        return n;                                                                            \
    }

OPAQUE_END(opaque_end_ucs1, Py_UCS1)
OPAQUE_END(opaque_end_ucs2, Py_UCS2)
OPAQUE_END(opaque_end_ucs4, Py_UCS4)

/* The next `ch` at or after `at` (or `n`): memchr for one-byte text, eight two-byte characters
 * compared at a time (SSE2; else four a word at a time: a lane equal to `ch` is a zero lane of
 * the XOR). */
static inline Py_ssize_t
next_char_ucs1(const Py_UCS1 *s, Py_ssize_t n, Py_ssize_t at, Py_UCS1 ch)
{
    const void *found = at < n ? memchr(s + at, ch, (size_t)(n - at)) : NULL;
    return found ? (const Py_UCS1 *)found - s : n;
}

static inline Py_ssize_t
next_char_ucs2(const Py_UCS2 *s, Py_ssize_t n, Py_ssize_t at, Py_UCS2 ch)
{
#if defined(__SSE2__)
    const __m128i lanes = _mm_set1_epi16((short)ch);
    while (at + 8 <= n) {
        int mask = _mm_movemask_epi8(
            _mm_cmpeq_epi16(_mm_loadu_si128((const __m128i *)(s + at)), lanes));
        if (mask)
            return at + FIRST_LANE(mask, 2);
        at += 8;
    }
#else
    const uint64_t ones = 0x0001000100010001ULL, high = ones << 15, lanes = ones * ch;
    while (at + 4 <= n) {
        uint64_t word, x;
        memcpy(&word, s + at, sizeof word);
        x = word ^ lanes;
        if (((x - ones) & ~x) & high)
            break;
        at += 4;
    }
#endif
    while (at < n && s[at] != ch)
        at++;
    return at;
}

static inline Py_ssize_t
next_char_ucs4(const Py_UCS4 *s, Py_ssize_t n, Py_ssize_t at, Py_UCS4 ch)
{
    while (at < n && s[at] != ch)
        at++;
    return at;
}

#define NEXT_ANGLE(NAME, CHAR, NEXT_CHAR)                                                    \
    static inline Py_ssize_t NAME(const CHAR *s, Py_ssize_t n, Py_ssize_t at)                \
    {                                                                                        \
        return NEXT_CHAR(s, n, at, '<');                                                     \
    }

NEXT_ANGLE(next_angle_ucs1, Py_UCS1, next_char_ucs1)
NEXT_ANGLE(next_angle_ucs2, Py_UCS2, next_char_ucs2)
NEXT_ANGLE(next_angle_ucs4, Py_UCS4, next_char_ucs4)

static int
add_region(PyObject *regions, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *pair = Py_BuildValue("(nn)", start, end);
    int failed = pair == NULL || PyList_Append(regions, pair) < 0;
    Py_XDECREF(pair);
    return failed ? -1 : 0;
}

#define OPAQUE_SCAN(NAME, CHAR, NEXT, END)                                                   \
    static int NAME(const void *data, Py_ssize_t n, PyObject *regions)                       \
    {                                                                                        \
        const CHAR *s = data;                                                                \
        Py_ssize_t at = 0;                                                                   \
        while ((at = NEXT(s, n, at)) < n) {                                                  \
            Py_ssize_t end = END(s, n, at);                                                  \
            if (end < 0) {                                                                   \
                at++;                                                                        \
                continue;                                                                    \
            }                                                                                \
            if (add_region(regions, at, end) < 0)                                            \
                return -1;                                                                   \
            at = end;                                                                        \
        }                                                                                    \
        return 0;                                                                            \
    }

OPAQUE_SCAN(opaque_scan_ucs1, Py_UCS1, next_angle_ucs1, opaque_end_ucs1)
OPAQUE_SCAN(opaque_scan_ucs2, Py_UCS2, next_angle_ucs2, opaque_end_ucs2)
OPAQUE_SCAN(opaque_scan_ucs4, Py_UCS4, next_angle_ucs4, opaque_end_ucs4)

/* A scan for each width of character that appends what it finds to a list. */
typedef int (*ListScan)(const void *data, Py_ssize_t n, PyObject *found);

/* The list the scan of `text`'s width fills (NULL with an exception when it fails). */
static PyObject *
scan_to_list(PyObject *text, const char *function, ListScan ucs1, ListScan ucs2, ListScan ucs4)
{
    if (!is_text(text, function))
        return NULL;
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    int kind = PyUnicode_KIND(text);
    ListScan scan = kind == PyUnicode_1BYTE_KIND   ? ucs1
                    : kind == PyUnicode_2BYTE_KIND ? ucs2
                                                   : ucs4;
    if (scan(PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), found) < 0) {
        Py_DECREF(found);
        return NULL;
    }
    return found;
}

static PyObject *
opaque_regions(PyObject *module, PyObject *text)
{
    return scan_to_list(text, "opaque_regions", opaque_scan_ucs1, opaque_scan_ucs2,
                        opaque_scan_ucs4);
}

/* --- references over several lines: `ref_spans` of page_scan.py, written out -------------- */

static inline int
ref_letters(Py_UCS4 r, Py_UCS4 e, Py_UCS4 f)
{
    /* `(?i:ref)`: only the ASCII letters match these three under IGNORECASE */
    return (r | 0x20) == 'r' && (e | 0x20) == 'e' && (f | 0x20) == 'f';
}

static int
add_offset(PyObject *list, Py_ssize_t offset)
{
    PyObject *number = PyLong_FromSsize_t(offset);
    int failed = number == NULL || PyList_Append(list, number) < 0;
    Py_XDECREF(number);
    return failed ? -1 : 0;
}

/* Each `<` is read as `REF_TAG` reads it there: an opener `<ref` (a word ends there) whose
 * attributes run to a `>` not after `/` (a `<` first: no tag), or a closer `</ref` with blanks
 * before its `>`. Neither holds a `<` after its first, so every `<` is tried once; an attribute
 * scan stops at the next `<` or `>`, so the scan stays linear. */
#define REF_SCAN(NAME, CHAR, NEXT)                                                           \
    static int NAME(const void *data, Py_ssize_t n, PyObject *found)                         \
    {                                                                                        \
        const CHAR *s = data;                                                                \
        Py_ssize_t at = 0, opened = -1;                                                      \
        while ((at = NEXT(s, n, at)) < n) {                                                  \
            Py_ssize_t k = at + 1;                                                           \
            int closing = k < n && s[k] == '/';                                              \
            k += closing;                                                                    \
            if (k + 3 > n || !ref_letters(s[k], s[k + 1], s[k + 2])) {                       \
                at++;                                                                        \
                continue;                                                                    \
            }                                                                                \
            Py_ssize_t j = k + 3;                                                            \
            if (!closing) {                                                                  \
                if (j < n && word_char(s[j])) {                                              \
                    at++;                                                                    \
                    continue;                                                                \
                }                                                                            \
                while (j < n && s[j] != '<' && s[j] != '>')                                  \
                    j++;                                                                     \
                if (j < n && s[j] == '>' && s[j - 1] != '/') {                               \
                    opened = at;                                                             \
                    at = j + 1;                                                              \
                } else {                                                                     \
                    at++;                                                                    \
                }                                                                            \
                continue;                                                                    \
            }                                                                                \
            while (j < n && Py_UNICODE_ISSPACE(s[j]))                                        \
                j++;                                                                         \
            if (j >= n || s[j] != '>') {                                                     \
                at++;                                                                        \
                continue;                                                                    \
            }                                                                                \
            at = j + 1;                                                                      \
            if (opened >= 0) {                                                               \
                Py_ssize_t line_break = opened;                                              \
                while (line_break < at && s[line_break] != '\n')                             \
                    line_break++;                                                            \
                if (line_break < at && (add_offset(found, opened) < 0 ||                     \
                                        add_offset(found, at) < 0))                          \
                    return -1;                                                               \
                opened = -1;                                                                 \
            }                                                                                \
        }                                                                                    \
        return 0;                                                                            \
    }

REF_SCAN(ref_scan_ucs1, Py_UCS1, next_angle_ucs1)
REF_SCAN(ref_scan_ucs2, Py_UCS2, next_angle_ucs2)
REF_SCAN(ref_scan_ucs4, Py_UCS4, next_angle_ucs4)

/* (start, end) pairs from a flat list of offsets. */
static PyObject *
pairs_of(PyObject *offsets)
{
    Py_ssize_t n = PyList_GET_SIZE(offsets) / 2;
    PyObject *pairs = PyList_New(n);
    if (pairs == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyTuple_Pack(2, PyList_GET_ITEM(offsets, 2 * i),
                                      PyList_GET_ITEM(offsets, 2 * i + 1));
        if (pair == NULL) {
            Py_DECREF(pairs);
            return NULL;
        }
        PyList_SET_ITEM(pairs, i, pair);
    }
    return pairs;
}

static PyObject *
ref_spans(PyObject *module, PyObject *text)
{
    PyObject *offsets = scan_to_list(text, "ref_spans", ref_scan_ucs1, ref_scan_ucs2,
                                     ref_scan_ucs4);
    if (offsets == NULL)
        return NULL;
    PyObject *pairs = pairs_of(offsets);
    Py_DECREF(offsets);
    return pairs;
}

/* --- lines that may open a block: `block_lines` of page_scan.py, written out -------------- */

/* At the start of each line, blanks other than a line break are skipped and the character
 * after them tested; the next line is found by the fast search for a line break. */
#define BLOCK_SCAN(NAME, CHAR, NEXT_CHAR)                                                    \
    static int NAME(const void *data, Py_ssize_t n, PyObject *found)                         \
    {                                                                                        \
        const CHAR *s = data;                                                                \
        Py_ssize_t at = 0, line = 0;                                                         \
        for (;;) {                                                                           \
            Py_ssize_t k = at;                                                               \
            while (k < n && s[k] != '\n' && Py_UNICODE_ISSPACE(s[k]))                        \
                k++;                                                                         \
            if (k < n && (s[k] == '{' || s[k] == '=' || s[k] == ':') &&                      \
                add_offset(found, line) < 0)                                                 \
                return -1;                                                                   \
            at = NEXT_CHAR(s, n, k, '\n');                                                   \
            if (at >= n)                                                                     \
                return 0;                                                                    \
            at++;                                                                            \
            line++;                                                                          \
        }                                                                                    \
    }

BLOCK_SCAN(block_scan_ucs1, Py_UCS1, next_char_ucs1)
BLOCK_SCAN(block_scan_ucs2, Py_UCS2, next_char_ucs2)
BLOCK_SCAN(block_scan_ucs4, Py_UCS4, next_char_ucs4)

static PyObject *
block_lines(PyObject *module, PyObject *text)
{
    return scan_to_list(text, "block_lines", block_scan_ucs1, block_scan_ucs2, block_scan_ucs4);
}

/* --- where lines join: `line_firsts` of page_scan.py, written out ------------------------ */

/* How many of the sorted `starts` are at most `offset` (bisect_right). */
static Py_ssize_t
starts_upto(const Py_ssize_t *starts, Py_ssize_t count, Py_ssize_t offset)
{
    Py_ssize_t low = 0, high = count;
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        if (starts[middle] <= offset)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

/* The offsets of `list`, a list of int (NULL with an exception otherwise). */
static Py_ssize_t *
offsets_of(PyObject *list, Py_ssize_t *count)
{
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "line_firsts: starts must be a list of int");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(list);
    Py_ssize_t *offsets = PyMem_New(Py_ssize_t, n > 0 ? n : 1);
    if (offsets == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        offsets[i] = PyLong_AsSsize_t(PyList_GET_ITEM(list, i));
        if (offsets[i] == -1 && PyErr_Occurred()) {
            PyMem_Free(offsets);
            return NULL;
        }
    }
    *count = n;
    return offsets;
}

/* For each line, the end of the furthest-reaching range opened on it that runs past it (or
 * -1): `reach` of the reference, indexed by line. */
static int
read_reach(PyObject *masked, const Py_ssize_t *starts, Py_ssize_t count, PyObject *ranges,
           Py_ssize_t *reach)
{
    PyObject *fast = PySequence_Fast(ranges, "line_firsts: ranges must be a sequence");
    if (fast == NULL)
        return -1;
    Py_ssize_t size = PyUnicode_GET_LENGTH(masked);
    for (Py_ssize_t r = 0; r < PySequence_Fast_GET_SIZE(fast); r++) {
        Py_ssize_t begin, finish;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(fast, r), "nn", &begin, &finish)) {
            Py_DECREF(fast);
            return -1;
        }
        /* masked.find("\n", begin, finish) >= 0, with find's clamping of its bounds */
        Py_ssize_t from = begin < 0 ? (begin + size > 0 ? begin + size : 0) : begin;
        Py_ssize_t to = finish < 0 ? (finish + size > 0 ? finish + size : 0) : finish;
        if (to > size)
            to = size;
        if (from >= to || PyUnicode_FindChar(masked, '\n', from, to, 1) < 0)
            continue;
        Py_ssize_t line = starts_upto(starts, count, begin) - 1;
        if (line >= 0 && finish > reach[line])
            reach[line] = finish; /* (a range before the first line joins nothing) */
    }
    Py_DECREF(fast);
    return 0;
}

static int
append_lines(PyObject *firsts, Py_ssize_t from, Py_ssize_t to)
{
    for (Py_ssize_t line = from; line < to; line++)
        if (add_offset(firsts, line) < 0)
            return -1;
    return 0;
}

static PyObject *
line_firsts(PyObject *module, PyObject *args)
{
    PyObject *masked, *starts_list, *ranges;
    if (!PyArg_ParseTuple(args, "UOO:line_firsts", &masked, &starts_list, &ranges))
        return NULL;
    Py_ssize_t count = 0, size = PyUnicode_GET_LENGTH(masked);
    Py_ssize_t *starts = offsets_of(starts_list, &count);
    if (starts == NULL)
        return NULL;
    PyObject *firsts = NULL;
    Py_ssize_t *reach = PyMem_New(Py_ssize_t, count > 0 ? count : 1);
    if (reach == NULL) {
        PyErr_NoMemory();
        goto failed;
    }
    for (Py_ssize_t line = 0; line < count; line++)
        reach[line] = -1;
    firsts = PyList_New(0);
    if (firsts == NULL || read_reach(masked, starts, count, ranges, reach) < 0)
        goto failed;
#define END_OF(LINE) ((LINE) + 1 < count ? starts[(LINE) + 1] - 1 : size)
    Py_ssize_t next = 0; /* the first line not yet in a logical line */
    for (Py_ssize_t first = 0; first < count; first++) {
        if (reach[first] < 0 || first < next)
            continue;
        if (append_lines(firsts, next, first) < 0)
            goto failed;
        Py_ssize_t last = first, end = END_OF(first);
        for (Py_ssize_t k = first; k <= last; k++) {
            if (reach[k] > end) {
                last = starts_upto(starts, count, reach[k] - 1) - 1;
                end = END_OF(last);
            }
        }
        if (add_offset(firsts, first) < 0)
            goto failed;
        next = last + 1;
    }
#undef END_OF
    if (append_lines(firsts, next, count) < 0)
        goto failed;
    PyMem_Free(starts);
    PyMem_Free(reach);
    return firsts;
failed:
    Py_XDECREF(firsts);
    PyMem_Free(starts);
    PyMem_Free(reach);
    return NULL;
}

/* --- a page with its opaque regions blanked: `masked_slice` of page_scan.py, written out --- */

/* The largest character of text[from:to), or a character as large for the string it makes: the
 * scan stops at the first that needs the text's own width. */
static Py_UCS4
widest_char(int kind, const void *data, Py_ssize_t from, Py_ssize_t to)
{
    Py_UCS4 widest = 0, bound = kind == PyUnicode_1BYTE_KIND   ? 0x80
                                : kind == PyUnicode_2BYTE_KIND ? 0x100
                                                               : 0x10000;
    for (Py_ssize_t at = from; at < to && widest < bound; at++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, at);
        if (c > widest)
            widest = c;
    }
    return widest;
}

typedef struct {
    Py_ssize_t from, to;
    int blank;
} Piece;

static int
add_piece(Piece **pieces, Py_ssize_t *count, Py_ssize_t *capacity, Py_ssize_t from,
          Py_ssize_t to, int blank)
{
    if (*count == *capacity && grow((void **)pieces, capacity, sizeof(Piece)) < 0)
        return -1;
    (*pieces)[*count].from = from;
    (*pieces)[*count].to = to;
    (*pieces)[(*count)++].blank = blank;
    return 0;
}

/* The pieces of text[begin:end) kept and blanked, in order, as the reference cuts them. */
static int
cut_pieces(PyObject *regions, PyObject *starts, Py_ssize_t begin, Py_ssize_t end,
           Piece **pieces, Py_ssize_t *count, Py_ssize_t *capacity)
{
    Py_ssize_t low = 0, high = PyList_GET_SIZE(starts); /* bisect_right(starts, begin) */
    while (low < high) {
        Py_ssize_t middle = low + (high - low) / 2;
        Py_ssize_t start = PyLong_AsSsize_t(PyList_GET_ITEM(starts, middle));
        if (start == -1 && PyErr_Occurred())
            return -1;
        if (start <= begin)
            low = middle + 1;
        else
            high = middle;
    }
    Py_ssize_t at = begin;
    for (Py_ssize_t index = low > 0 ? low - 1 : 0; index < PyList_GET_SIZE(regions); index++) {
        Py_ssize_t start, stop;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(regions, index), "nn", &start, &stop))
            return -1;
        if (start >= end)
            break;
        if (stop <= at)
            continue;
        Py_ssize_t blank_from = start > at ? start : at, blank_to = stop < end ? stop : end;
        if ((blank_from > at && add_piece(pieces, count, capacity, at, blank_from, 0) < 0) ||
            (blank_to > blank_from &&
             add_piece(pieces, count, capacity, blank_from, blank_to, 1) < 0))
            return -1;
        at = blank_to;
    }
    return at < end ? add_piece(pieces, count, capacity, at, end, 0) : 0;
}

static PyObject *
masked_slice(PyObject *module, PyObject *args)
{
    PyObject *text, *regions, *starts;
    Py_ssize_t begin, end;
    if (!PyArg_ParseTuple(args, "UO!O!nn:masked_slice", &text, &PyList_Type, &regions,
                          &PyList_Type, &starts, &begin, &end))
        return NULL;
    if (!(0 <= begin && begin <= end && end <= PyUnicode_GET_LENGTH(text))) {
        PyErr_SetString(PyExc_ValueError,
                        "masked_slice: begin and end must be 0 <= begin <= end <= len(text)");
        return NULL;
    }
    Piece *pieces = NULL;
    Py_ssize_t count = 0, capacity = 0;
    PyObject *result = NULL;
    if (cut_pieces(regions, starts, begin, end, &pieces, &count, &capacity) < 0)
        goto done;
    int kind = PyUnicode_KIND(text), any_blank = 0;
    const void *data = PyUnicode_DATA(text);
    Py_UCS4 widest = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_UCS4 c = pieces[i].blank ? ' ' : widest_char(kind, data, pieces[i].from, pieces[i].to);
        any_blank |= pieces[i].blank;
        if (c > widest)
            widest = c;
    }
    if (!any_blank) { /* nothing to blank: the slice itself (the text itself when whole) */
        result = PyUnicode_Substring(text, begin, end);
        goto done;
    }
    result = PyUnicode_New(end - begin, widest);
    if (result == NULL)
        goto done;
    int out_kind = PyUnicode_KIND(result);
    void *out = PyUnicode_DATA(result);
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t from = pieces[i].from, to = pieces[i].to;
        if (!pieces[i].blank && out_kind == kind) {
            memcpy((char *)out + (from - begin) * kind, (const char *)data + from * kind,
                   (size_t)((to - from) * kind));
            continue;
        }
        if (!pieces[i].blank) { /* into a narrower string: every kept character fits it */
            for (Py_ssize_t at = from; at < to; at++)
                PyUnicode_WRITE(out_kind, out, at - begin, PyUnicode_READ(kind, data, at));
            continue;
        }
        for (Py_ssize_t at = from; at < to; at++) /* blanks, but for the line breaks */
            PyUnicode_WRITE(out_kind, out, at - begin,
                            PyUnicode_READ(kind, data, at) == '\n' ? '\n' : ' ');
    }
done:
    PyMem_Free(pieces);
    return result;
}

static PyMethodDef methods[] = {
    {"template_pairs", template_pairs, METH_O,
     "template_pairs(masked): (spans, unclosed, depth); see extractor/parse/page_scan.py"},
    {"text_size", text_size, METH_VARARGS,
     "text_size(text, marks=False): (UTF-8 bytes, newlines, | and ! or -1); see page_scan.py"},
    {"opaque_regions", opaque_regions, METH_O,
     "opaque_regions(text): (start, end) of every comment and opaque tag; see page_scan.py"},
    {"ref_spans", ref_spans, METH_O,
     "ref_spans(masked): (start, end) of each reference over several lines; see page_scan.py"},
    {"block_lines", block_lines, METH_O,
     "block_lines(masked): the lines that may open a block; see extractor/parse/page_scan.py"},
    {"masked_slice", masked_slice, METH_VARARGS,
     "masked_slice(text, regions, starts, begin, end): the masked text's slice; see page_scan.py"},
    {"line_firsts", line_firsts, METH_VARARGS,
     "line_firsts(masked, starts, ranges): the first line of each logical line; see page_scan.py"},
    {"line_starts", line_starts, METH_O,
     "line_starts(text): the offset of every line's start; see extractor/parse/page_scan.py"},
    {"scan_braces", scan_braces, METH_VARARGS,
     "scan_braces(text, regions, max_depth, keywords): see extractor/parse/page_scan.py"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "extractor.parse.page_scan",
    "The compiled twin of extractor/parse/page_scan.py.", -1, methods,
};

PyMODINIT_FUNC
PyInit_page_scan(void)
{
    return PyModule_Create(&module_def);
}
