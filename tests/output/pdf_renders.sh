#!/usr/bin/env bash
# Reference renders: pages of the examples' dossier rasterised by poppler
# (pdftoppm, 40 dpi, grey) must match tests/reference/*.png, so that a
# change in how pages look is seen and reviewed. After an intended change,
# refresh them with: UPDATE_RENDERS=1 ctest -R pdf_renders
set -euo pipefail
: "${PUBLISH:?}" "${PUB_SOURCE_DIR:?}"
command -v pdftoppm >/dev/null || { echo "skipped: pdftoppm not installed"; exit 77; }
ref=$PUB_SOURCE_DIR/tests/reference
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SOURCE_DATE_EPOCH=1700000000 "$PUBLISH" -q --pdf -o "$tmp" "$PUB_SOURCE_DIR/examples"
# the cover, the contents page, a signatory table, a German page with
# „quotes“ and a Cyrillic letterhead page
pages=(1 2 4 10 15)
for p in "${pages[@]}"; do
  pdftoppm -png -gray -r 40 -f "$p" -l "$p" -singlefile "$tmp/dossier.pdf" "$tmp/page-$p"
done
if [ -n "${UPDATE_RENDERS:-}" ]; then
  for p in "${pages[@]}"; do cp "$tmp/page-$p.png" "$ref/examples-page-$p.png"; done
  echo "references updated"; exit 0
fi
python3 - "$tmp" "$ref" "${pages[@]}" <<'PY'
import struct, sys, zlib
def gray_png(path):
    """Decodes an 8-bit grey or RGB PNG (as pdftoppm writes) to grey rows."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (0, 2), "8-bit grey or RGB expected"
            bpp = 1 if color == 0 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    stride = w * bpp
    raw, rows, prev = zlib.decompress(idat), [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line[::bpp]); prev = line
    return w, h, rows
tmp, ref, pages = sys.argv[1], sys.argv[2], sys.argv[3:]
ok = bad = 0
for p in pages:
    try:
        w1, h1, a = gray_png(f"{tmp}/page-{p}.png")
        w2, h2, b = gray_png(f"{ref}/examples-page-{p}.png")
    except FileNotFoundError as e:
        print(f"FAIL page {p}: {e}"); bad += 1; continue
    if (w1, h1) != (w2, h2):
        print(f"FAIL page {p}: size {w1}x{h1}, reference {w2}x{h2}"); bad += 1; continue
    diff = sum(1 for y in range(h1) for x in range(w1) if abs(a[y][x] - b[y][x]) > 48)
    share = diff / (w1 * h1)
    if share <= 0.002:
        ok += 1; print(f"PASS page {p}: {share:.4%} of pixels differ")
    else:
        bad += 1; print(f"FAIL page {p}: {share:.2%} of pixels differ from the reference render")
print(f"{ok} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
