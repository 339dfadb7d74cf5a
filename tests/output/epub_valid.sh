#!/usr/bin/env bash
# The EPUB passes the reference validators with nothing to report:
# EPUBCheck (0 fatals / errors / warnings / infos) for the examples/ folder,
# every fixture the reader accepts, and the corpus dossier; Ace by DAISY
# (0 violations) on the corpus when ../shared/tools/ace-check is present.
set -euo pipefail
: "${PUBLISH:?}" "${PUB_SOURCE_DIR:?}"
jar=/usr/share/java/epubcheck.jar
[ -f "$jar" ] && command -v java >/dev/null || { echo "skipped: epubcheck not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 checked=0

check() { # name, input...
  local name=$1; shift
  local out="$tmp/$name"
  if ! "$PUBLISH" -q --epub -o "$out" "$@" 2>"$tmp/err"; then
    echo "FAIL $name: publish --epub failed: $(cat "$tmp/err")"; fail=1; return
  fi
  local msg
  msg=$(java -jar "$jar" "$out/dossier.epub" 2>&1 || true)
  checked=$((checked + 1))
  if grep -q 'Messages: 0 fatals / 0 errors / 0 warnings / 0 infos' <<<"$msg"; then
    echo "PASS $name: epubcheck clean"
  else
    echo "FAIL $name:"; grep -E '^(FATAL|ERROR|WARNING|INFO)|Messages:' <<<"$msg" | head -20; fail=1
  fi
}

shopt -s nullglob
ex=("$PUB_SOURCE_DIR"/examples/*.txt)
[ ${#ex[@]} -gt 0 ] && check examples "$PUB_SOURCE_DIR/examples"
for f in "$PUB_SOURCE_DIR"/tests/fixtures/*.txt "$PUB_SOURCE_DIR"/tests/fixtures/*/*.txt; do
  # fixtures the reader rejects on purpose are the reader tests' business
  "$PUBLISH" -q --tree "$f" >/dev/null 2>&1 || continue
  check "fixture-$(basename "$f" .txt)" "$f"
done
if [ -d "${CORPUS:-}" ] && ls "$CORPUS"/*.txt >/dev/null 2>&1; then
  check corpus "$CORPUS"
  ace="$PUB_SOURCE_DIR/../shared/tools/ace-check"
  if [ -x "$ace" ] && [ -x "${ACE_HOME:-$HOME/.cache/ace-cli}/node_modules/.bin/ace-cli" ]; then
    if "$ace" "$tmp/corpus/dossier.epub"; then echo "PASS corpus: Ace 0 violations"
    else echo "FAIL corpus: Ace reports violations"; fail=1; fi
  else
    echo "note: Ace not installed; run $ace once to install it"
  fi
else
  echo "note: no corpus"
fi
[ "$checked" -gt 0 ] || { echo "skipped: nothing to check"; exit 77; }
exit $fail
