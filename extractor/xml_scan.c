/* The compiled twin of `xml_scan.py` (see there): memchr and a counting loop the compiler
 * vectorises, instead of two regex scans and a count. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

static int
starts_with(const unsigned char *at, const unsigned char *end, const char *word)
{
    size_t size = strlen(word);
    return (size_t)(end - at) >= size && memcmp(at, word, size) == 0;
}

static int
is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int
is_hex_digit(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Whether the bytes after an `&` make `amp;`, `lt;`, `gt;`, `quot;`, `apos;`, `#<digits>;` or
 * `#x<hex digits>;`. */
static int
is_reference(const unsigned char *at, const unsigned char *end)
{
    if (starts_with(at, end, "amp;") || starts_with(at, end, "lt;") ||
        starts_with(at, end, "gt;") || starts_with(at, end, "quot;") ||
        starts_with(at, end, "apos;"))
        return 1;
    if (at >= end || *at != '#')
        return 0;
    at++;
    int hex = at < end && *at == 'x';
    const unsigned char *digits = at + hex, *after = digits;
    while (after < end && (hex ? is_hex_digit(*after) : is_digit(*after)))
        after++;
    return after > digits && after < end && *after == ';';
}

static PyObject *
scan_chunk(PyObject *module, PyObject *arg)
{
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    const unsigned char *data = view.buf, *end = data + view.len;
    Py_ssize_t newlines = 0;
    for (Py_ssize_t i = 0; i < view.len; i++)
        newlines += data[i] == '\n';
    int bang = 0;
    for (const unsigned char *at = data; !bang && at < end;) {
        const unsigned char *open = memchr(at, '<', (size_t)(end - at));
        if (open == NULL)
            break;
        bang = (open + 1 < end && open[1] == '!') ||
               (open + 2 < end && open[1] == 0 && open[2] == '!');
        at = open + 1;
    }
    Py_ssize_t bad = -1;
    for (const unsigned char *at = data; at < end;) {
        const unsigned char *amp = memchr(at, '&', (size_t)(end - at));
        if (amp == NULL)
            break;
        if (!is_reference(amp + 1, end)) {
            bad = amp - data;
            break;
        }
        at = amp + 1;
    }
    PyBuffer_Release(&view);
    return Py_BuildValue("(nOn)", newlines, bang ? Py_True : Py_False, bad);
}

static PyMethodDef methods[] = {
    {"scan_chunk", scan_chunk, METH_O,
     "scan_chunk(chunk): (newlines, may declare, first bad `&` or -1); see xml_scan.py"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "extractor.xml_scan",
    "The compiled twin of extractor/xml_scan.py.", -1, methods,
};

PyMODINIT_FUNC
PyInit_xml_scan(void)
{
    return PyModule_Create(&module_def);
}
