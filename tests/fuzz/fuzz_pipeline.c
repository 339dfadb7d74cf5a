/*
 * fuzz_pipeline.c — libFuzzer target for the whole pipeline: any bytes are
 * read as a statement, laid out with the default style, and written as a
 * PDF and an EPUB (into a private temporary folder, removed each time).
 */
#include "epub/epub.h"
#include "layout/layout.h"
#include "pdf/pdf.h"
#include "publish.h"
#include "style/style.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0; /* keep iterations fast; the reader target covers size */
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/fuzz-pipeline-XXXXXX");
        if (mkdtemp(dir) == NULL)
            abort();
    }
    pub_ctx ctx = {.quiet = 1};
    pub_style style;
    pub_style_default(&style);
    pub_dossier *d = pub_dossier_new();
    pub_layout *layout = NULL;
    char pdf[96], epub[96];
    snprintf(pdf, sizeof pdf, "%s/d.pdf", dir);
    snprintf(epub, sizeof epub, "%s/d.epub", dir);
    if (d != NULL &&
        pub_dossier_read_buffer(&ctx, d, "fuzz.txt", (const char *)data, size) == PUB_OK &&
        pub_layout_run(&ctx, d, &style, &layout) == PUB_OK) {
        if (pub_pdf_write(&ctx, d, layout, NULL, pdf) == PUB_OK)
            unlink(pdf);
        if (pub_epub_write(&ctx, d, layout, &style, NULL, epub) == PUB_OK)
            unlink(epub);
    }
    pub_layout_free(layout);
    pub_dossier_free(d);
    return 0;
}
