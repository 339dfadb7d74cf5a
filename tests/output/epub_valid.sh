#!/usr/bin/env bash
# The EPUB passes the reference validators with nothing to report:
# EPUBCheck (0 fatals / errors / warnings / infos) for the examples/ folder,
# every fixture the reader accepts (one dossier per fixture folder), a
# dossier of 50 statements (contents over several pages, matrix in groups),
# and the corpus dossier;
# Ace by DAISY (0 violations) on each of them when
# ../shared/tools/ace-check has been installed.
set -euo pipefail
: "${PUBLISH:?}" "${PUB_SOURCE_DIR:?}"
jar=/usr/share/java/epubcheck.jar
[ -f "$jar" ] && command -v java >/dev/null || { echo "skipped: epubcheck not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

build() { # name, input...
  local name=$1; shift
  if "$PUBLISH" -q --epub -o "$tmp/$name" "$@" 2>"$tmp/$name.err"; then
    echo "$tmp/$name/dossier.epub" >> "$tmp/list"
  else
    echo "FAIL $name: publish --epub failed: $(cat "$tmp/$name.err")"; fail=1
  fi
}

shopt -s nullglob
ex=("$PUB_SOURCE_DIR"/examples/*.txt)
[ ${#ex[@]} -gt 0 ] && build examples "$PUB_SOURCE_DIR/examples"
# the fixtures, one dossier per folder of every file the reader accepts
# (those it rejects on purpose are the reader tests' business)
for dir in "$PUB_SOURCE_DIR"/tests/fixtures "$PUB_SOURCE_DIR"/tests/fixtures/*/; do
  ok=()
  for f in "${dir%/}"/*.txt; do
    "$PUBLISH" -q --tree "$f" >/dev/null 2>&1 && ok+=("$f")
  done
  [ ${#ok[@]} -gt 0 ] && build "fixtures-$(basename "$dir")" "${ok[@]}"
done
# many statements: the PDF's contents run over several pages, whose page
# marks belong in the navigation document, in reading order
if [ ${#ex[@]} -gt 0 ]; then
  mkdir "$tmp/many"
  for k in 1 2 3 4 5; do
    for f in "${ex[@]}"; do cp "$f" "$tmp/many/$k-$(basename "$f")"; done
  done
  build many "$tmp/many"
fi
have_corpus=0
if [ -d "${CORPUS:-}" ] && ls "$CORPUS"/*.txt >/dev/null 2>&1; then
  have_corpus=1
  build corpus "$CORPUS"
else
  echo "note: no corpus"
fi
[ -s "$tmp/list" ] || { echo "skipped: nothing to check"; exit 77; }

# one JVM per EPUB, as many at a time as there are processors
check_one() {
  local msg name
  name=$(basename "$(dirname "$1")")
  msg=$(java -jar "$2" "$1" 2>&1 || true)
  if grep -q 'Messages: 0 fatals / 0 errors / 0 warnings / 0 infos' <<<"$msg"; then
    echo "PASS $name: epubcheck clean"
  else
    echo "FAIL $name:"; grep -E '^(FATAL|ERROR|WARNING|INFO)|Messages:' <<<"$msg" | head -20
  fi
}
export -f check_one
xargs -P "$(nproc)" -I{} bash -c 'check_one "$@"' _ {} "$jar" < "$tmp/list" > "$tmp/results"
sort "$tmp/results"
grep -q '^FAIL' "$tmp/results" && fail=1
echo "$(grep -c '^PASS' "$tmp/results") EPUBs epubcheck clean"

ace="$PUB_SOURCE_DIR/../shared/tools/ace-check"
if [ -x "$ace" ] && [ -x "${ACE_HOME:-$HOME/.cache/ace-cli}/node_modules/.bin/ace-cli" ]; then
  while read -r epub; do
    name=$(basename "$(dirname "$epub")")
    if "$ace" "$epub"; then echo "PASS $name: Ace 0 violations"
    else echo "FAIL $name: Ace reports violations"; fail=1; fi
  done < "$tmp/list"
else
  echo "note: Ace not installed; run $ace once to install it"
fi
exit $fail
