#!/usr/bin/env bash
# `skillbridge search` side by side with `fzf --filter` on the same records.
#
#   benches/vs-fzf.sh                 # 100k trainees
#   N=10000 benches/vs-fzf.sh         # another size
#
# Builds the release binary and a demo city (cached in $DB), prints every
# trainee's search line with `skillbridge search trainees --lines`, then for
# each query times `fzf --filter Q < lines` and `skillbridge search trainees
# Q` (whole processes, median of $RUNS runs) and prints both counts, both
# times and the ratio. fzf knows no pinyin: for pinyin queries its count is
# expected to be lower (marked "pinyin").
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
RUNS=${RUNS:-5}
DB=${DB:-${TMPDIR:-/tmp}/skillbridge-vs-fzf-$N}

if ! command -v fzf >/dev/null 2>&1; then
  echo "fzf is missing: installing it from the distribution's packages" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq fzf >/dev/null;
  else sudo apt-get update -qq && sudo apt-get install -y -qq fzf >/dev/null; fi
fi

cargo build --release --locked -q
BIN=target/release/skillbridge
[ -d "$DB" ] || "$BIN" demo --build-only --trainees "$N" --db "$DB"
LINES="$DB.lines"
"$BIN" search trainees --lines --db "$DB" > "$LINES"   # also writes the search cache

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

time_cmd() { # prints median milliseconds of running "$@" (output discarded)
  for _ in $(seq "$RUNS"); do
    local t0; t0=$(now); "$@" >/dev/null 2>&1 || true; echo $(( ($(now) - t0) / 1000000 ))
  done | median
}

printf '%s trainees, %s lines; fzf %s\n' "$N" "$(wc -l < "$LINES")" "$(fzf --version | cut -d' ' -f1)"
printf '%-14s %9s %9s %9s %9s %7s\n' query fzf_hits sb_hits fzf_ms sb_ms ratio
while IFS= read -r q; do
  fh=$( { fzf --filter "$q" < "$LINES" || true; } | wc -l)
  sh=$( { "$BIN" search trainees "$q" --limit 100000000 --db "$DB" || true; } | wc -l)
  ft=$(time_cmd sh -c "fzf --filter '$q' < '$LINES'")
  st=$(time_cmd "$BIN" search trainees "$q" --limit 100000000 --db "$DB")
  ratio=$(awk -v s="$st" -v f="$ft" 'BEGIN { if (f == 0) f = 1; printf "%.2f", s / f }')
  note=""
  if [[ "$q" =~ ^[a-z\ !]+$ ]]; then note="pinyin"; 
  elif [ "$fh" -gt 0 ] && { [ $((sh * 10)) -lt $((fh * 8)) ] || [ $((sh * 8)) -gt $((fh * 10)) ]; }; then note="counts differ"; fi
  printf '%-14s %9s %9s %9s %9s %7s %s\n' "$q" "$fh" "$sh" "$ft" "$st" "$ratio" "$note"
done <<'QUERIES'
王
wf
欧阳秀英
焊工 丹阳
焊工 !丹阳
zzqx
QUERIES
