#ifndef AXIOMC_CLIBXML2_SHIM_H
#define AXIOMC_CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/relaxng.h>

/// xmlFree is a global function pointer, which Swift 6 rejects as shared mutable state.
static inline void axiomc_xml_free(void *p) { xmlFree(p); }
#endif
