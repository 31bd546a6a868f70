#!/usr/bin/env bash
# Instructions per operation (get + use + return) of the floor and the pool,
# counted by valgrind's callgrind; see the top of benches/instructions.rs.
#
#   bash benches/instructions.sh [WORKLOAD...]     (default: tiny buf4k parse)
#
# Each cell runs twice, with N and 2N operations after the same warm-up, and
# its figure is (Ir(2N) - Ir(N)) / N: start-up, construction and warm-up
# cancel. N is $INSTR_OPS (default 200000). $INSTR_KEEP=DIR keeps the
# callgrind out files there (for callgrind_annotate) instead of a temp dir.
set -euo pipefail

cd "$(dirname "$0")/.."

workloads=("$@")
if [ ${#workloads[@]} -eq 0 ]; then
    workloads=(tiny buf4k parse)
fi
n=${INSTR_OPS:-200000}
contenders=(floor pool)
modes=(inlined outlined)

command -v valgrind >/dev/null || { echo "instructions.sh: valgrind not found" >&2; exit 1; }

root=$(pwd -P)

# Build (the bench profile: release, with line tables); print the binary.
build() {
    cargo bench --bench instructions --no-run --message-format=json \
        | python3 -c '
import json, sys
exe = ""
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("target", {}).get("name") == "instructions" and m.get("executable"):
        exe = m["executable"]
print(exe)
'
}

# Where the binary's workspace crates were compiled, when not here. A target
# directory shared by several checkouts of this workspace can hand cargo
# another checkout's build of pool-runtime: the crate hash is the same and
# its dep-info names relative paths, so it looks up to date here.
foreign() {
    command -v readelf >/dev/null || return 0
    readelf --debug-dump=info "$1" 2>/dev/null | awk -v root="$root" '
        /DW_TAG_compile_unit/ { cu = 1; name = "" }
        cu && /DW_AT_name/ { name = $NF }
        cu && /DW_AT_comp_dir/ {
            dir = $0; sub(/.*\): /, "", dir); cu = 0
            if (name ~ /^(pool-runtime|benches)\// && dir != root) print dir
        }' | sort -u
}

bin=$(build)
[ -x "$bin" ] || { echo "instructions.sh: no bench executable found" >&2; exit 1; }
other=$(foreign "$bin")
if [ -n "$other" ]; then
    echo "instructions.sh: the build holds code compiled in $other; rebuilding from $root" >&2
    touch pool-runtime/src/lib.rs pool-derive/src/lib.rs
    bin=$(build)
    other=$(foreign "$bin")
    [ -z "$other" ] || { echo "instructions.sh: still built from $other" >&2; exit 1; }
fi

if [ -n "${INSTR_KEEP:-}" ]; then
    out=$INSTR_KEEP
    mkdir -p "$out"
else
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi

# Total Ir of one run, from the out file's `summary:` (or `totals:`) line.
ir() {
    local file=$out/callgrind.$1.$2.$3.$4
    valgrind --tool=callgrind --callgrind-out-file="$file" "$bin" "$1" "$2" "$3" "$4" \
        >/dev/null 2>"$file.log" || { cat "$file.log" >&2; exit 1; }
    awk '/^(summary|totals):/ { print $2; exit }' "$file"
}

declare -A per_op
for w in "${workloads[@]}"; do
    for c in "${contenders[@]}"; do
        for m in "${modes[@]}"; do
            a=$(ir "$w" "$c" "$m" "$n")
            b=$(ir "$w" "$c" "$m" $((2 * n)))
            v=$(awk -v a="$a" -v b="$b" -v n="$n" 'BEGIN { printf "%.2f", (b - a) / n }')
            per_op[$w.$c.$m]=$v
            echo "INSTR $w $c $m $v"
        done
    done
done

echo
printf '%-8s %-9s %10s %10s %10s %8s\n' workload mode floor pool pool-floor ratio
for w in "${workloads[@]}"; do
    for m in "${modes[@]}"; do
        f=${per_op[$w.floor.$m]}
        p=${per_op[$w.pool.$m]}
        awk -v w="$w" -v m="$m" -v f="$f" -v p="$p" \
            'BEGIN { printf "%-8s %-9s %10.2f %10.2f %10.2f %8.2f\n", w, m, f, p, p - f, (f > 0 ? p / f : 0) }'
    done
done
