#!/usr/bin/env bash
# Every file in tests/fixtures/bad/ is refused with the line and byte offset
# its README table gives, exit status 1, and nothing written.
set -uo pipefail
dir=${PUB_SOURCE_DIR:?}/tests/fixtures/bad
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
while IFS='|' read -r _ file line offset what _; do
  file=$(echo "$file" | tr -d ' `'); line=$(echo "$line" | tr -d ' '); offset=$(echo "$offset" | tr -d ' ')
  case $file in *.txt) ;; *) continue ;; esac
  "$PUBLISH" -o "$work/out" "$dir/$file" >/dev/null 2>"$work/err"
  rc=$?
  msg=$(head -1 "$work/err")
  want="$dir/$file:$line: error: "
  if [ $rc -ne 1 ]; then echo "FAIL $file: exit $rc"; fail=$((fail + 1)); continue; fi
  case $msg in "$want"*) ;; *) echo "FAIL $file: '$msg' does not start with '$want'"; fail=$((fail + 1)); continue ;; esac
  if [ "$offset" != "–" ] && ! grep -q "byte offset $offset\b" "$work/err"; then
    echo "FAIL $file: no 'byte offset $offset' in '$msg'"; fail=$((fail + 1)); continue
  fi
  if [ -e "$work/out" ] && [ -n "$(ls -A "$work/out")" ]; then echo "FAIL $file: output written"; fail=$((fail + 1)); continue; fi
  echo "PASS $file: $msg"; pass=$((pass + 1))
done <"$dir/README.md"
# all together: each file gets its own error
"$PUBLISH" --check "$dir" >/dev/null 2>"$work/all"; rc=$?
n=$(grep -c ': error: ' "$work/all")
if [ $rc -eq 1 ] && [ "$n" -eq "$(ls "$dir"/*.txt | wc -l)" ]; then echo "PASS whole folder: $n errors, exit 1"; pass=$((pass + 1)); else echo "FAIL whole folder: exit $rc, $n errors"; fail=$((fail + 1)); fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 10 ]
