#!/usr/bin/env bash
# Mutation testing of kitchenbench's core with gremlins, one package at a
# time, each held to its own test-efficacy floor.
#
# Usage: scripts/mutate.sh [PACKAGE...]   (default: every package in FLOORS)
#
# Efficacy is killed / (killed + lived) mutants, as gremlins computes it,
# after removing the equivalent mutants listed in
# scripts/equivalent-mutants.txt (gremlins v0.6.0 can exclude only whole
# files, so this script does it). Timed-out mutants (a test hung: it would
# have failed) and mutants no test covers count neither way, as in
# gremlins. Gremlins' own settings are in .gremlins.yaml; any of them can
# be overridden from the environment, e.g. GREMLINS_UNLEASH_WORKERS=1.
#
# Reports land in .gremlins/PACKAGE.{log,json}. Exit status 1 when a
# package with a floor is below it.
set -euo pipefail
cd "$(dirname "$0")/.."

GREMLINS_VERSION=v0.6.0

# FLOORS: package and its minimum efficacy in percent; "-" measures and
# reports without enforcing. Raise a floor when the tests improve; never
# lower one to let a change through: kill the mutant or, when it is truly
# equivalent, list it in scripts/equivalent-mutants.txt with a reason.
FLOORS="
kitchen     85
strategies  85
stats       85
compare     85
results     -
bench       -
"

floor_of() { awk -v p="$1" '$1 == p { print $2 }' <<<"$FLOORS"; }

gremlins=${GREMLINS:-$PWD/bin/gremlins}
if ! "$gremlins" --version 2>/dev/null | grep -q "${GREMLINS_VERSION#v}"; then
  echo "== installing gremlins $GREMLINS_VERSION into bin/"
  GOBIN="$PWD/bin" GOFLAGS= go install "github.com/go-gremlins/gremlins/cmd/gremlins@$GREMLINS_VERSION"
  gremlins=$PWD/bin/gremlins
fi

if [ $# -eq 0 ]; then
  set -- $(awk 'NF == 2 { print $1 }' <<<"$FLOORS")
fi

# The equivalent mutants, one a line: PACKAGE/FILE TYPE COLUMN `SOURCE` # why,
# where SOURCE is the mutated line without its indentation and COLUMN the
# mutant's column within SOURCE. A mutant matches wherever its line has
# moved to, as long as its text is unchanged. When the file holds SOURCE
# on more than one line, the entry names which: PACKAGE/FILE#N for the
# Nth such line from the top; an entry without #N then matches none of
# them (and is reported), so that one reason never covers two lines.
list=scripts/equivalent-mutants.txt
entry='^[^ ]+ [A-Z_]+ [0-9]+ `.*` +# .+'
if grep -vE '^[[:space:]]*(#|$)' "$list" | grep -vqE "$entry"; then
  echo "mutate: $list: each line needs FILE TYPE COLUMN \`SOURCE\` # reason:" >&2
  grep -vE '^[[:space:]]*(#|$)' "$list" | grep -vE "$entry" >&2
  exit 2
fi
equivalent=$(grep -vE '^[[:space:]]*(#|$)' "$list" | sed -E 's/(`) +# .*$/\1/')

# trimmed FILE: FILE's lines without their leading and trailing blanks.
trimmed() { sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$1"; }

# Entries without #N whose text is on more than one line of their file.
while read -r file type col rest; do
  case $file in *'#'*) continue ;; esac
  src=${rest#\`}
  src=${src%\`}
  if [ -f "$file" ] && [ "$(trimmed "$file" | grep -cxF -- "$src")" -gt 1 ]; then
    echo "mutate: $list: \`$src\` is on several lines of $file: name one as $file#N (the Nth from the top); this entry matches none" >&2
  fi
done <<<"$equivalent"

# Gremlins times each mutant's test run against the run that gathered
# coverage (timeout-coefficient times as long). That run is a plain `go
# test -cover`, which Go's test cache answers at once when nothing changed
# since the last `make mutate`: every mutant would then time out. -count=1
# keeps the cache out of it.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1"

mkdir -p .gremlins
failed=0
summary=""
for pkg in "$@"; do
  floor=$(floor_of "$pkg")
  if [ -z "$floor" ]; then
    echo "mutate: $pkg has no line in FLOORS (scripts/mutate.sh)" >&2
    exit 2
  fi
  echo "== gremlins over ./$pkg (floor: $floor)"
  start=$(date +%s)
  "$gremlins" unleash --output ".gremlins/$pkg.json" "./$pkg" 2>&1 | tee ".gremlins/$pkg.log"
  secs=$(( $(date +%s) - start ))

  killed=0 lived=0 excluded=0 timedout=0 notcovered=0
  survivors=""
  while read -r status type file line col; do
    case $status in
      KILLED) killed=$((killed + 1)) ;;
      TIMEDOUT) timedout=$((timedout + 1)) ;;
      NOTCOVERED) notcovered=$((notcovered + 1)) ;;
      LIVED)
        raw=$(sed -n "${line}p" "$pkg/$file")
        src=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$raw")
        lead=${raw%%[![:space:]]*}
        indent=${#lead}
        name=$pkg/$file
        if [ "$(trimmed "$pkg/$file" | grep -cxF -- "$src")" -gt 1 ]; then
          name+="#$(trimmed "$pkg/$file" | awk -v n="$line" -v s="$src" 'NR <= n && $0 == s { c++ } END { print c }')"
        fi
        if grep -qxF -- "$name $type $((col - indent)) \`$src\`" <<<"$equivalent"; then
          excluded=$((excluded + 1))
        else
          lived=$((lived + 1))
          survivors+="    $name $type $((col - indent)) \`$src\`   (line $line)"$'\n'
        fi ;;
    esac
  done < <(sed -nE 's/^ *(KILLED|LIVED|TIMED OUT|NOT COVERED) ([A-Z_]+) at ([^:]+):([0-9]+):([0-9]+).*/\1 \2 \3 \4 \5/p' ".gremlins/$pkg.log" |
    sed -e 's/^TIMED OUT/TIMEDOUT/' -e 's/^NOT COVERED/NOTCOVERED/')

  if [ $((killed + lived)) -eq 0 ]; then
    echo "mutate: no mutant of $pkg was tested: see .gremlins/$pkg.log" >&2
    exit 1
  fi
  eff=$(awk -v k=$killed -v l=$lived 'BEGIN { printf "%.1f", 100 * k / (k + l) }')
  line="$pkg: efficacy $eff% ($killed killed, $lived lived, $excluded equivalent, $timedout timed out, $notcovered not covered) in ${secs}s"
  if [ -n "$survivors" ]; then
    echo "mutants of $pkg that lived:"
    printf '%s' "$survivors"
  fi
  if [ "$floor" != "-" ] && awk -v e="$eff" -v f="$floor" 'BEGIN { exit !(e < f) }'; then
    line+=" — BELOW the floor of $floor%"
    failed=1
  elif [ "$floor" != "-" ]; then
    line+=", floor $floor%"
  fi
  summary+="$line"$'\n'
done

echo "== mutation testing"
printf '%s' "$summary"
exit $failed
