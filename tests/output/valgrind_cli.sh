#!/usr/bin/env bash
# The whole CLI (reader, layout, PDF, EPUB) under valgrind's memcheck on the
# examples and, when present, the corpus: no errors and no leaks (leaks
# inside system libraries are listed in tests/valgrind.supp).
set -euo pipefail
: "${PUBLISH:?}" "${PUB_SOURCE_DIR:?}"
command -v valgrind >/dev/null || { echo "skipped: valgrind not installed"; exit 77; }
# (grep without -q: under pipefail, grep leaving early could fail ldd with SIGPIPE)
if ldd "$PUBLISH" | grep libasan >/dev/null; then echo "skipped: an ASan build (valgrind cannot run it)"; exit 77; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inputs=("$PUB_SOURCE_DIR/examples")
[ -d "${CORPUS:-}" ] && inputs+=("$CORPUS")
pass=0 fail=0
for in in "${inputs[@]}"; do
  name=$(basename "$in")
  if valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
       --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=9 \
       --suppressions="$PUB_SOURCE_DIR/tests/valgrind.supp" \
       "$PUBLISH" -q -o "$tmp/$name" "$in" 2>"$tmp/$name.log"; then
    echo "PASS $name: no memory errors, no leaks"; pass=$((pass + 1))
  else
    echo "FAIL $name:"; head -40 "$tmp/$name.log"; fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
