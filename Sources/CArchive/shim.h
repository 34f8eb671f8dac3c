#ifndef PKGTREE_CARCHIVE_SHIM_H
#define PKGTREE_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
