# shellcheck shell=bash
# lib.sh - what run-fuzz and campaign share: each target's seed corpus,
# dictionary and libFuzzer options.  Sourced; needs $top (the repository)
# and $b (the fuzz build directory).
#
# Seeds are made from the repository's own fixtures at every run (nothing
# from outside the clone): the format fixtures, the seed splat in every
# stream format, the real-world excerpts, a tenth of the syzkaller corpus,
# the pattern files, the fixture and result bundles, the topology
# fixtures and the bench's lock model; plus every input that once failed
# (regressions/TARGET/).  Inputs are cut to the target's max_len.

fz_src=$top/scripts/parse-splat
fz_fix=$fz_src/tests/fixtures

# max_len for a target: logs of a few KiB find what 64 KiB ones do at a
# tenth of the cost; a bundle holds six files.
fuzz_max_len() {
	case $1 in
	fuzz_bundle) echo 32768 ;;
	fuzz_args) echo 512 ;;
	*) echo 4096 ;;
	esac
}

# the dictionary files of a target (under fuzz/dict)
fuzz_dicts() {
	case $1 in
	fuzz_fmt_*) echo splat.dict ;;
	fuzz_patterns) echo patterns.dict splat.dict ;;
	fuzz_bundle) echo bundle.dict splat.dict ;;
	fuzz_args) echo args.dict ;;
	fuzz_topology) echo topology.dict ;;
	esac
}

# the logs every log-reading target starts from
fz_logs() {
	ls "$fz_fix"/formats/*.log "$fz_fix"/input/seed-splat.* \
		"$fz_src"/tests/corpus/real/*.txt
	ls "$fz_src"/tests/corpus/syzkaller | grep -E '^[0-9]+$' | sort -n |
		awk -v d="$fz_src/tests/corpus/syzkaller" 'NR % 10 == 0 { print d "/" $0 }'
}

# args: NUL-separated strings as people write them (see fuzz_args.c)
fz_args_seeds() {
	local d=$1 i=0 s
	for s in '43/3h\x005140s\x0030h' '14.3/h' '1+/5140s uptime' \
		'0/equivalent uptime' '\x005140s\x002d' '\x0085.7min\x001.43h' \
		'pattern-a: 14/h -> 0/h' 'splat: 1+/5140s => 0/h' \
		'lockdep: 43/3h \xe2\x86\x92 0' '20%%' '0.5' '100' \
		'irq-safe-unsafe' 'journal-short' '1e308/1e-10s' '3 days'; do
		printf "$s" >"$d/arg-$i"
		i=$((i + 1))
	done
}

# bundle: flags byte + meta.json NUL ops.jsonl NUL summary.json NUL
# events.jsonl NUL kmsg.raw NUL patterns.conf (see fuzz_bundle.c)
fz_bundle_seed() {
	local dir=$1 flags=$2 f first=1
	printf "\\x$(printf %02x "$flags")"
	for f in meta.json ops.jsonl summary.json events.jsonl kmsg.raw \
		patterns.conf; do
		[ $first = 1 ] || printf '\0'
		first=0
		if [ -f "$dir/$f" ]; then head -c 6000 "$dir/$f"; fi
	done
}

fz_bundle_seeds() {
	local d=$1 dir fl
	for dir in "$fz_fix"/bundles/*/ "$top"/results/reference/*/ \
		"$top"/results/bench-*/*/*-bench/; do
		[ -f "$dir/meta.json" ] || continue
		for fl in 0 1 8 13; do
			fz_bundle_seed "$dir" "$fl" >"$d/$(basename "$dir")-$fl"
		done
	done
}

# Fill $b/seeds/TARGET (fresh) and $b/dict/TARGET.dict.
fuzz_prepare() {
	local t=$1 d=$b/seeds/$1 f i=0 dict
	rm -rf "$d"
	mkdir -p "$d" "$b/corpus/$t" "$b/crashes/$t" "$b/dict"
	case $t in
	fuzz_fmt_*)
		for f in $(fz_logs); do
			head -c 4096 "$f" >"$d/$i-$(basename "$f")"
			i=$((i + 1))
		done ;;
	fuzz_patterns)
		for f in "$fz_fix"/patterns/*.patterns; do
			{ cat "$f"; printf '\0'; head -c 4096 "$fz_fix/formats/mixed.log"; } \
				>"$d/$(basename "$f")"
		done ;;
	fuzz_bundle) fz_bundle_seeds "$d" ;;
	fuzz_args) fz_args_seeds "$d" ;;
	fuzz_topology)
		for f in "$fz_fix"/topology/*.c "$top"/tests/vm/lockmodel/*.c; do
			cp "$f" "$d/$(basename "$f")"
			{ echo '@queue->lock|tx_queue[].lock pending_record_lock stats->lock'; cat "$f"; } \
				>"$d/at-$(basename "$f")"
		done ;;
	esac
	if [ -d "$fz_src/fuzz/regressions/$t" ]; then
		for f in "$fz_src/fuzz/regressions/$t"/*; do
			if [ -f "$f" ]; then cp "$f" "$d/regression-$(basename "$f")"; fi
		done
	fi
	dict=$b/dict/$t.dict
	: >"$dict"
	for f in $(fuzz_dicts "$t"); do
		cat "$fz_src/fuzz/dict/$f" >>"$dict"
	done
}

# ASan's 256 MiB quarantine makes every allocation land on fresh pages,
# and page faults cost more than the parsing here (a virtual machine):
# 16 MiB still holds the last few thousand frees (use after free is
# caught), at 3-4 times the exec/s.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16}

# fuzz_run TARGET SECONDS LOG [libFuzzer options...]: one run over the
# target's corpus and seeds; its exit status.
fuzz_run() {
	local t=$1 secs=$2 log=$3
	shift 3
	"$b/$t" -max_total_time="$secs" -max_len="$(fuzz_max_len "$t")" \
		-timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
		-dict="$b/dict/$t.dict" -artifact_prefix="$b/crashes/$t/" "$@" \
		"$b/corpus/$t" "$b/seeds/$t" >"$log" 2>&1
}

# "execs exec/s cov ft corpus_inputs" from a run's log
fuzz_stats() {
	local log=$1 execs rate cov ft
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -aoE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
	ft=$(grep -aoE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
	echo "${execs:-0} ${rate:-0} ${cov:-0} ${ft:-0}"
}
