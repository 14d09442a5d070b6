/* The compiled twin of extractor/model_slots.py: `construct` sets a new instance's four slots
 * through their descriptors' C setters, found on the class as attribute assignment finds them.
 * See model_slots.py for what it does and why. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *slot_names[4]; /* __dict__ and pydantic's three slots, interned */
static PyObject *no_arguments;   /* () for object.__new__ */

static int
set_slot(PyTypeObject *type, PyObject *model, PyObject *name, PyObject *value)
{
    PyObject *descriptor = _PyType_Lookup(type, name); /* borrowed */
    descrsetfunc set = descriptor == NULL ? NULL : Py_TYPE(descriptor)->tp_descr_set;
    if (set == NULL) {
        PyErr_Format(PyExc_TypeError, "construct: %.200s has no %U slot", type->tp_name, name);
        return -1;
    }
    return set(descriptor, model, value);
}

static PyObject *
construct(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "construct(cls, values, fields) takes 3 arguments");
        return NULL;
    }
    PyObject *cls = args[0], *values = args[1], *fields = args[2];
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "construct: cls must be a class");
        return NULL;
    }
    PyTypeObject *type = (PyTypeObject *)cls;
    if (type->tp_new != PyBaseObject_Type.tp_new) { /* (str, tuple, ...: object.__new__ refuses
                                                       them too, as not safe) */
        PyErr_Format(PyExc_TypeError, "construct: %.200s is not made by object.__new__",
                     type->tp_name);
        return NULL;
    }
    PyObject *model = PyBaseObject_Type.tp_new(type, no_arguments, NULL);
    if (model == NULL)
        return NULL;
    if (set_slot(type, model, slot_names[0], values) < 0 ||
        set_slot(type, model, slot_names[1], fields) < 0 ||
        set_slot(type, model, slot_names[2], Py_None) < 0 ||
        set_slot(type, model, slot_names[3], Py_None) < 0) {
        Py_DECREF(model);
        return NULL;
    }
    return model;
}

static PyMethodDef methods[] = {
    {"construct", (PyCFunction)(void (*)(void))construct, METH_FASTCALL,
     "construct(cls, values, fields): a model without validation; see model_slots.py"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "extractor.model_slots",
    "The compiled twin of extractor/model_slots.py.", -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit_model_slots(void)
{
    static const char *names[4] = {"__dict__", "__pydantic_fields_set__", "__pydantic_extra__",
                                   "__pydantic_private__"};
    for (int i = 0; i < 4; i++) {
        if (slot_names[i] == NULL &&
            (slot_names[i] = PyUnicode_InternFromString(names[i])) == NULL)
            return NULL;
    }
    if (no_arguments == NULL && (no_arguments = PyTuple_New(0)) == NULL)
        return NULL;
    return PyModule_Create(&module_def);
}
