/*
 * subset.c — a TrueType font cut down to the characters a document uses,
 * with HarfBuzz's subsetter (OpenType spec: cmap, glyf/CFF and the layout
 * tables closed over the kept glyphs; advances and units per em kept). Both
 * backends embed such subsets: the EPUB's fonts, and the PDF's before
 * libharu reads them (so its font objects follow the text, not the font's
 * whole repertoire).
 */
#include "core/core.h"

#include <hb-subset.h>
#include <stdlib.h>
#include <string.h>

pub_status pub_font_subset(pub_ctx *ctx, const char *path, int for_print,
                           const struct hb_set_t *set, const char *font,
                           size_t len, char **out, size_t *out_len)
{
    pub_status status = PUB_OK;
    hb_blob_t *blob = NULL, *sub_blob = NULL;
    hb_face_t *face = NULL, *sub = NULL;
    hb_subset_input_t *in = NULL;
    *out = NULL;
    *out_len = 0;
    if (len > (size_t)(unsigned)-1 / 2) {
        pub_diag(ctx, PUB_ERROR, path, 0, "font too large to subset");
        CHECK(pub_error(PUB_ERR_FONT));
    }
    blob = hb_blob_create_or_fail(font, (unsigned)len, HB_MEMORY_MODE_READONLY,
                                  NULL, NULL);
    CHECK_ALLOC(blob);
    face = hb_face_create(blob, 0);
    in = hb_subset_input_create_or_fail();
    CHECK_ALLOC(in);
    hb_set_union(hb_subset_input_unicode_set(in), set);
    if (for_print) {
        static const hb_tag_t layout[] = {
            HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
            HB_TAG('G', 'D', 'E', 'F'), HB_TAG('B', 'A', 'S', 'E'),
            HB_TAG('J', 'S', 'T', 'F'), HB_TAG('M', 'A', 'T', 'H')};
        hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
        for (size_t i = 0; i < sizeof layout / sizeof layout[0]; i++)
            hb_set_add(drop, layout[i]);
    }
    sub = hb_subset_or_fail(face, in);
    if (sub == NULL) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot subset font");
        CHECK(pub_error(PUB_ERR_FONT));
    }
    sub_blob = hb_face_reference_blob(sub);
    unsigned n = 0;
    const char *data = hb_blob_get_data(sub_blob, &n);
    if (data == NULL || n == 0) {
        pub_diag(ctx, PUB_ERROR, path, 0, "cannot subset font");
        CHECK(pub_error(PUB_ERR_FONT));
    }
    *out = malloc(n);
    CHECK_ALLOC(*out);
    memcpy(*out, data, n);
    *out_len = n;
fail:
    hb_blob_destroy(sub_blob);
    hb_face_destroy(sub);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return status;
}
