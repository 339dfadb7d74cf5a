#!/usr/bin/env bash
# `publish --bag DIR` makes a valid BagIt (RFC 8493) bag, checked with
# coreutils, not with our own code: every payload and tag checksum with
# `sha256sum -c` / `sha512sum -c` run inside the bag, Payload-Oxum against
# the payload as found, the original sources byte-identical to the inputs,
# two builds byte-identical file by file, and an unwritable target leaves
# nothing behind (an existing bag stays as it was). On examples/ and, when
# present, the corpus.
set -uo pipefail
: "${PUBLISH:?}" "${PUB_SOURCE_DIR:?}"
command -v sha256sum >/dev/null && command -v sha512sum >/dev/null ||
  { echo "skipped: coreutils sha256sum/sha512sum missing"; exit 77; }
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "PASS $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

check_bag() { # name, input dir
  local name=$1 in=$2 bag="$tmp/$1/bag"
  mkdir -p "$tmp/$name"
  if ! SOURCE_DATE_EPOCH=1700000000 "$PUBLISH" -q --bag "$bag" "$in" 2>"$tmp/$name.err"; then
    bad "$name: publish --bag failed: $(cat "$tmp/$name.err")"; return
  fi
  [ -s "$tmp/$name.err" ] && echo "note: $name: $(head -3 "$tmp/$name.err")"
  for f in bagit.txt bag-info.txt manifest-sha256.txt manifest-sha512.txt tagmanifest-sha256.txt \
           data/dossier.pdf data/dossier.epub data/dossier.json data/signatories.csv; do
    [ -f "$bag/$f" ] || bad "$name: $f missing"
  done
  if printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' | cmp -s - "$bag/bagit.txt"; then
    ok "$name: bagit.txt"
  else bad "$name: bagit.txt is not the 1.0 declaration"; fi
  (cd "$bag" && sha256sum --quiet --strict -c manifest-sha256.txt) && ok "$name: sha256sum -c manifest" ||
    bad "$name: manifest-sha256.txt does not verify"
  (cd "$bag" && sha512sum --quiet --strict -c manifest-sha512.txt) && ok "$name: sha512sum -c manifest" ||
    bad "$name: manifest-sha512.txt does not verify"
  (cd "$bag" && sha256sum --quiet --strict -c tagmanifest-sha256.txt) && ok "$name: sha256sum -c tagmanifest" ||
    bad "$name: tagmanifest-sha256.txt does not verify"
  # every payload file is in both manifests, and nothing else is
  local files listed
  files=$(cd "$bag" && find data -type f | LC_ALL=C sort)
  for m in manifest-sha256.txt manifest-sha512.txt; do
    listed=$(sed 's/^[0-9a-f]*  //' "$bag/$m")
    [ "$files" = "$listed" ] && ok "$name: $m lists exactly the payload, sorted" ||
      bad "$name: $m does not list exactly the payload in order"
  done
  listed=$(sed 's/^[0-9a-f]*  //' "$bag/tagmanifest-sha256.txt")
  [ "$listed" = "$(printf 'bag-info.txt\nbagit.txt\nmanifest-sha256.txt\nmanifest-sha512.txt')" ] &&
    ok "$name: tagmanifest lists the tag files" || bad "$name: tagmanifest lists: $listed"
  if LC_ALL=C grep -lq $'\r' "$bag"/*.txt; then bad "$name: CR in a tag file"; else ok "$name: LF line ends"; fi
  # Payload-Oxum = octets.count of the payload as found on disk
  local oxum octets count
  oxum=$(sed -n 's/^Payload-Oxum: //p' "$bag/bag-info.txt")
  octets=$(cd "$bag" && find data -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  count=$(cd "$bag" && find data -type f | wc -l)
  [ "$oxum" = "$octets.$count" ] && ok "$name: Payload-Oxum $oxum" ||
    bad "$name: Payload-Oxum '$oxum', payload is $octets.$count"
  grep -q '^Bagging-Date: 2023-11-14$' "$bag/bag-info.txt" && ok "$name: Bagging-Date from SOURCE_DATE_EPOCH" ||
    bad "$name: Bagging-Date: $(grep Bagging-Date "$bag/bag-info.txt")"
  grep -q '^Bag-Software-Agent: publish/' "$bag/bag-info.txt" && grep -q '^External-Description: ' "$bag/bag-info.txt" &&
    ok "$name: bag-info labels" || bad "$name: bag-info.txt lacks a label"
  # the sources, byte for byte, under safe names inside the bag
  local n_in n_out missing=0
  n_in=$(ls "$in"/*.txt | wc -l)
  n_out=$(ls "$bag/data/sources" | wc -l)
  [ "$n_in" = "$n_out" ] || bad "$name: $n_in inputs, $n_out sources in the bag"
  for f in "$in"/*.txt; do
    local h; h=$(sha256sum < "$f" | cut -d' ' -f1)
    grep -q "^$h  data/sources/[A-Za-z0-9._-]*$" "$bag/manifest-sha256.txt" || { missing=1; bad "$name: $(basename "$f") not in the bag unchanged"; }
    local found=0
    for g in "$bag"/data/sources/*; do cmp -s "$f" "$g" && found=1 && break; done
    [ $found = 1 ] || { missing=1; bad "$name: no byte-identical copy of $(basename "$f")"; }
  done
  [ $missing = 0 ] && ok "$name: $n_in sources byte-identical"
  # a second build is byte-identical, file by file
  SOURCE_DATE_EPOCH=1700000000 "$PUBLISH" -q --bag "$tmp/$name/again" "$in" 2>/dev/null
  if diff -r "$bag" "$tmp/$name/again" >/dev/null; then ok "$name: two builds byte-identical"
  else bad "$name: two builds differ: $(diff -rq "$bag" "$tmp/$name/again" | head -3)"; fi
  # rebuilding over the bag replaces it; no temporary folder is left
  SOURCE_DATE_EPOCH=1700000000 "$PUBLISH" -q --bag "$bag" "$in" 2>/dev/null &&
    diff -r "$bag" "$tmp/$name/again" >/dev/null && ok "$name: rebuilt in place" || bad "$name: rebuilding over the bag failed"
  [ -z "$(ls -A "$tmp/$name" | grep -v '^bag$\|^again$')" ] && ok "$name: no temporary folder left" ||
    bad "$name: left behind: $(ls -A "$tmp/$name")"
}

check_bag examples "$PUB_SOURCE_DIR/examples"
if [ -d "${CORPUS:-}" ] && ls "$CORPUS"/*.txt >/dev/null 2>&1; then
  check_bag corpus "$CORPUS"
else
  echo "note: no corpus; only examples/ was bagged"
fi

# editions and a bag from one run, one thread (the PDF then lets go of its
# drawing before the EPUB unless the bag still needs it): the same files
mkdir -p "$tmp/both"
if SOURCE_DATE_EPOCH=1700000000 "$PUBLISH" -q -j1 --pdf --epub -o "$tmp/both/out" \
     --bag "$tmp/both/bag" "$PUB_SOURCE_DIR/examples" 2>"$tmp/both.err" &&
   cmp -s "$tmp/both/out/dossier.pdf" "$tmp/both/bag/data/dossier.pdf" &&
   cmp -s "$tmp/both/out/dossier.epub" "$tmp/both/bag/data/dossier.epub"; then
  ok "editions and bag in one run: the same PDF and EPUB"
else bad "editions and bag in one run differ or failed: $(cat "$tmp/both.err")"; fi

# names that would escape the bag or clash stay inside it
mkdir -p "$tmp/names/a" "$tmp/names/b"
cp "$PUB_SOURCE_DIR/examples/2022-04-open-letter-railway-privatisation.txt" "$tmp/names/a/..txt"
cp "$PUB_SOURCE_DIR/examples/2022-11-open-letter-marenport-nurses.txt" "$tmp/names/b/..txt"
cp "$PUB_SOURCE_DIR/examples/2023-03-fr-soutien-ouvrieres-textile.txt" "$tmp/names/b/Çà et là.txt"
if "$PUBLISH" -q --bag "$tmp/names/bag" "$tmp/names/a/..txt" "$tmp/names/b/..txt" "$tmp/names/b/Çà et là.txt" 2>"$tmp/names.err"; then
  srcs=$(ls -A "$tmp/names/bag/data/sources" | LC_ALL=C sort | tr '\n' ' ')
  if [ "$(ls -A "$tmp/names/bag/data/sources" | wc -l)" = 3 ] &&
     ! ls -A "$tmp/names/bag/data/sources" | grep -q '^\.' &&
     (cd "$tmp/names/bag" && sha256sum --quiet -c manifest-sha256.txt); then
    ok "names: safe and unique ($srcs)"
  else bad "names: sources are: $srcs"; fi
else bad "names: publish --bag failed: $(cat "$tmp/names.err")"; fi

# two long names alike: shortened, told apart, still .txt
long=$(printf 'statement-%.0s' $(seq 15))
cp "$PUB_SOURCE_DIR/examples/2022-04-open-letter-railway-privatisation.txt" "$tmp/names/a/$long.txt"
cp "$PUB_SOURCE_DIR/examples/2022-11-open-letter-marenport-nurses.txt" "$tmp/names/b/$long.txt"
if "$PUBLISH" -q --bag "$tmp/names/longbag" "$tmp/names/a/$long.txt" "$tmp/names/b/$long.txt" 2>"$tmp/long.err"; then
  srcs=$(ls -A "$tmp/names/longbag/data/sources")
  if [ "$(printf '%s\n' "$srcs" | grep -c '\.txt$')" = 2 ] &&
     [ "$(printf '%s\n' "$srcs" | awk '{ if (length($0) > m) m = length($0) } END { print m }')" -lt 160 ] &&
     (cd "$tmp/names/longbag" && sha256sum --quiet -c manifest-sha256.txt); then
    ok "names: long ones shortened and unique"
  else bad "names: long sources are: $srcs"; fi
else bad "names: publish --bag of long names failed: $(cat "$tmp/long.err")"; fi

# an unwritable target: an error, nothing left behind, an old bag untouched
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null; then
  echo "note: running as root without setpriv: read-only folders are not enforced; skipped"
else
  as_user() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi; }
  ro="$tmp/ro"; mkdir -p "$ro"
  chmod 0777 "$tmp"
  SOURCE_DATE_EPOCH=1700000000 "$PUBLISH" -q --bag "$ro/bag" "$PUB_SOURCE_DIR/examples" 2>/dev/null
  chmod -R a+rX "$ro" "$PUB_SOURCE_DIR/examples" 2>/dev/null
  (cd "$ro/bag" && find . -type f -exec sha256sum {} + | LC_ALL=C sort) > "$tmp/before"
  chmod 0555 "$ro"
  if as_user "$PUBLISH" -q --bag "$ro/bag" "$PUB_SOURCE_DIR/examples" 2>"$tmp/ro.err"; then
    bad "unwritable: publish --bag succeeded in a read-only folder"
  else
    (cd "$ro/bag" && find . -type f -exec sha256sum {} + | LC_ALL=C sort) > "$tmp/after"
    if cmp -s "$tmp/before" "$tmp/after" && [ "$(ls -A "$ro")" = bag ]; then
      ok "unwritable: refused ($(head -1 "$tmp/ro.err")), old bag untouched, nothing left"
    else bad "unwritable: left $(ls -A "$ro") or changed the old bag"; fi
  fi
  if as_user "$PUBLISH" -q --bag "$ro/new" "$PUB_SOURCE_DIR/examples" 2>/dev/null; then
    bad "unwritable: a new bag in a read-only folder"
  else
    [ "$(ls -A "$ro")" = bag ] && ok "unwritable: no new bag, nothing left" || bad "unwritable: left $(ls -A "$ro")"
  fi
  chmod 0755 "$ro"
fi
# a folder that is not a bag is never replaced
mkdir -p "$tmp/notabag"; echo keep > "$tmp/notabag/file"
if "$PUBLISH" -q --bag "$tmp/notabag" "$PUB_SOURCE_DIR/examples" 2>/dev/null; then
  bad "not a bag: a folder with other files was replaced"
else
  [ "$(ls -A "$tmp/notabag")" = file ] && [ "$(ls -A "$tmp" | grep -c '^\.notabag')" = 0 ] &&
    ok "not a bag: refused, folder untouched" || bad "not a bag: folder changed or temporary left"
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
