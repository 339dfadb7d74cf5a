/*
 * hpdf_reader.c — a libharu stream that reads bytes held in memory (a
 * callback stream, HPDF_CallbackReader_New), for the layout's font metrics
 * and the PDF's page streams: libharu's file stream freads two or four
 * bytes at a time, its memory stream copies byte by byte in and out.
 */
#include "core.h"

#include <hpdf.h>
#include <string.h>

static HPDF_STATUS bytes_read(HPDF_Stream st, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
    pub_hpdf_bytes *b = st->attr;
    size_t n = b->len - b->pos;
    if (n > *siz)
        n = *siz;
    memcpy(ptr, b->data + b->pos, n);
    b->pos += n;
    *siz = (HPDF_UINT)n;
    return b->pos == b->len ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS bytes_seek(HPDF_Stream st, HPDF_INT pos, HPDF_WhenceMode mode)
{
    pub_hpdf_bytes *b = st->attr;
    size_t from = mode == HPDF_SEEK_SET ? 0 : mode == HPDF_SEEK_CUR ? b->pos : b->len;
    if ((pos < 0 && (size_t)-(long)pos > from) || (pos > 0 && (size_t)pos > b->len - from))
        return HPDF_SetError(st->error, HPDF_STREAM_EOF, 0);
    b->pos = pos < 0 ? from - (size_t)-(long)pos : from + (size_t)pos;
    return HPDF_OK;
}

static HPDF_INT32 bytes_tell(HPDF_Stream st)
{
    return (HPDF_INT32)((pub_hpdf_bytes *)st->attr)->pos;
}

static HPDF_UINT32 bytes_size(HPDF_Stream st)
{
    return (HPDF_UINT32)((pub_hpdf_bytes *)st->attr)->len;
}

void *pub_hpdf_reader_new(void *mmgr, pub_hpdf_bytes *b)
{
    return HPDF_CallbackReader_New((HPDF_MMgr)mmgr, bytes_read, bytes_seek, bytes_tell,
                                   bytes_size, b);
}
