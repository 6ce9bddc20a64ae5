#ifndef AXIOMC_CLIBXML2_SHIM_H
#define AXIOMC_CLIBXML2_SHIM_H
// Debian's libxml2 is built with ICU, and its encoding.h then includes the system's
// <unicode/*.h>, whose UErrorCode clashes with the copy inside Foundation's _FoundationICU in
// any module that imports both. axiomc never touches libxml2's ICU converters, so hide them.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/relaxng.h>
#include <string.h>

/// xmlFree is a global function pointer, which Swift 6 rejects as shared mutable state.
static inline void axiomc_xml_free(void *p) { xmlFree(p); }

/// Errors collected from libxml2's structured error callbacks, so nothing reaches stderr and
/// every message keeps its line and column. The callback's parameter is `xmlErrorPtr` in
/// libxml2 2.9 and `const xmlError *` from 2.12; the cast below serves both.
typedef struct {
    int line;
    int column;
    char message[400];
} axiomc_xml_error;

typedef struct {
    axiomc_xml_error errors[16];
    int count;
} axiomc_xml_errors;

static inline void axiomc_collect_error(void *ctx, const xmlError *error) {
    axiomc_xml_errors *sink = (axiomc_xml_errors *)ctx;
    if (sink == NULL || error == NULL || sink->count >= 16) { return; }
    axiomc_xml_error *e = &sink->errors[sink->count++];
    e->line = error->line;
    e->column = error->int2;
    e->message[0] = 0;
    if (error->message != NULL) {
        strncpy(e->message, error->message, sizeof(e->message) - 1);
        e->message[sizeof(e->message) - 1] = 0;
    }
}

static inline void axiomc_ignore_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

static inline void axiomc_capture_errors(axiomc_xml_errors *sink) {
    xmlSetStructuredErrorFunc(sink, (xmlStructuredErrorFunc)axiomc_collect_error);
    xmlSetGenericErrorFunc(NULL, axiomc_ignore_generic);
}

static inline void axiomc_schema_parser_errors(xmlSchemaParserCtxtPtr ctxt, axiomc_xml_errors *sink) {
    xmlSchemaSetParserStructuredErrors(ctxt, (xmlStructuredErrorFunc)axiomc_collect_error, sink);
}

static inline void axiomc_schema_valid_errors(xmlSchemaValidCtxtPtr ctxt, axiomc_xml_errors *sink) {
    xmlSchemaSetValidStructuredErrors(ctxt, (xmlStructuredErrorFunc)axiomc_collect_error, sink);
}

static inline void axiomc_release_errors(void) {
    xmlSetStructuredErrorFunc(NULL, NULL);
}
#endif
