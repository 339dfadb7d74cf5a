/*
 * bag.h — the dossier as a BagIt package (RFC 8493) for long-term
 * storage: the PDF, the EPUB, the JSON model, the CSV of signatures and
 * the original source files, with SHA-256 and SHA-512 manifests.
 */
#ifndef PUB_BAG_H
#define PUB_BAG_H

#include "layout/layout.h"

/* Writes a bag at dir: bagit.txt, bag-info.txt (Source-Organization from
 * the dossier's compiler, Bagging-Date from SOURCE_DATE_EPOCH else the
 * newest statement date, Payload-Oxum, External-Description,
 * Bag-Software-Agent), data/ (dossier.pdf, dossier.epub, dossier.json,
 * signatories.csv, sources/ with every source file's bytes under a safe,
 * unique name), manifest-sha256.txt, manifest-sha512.txt and
 * tagmanifest-sha256.txt (sorted, LF). The bag is built in a temporary
 * folder beside dir and renamed into place: on failure nothing is left
 * behind and an existing bag at dir is untouched. dir may name an existing
 * bag (replaced) or an empty folder; anything else there is refused.
 * layout NULL: the dossier is laid out with style here. title NULL: the
 * dossier's own. The same input gives the same bytes in every file. */
PUB_MUST_CHECK pub_status pub_bag_write(pub_ctx *ctx, const pub_dossier *d,
                                        const pub_layout *layout,
                                        const pub_style *style,
                                        const char *title, const char *dir);

#endif
