#!/usr/bin/env bash
# The EPUB's OCF container, read by independent tools (python's zipfile,
# raw bytes): `mimetype` first, stored, no extra field; everything else
# deflated; entry names our own; nothing half-written left behind; two
# builds of the same input byte-identical, whatever the time zone.
set -euo pipefail
: "${PUBLISH:?}" "${PUB_SOURCE_DIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# a small input of our own, with a file name that must not leak into the EPUB
mkdir -p "$tmp/in"
cat > "$tmp/in/Secret Name (draft).txt" <<'TXT'
Solidarity with the harbour workers

Union Resolution, 07 June 2021

The dockers of the port have been on strike since the first of May. We stand with them.

Workers of all countries, unite!

Signatories (as of 07 June 2021):
1. UDW   Union of Dock Workers, Norway
2. ГПР   Граѓанска Партија на Работниците (Citizens' Workers Party)
TXT

build() { # out-dir, extra env...
  local out=$1; shift
  env "$@" "$PUBLISH" -q --epub -o "$out" "$tmp/in" 
}

build "$tmp/a" TZ=UTC SOURCE_DATE_EPOCH=1700000000
build "$tmp/b" TZ=Asia/Tokyo SOURCE_DATE_EPOCH=1700000000
cmp "$tmp/a/dossier.epub" "$tmp/b/dossier.epub" || { echo "FAIL: two builds differ"; exit 1; }
# without SOURCE_DATE_EPOCH the statements' dates decide, still stable
env -u SOURCE_DATE_EPOCH TZ=America/New_York "$PUBLISH" -q --epub -o "$tmp/c" "$tmp/in"
env -u SOURCE_DATE_EPOCH TZ=Australia/Sydney "$PUBLISH" -q --epub -o "$tmp/d" "$tmp/in"
cmp "$tmp/c/dossier.epub" "$tmp/d/dossier.epub" || { echo "FAIL: builds differ without SOURCE_DATE_EPOCH"; exit 1; }
ls -A "$tmp/a" | grep -qv '^dossier.epub$' && { echo "FAIL: temporary files left: $(ls -A "$tmp/a")"; exit 1; }

python3 - "$tmp/a/dossier.epub" "$tmp/c/dossier.epub" <<'PY'
import sys, zipfile, struct
path = sys.argv[1]
raw = open(path, "rb").read()
assert raw[:4] == b"PK\x03\x04", "not a ZIP"
assert raw[30:38] == b"mimetype", raw[30:38]
assert raw[38:58] == b"application/epub+zip", raw[38:58]
method, = struct.unpack("<H", raw[8:10])
extra, = struct.unpack("<H", raw[28:30])
assert method == 0 and extra == 0, ("mimetype compressed or with extra field", method, extra)
z = zipfile.ZipFile(path)
assert z.testzip() is None
infos = z.infolist()
assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
for i in infos[1:]:
    assert i.compress_type == zipfile.ZIP_DEFLATED, i.filename
    assert "Secret" not in i.filename and " " not in i.filename, i.filename
    assert i.date_time == (2023, 11, 14, 22, 13, 20), (i.filename, i.date_time)
names = [i.filename for i in infos]
for need in ("META-INF/container.xml", "EPUB/package.opf", "EPUB/nav.xhtml", "EPUB/toc.ncx"):
    assert need in names, need
opf = z.read("EPUB/package.opf").decode()
assert "2023-11-14T22:13:20Z" in opf
# without SOURCE_DATE_EPOCH: the newest statement date, at midnight UTC
z2 = zipfile.ZipFile(sys.argv[2])
assert all(i.date_time == (2021, 6, 7, 0, 0, 0) for i in z2.infolist()), z2.infolist()[0].date_time
assert "2021-06-07T00:00:00Z" in z2.read("EPUB/package.opf").decode()
# the identifier comes from the content: the same across both builds
import re
u1 = re.search(r"urn:uuid:[0-9a-f-]{36}", opf).group(0)
u2 = re.search(r"urn:uuid:[0-9a-f-]{36}", z2.read("EPUB/package.opf").decode()).group(0)
assert u1 == u2, (u1, u2)
print("PASS container:", len(infos), "entries, mimetype first and stored, identical rebuilds,", u1)
PY
