#!/usr/bin/env bash
# Every word of every corpus statement is in the EPUB in reading order,
# numbers as real text (check-outputs, outside the repository).
set -euo pipefail
: "${PUBLISH:?}" "${PUB_SOURCE_DIR:?}"
tool="$PUB_SOURCE_DIR/../shared/tools/check-outputs"
if [ ! -d "${CORPUS:-}" ] || ! ls "$CORPUS"/*.txt >/dev/null 2>&1; then
  echo "skipped: no corpus"; exit 77
fi
[ -x "$tool" ] || { echo "skipped: no check-outputs at $tool"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PUBLISH" -q --epub -o "$tmp" "$CORPUS"
"$tool" --corpus "$CORPUS" --epub "$tmp/dossier.epub"
