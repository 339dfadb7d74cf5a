/*
 * fuzz_reader.c — libFuzzer target for the reader alone (after cmark's
 * fuzz/): any bytes in, a model (or a clean error) out, then every model
 * output (JSON, tree, --check) so their walks are exercised too.
 */
#include "publish.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pub_ctx ctx = {0};
    pub_dossier *d = pub_dossier_new();
    if (d == NULL)
        return 0;
    if (pub_dossier_read_buffer(&ctx, d, "fuzz.txt", (const char *)data, size) == PUB_OK) {
        char *out = NULL;
        int n = 0;
        if (pub_json_write(&ctx, d, &out) == PUB_OK)
            free(out);
        if (pub_tree_write(&ctx, d, &out) == PUB_OK)
            free(out);
        if (pub_check_report(&ctx, d, &out, &n) == PUB_OK)
            free(out);
    }
    pub_dossier_free(d);
    return 0;
}
