#!/usr/bin/env bash
# build.sh — the one entry point for building, running and testing frontsign.
#
#   ./build.sh build   wasm for the worker and the JS module, the page → dist/
#   ./build.sh dev     the worker and the page on http://127.0.0.1:8787 (PORT overrides),
#                      with a generated dev key and dev token secret
#   ./build.sh test    every test: Go (unit, vectors, AWS SDK cross-checks, fuzz),
#                      the worker in real workerd, the module in Node, the page in Chromium;
#                      prints each suite's result and time, and the total
#   ./build.sh bench   benchmarks (Go, worker load, page and Node throughput, and
#                      size and start against a Go hello world and a baseline build;
#                      `bench lean` runs only the last)
#
# Environment: FUZZTIME (per fuzz target in `test`, default 10s), PORT (dev).
# On a fresh Debian machine `test` installs what it needs itself: npm packages
# (pinned in package.json / package-lock.json and the fixtures' lockfiles),
# and Debian's openssl, chromium and ffmpeg.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
export PATH="$ROOT/node_modules/.bin:$PATH"

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

# Suites run by `test`: each is timed, and a failure does not stop the rest.
# The summary at the end lists every suite with its result and time.
PASSED=0
FAILED=0
SUMMARY=()
suite() { # suite NAME COMMAND... — run one suite, time it, record its result
	local name=$1 start=$SECONDS result=ok
	shift
	log "test: $name"
	if "$@"; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		result=FAILED
	fi
	log "test: $name: $result in $((SECONDS - start))s"
	SUMMARY+=("$(printf '  %-56s %-6s %5ds' "$name" "$result" $((SECONDS - start)))")
}

need_npm() {
	if [ ! -x node_modules/.bin/wrangler ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		log "installing npm packages (package-lock.json)"
		npm ci --no-audit --no-fund --loglevel=error
	fi
}

# apt_install PKG... — Debian packages, as root or through sudo.
apt_install() {
	local sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

need_openssl() { # the Go tests cross-check signatures with the openssl command
	command -v openssl >/dev/null 2>&1 || { log "installing Debian openssl"; apt_install openssl; }
}

need_chromium() {
	command -v chromium >/dev/null 2>&1 || { log "installing Debian chromium"; apt_install chromium; }
}

# size FILE... — print raw and gzip sizes.
size() {
	local f
	for f in "$@"; do
		printf '  %-48s %9d B raw %9d B gzip\n' "${f#"$ROOT"/}" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)"
	done
}

go_test() {
	go vet ./... &&
		go test -count=1 ./...
}

go_wasm_check() { # everything must build for js/wasm; js-only code is tested under Node
	GOOS=js GOARCH=wasm go vet ./... &&
		GOOS=js GOARCH=wasm go vet -tags=frontsign_nogocrypto,frontsign_hostidna ./wasm ./internal/webcrypto &&
		GOOS=js GOARCH=wasm go test -count=1 -tags=frontsign_hostidna -run=TestHostIDNA -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" . &&
		GOOS=js GOARCH=wasm go test -count=1 -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./internal/webcrypto ./token ./worker &&
		GOOS=js GOARCH=wasm go test -count=1 -exec="$PWD/worker/wasm/testdata/go_js_wasm_exec" ./worker/wasm
}

# fuzz_one fuzzes one target for a time. New inputs are not minimised
# (-fuzzminimizetime=1x): Go's default, up to 60 s per input, took most of
# a 10 s run for targets whose inputs are costly (RSA keys: 0 execs/s while
# minimising, about 10k/s without), and a failing input is reported either
# way. Go 1.26's fuzz coordinator can end a run that found nothing with a
# bare "context deadline exceeded" at the -fuzztime boundary
# (golang/go#75804, fixed in Go 1.27); such a run is tried once more. A
# real finding always prints "Failing input written to …" (and the seed
# corpus runs in go_test anyway), so it fails at once.
fuzz_one() {
	local pkg=$1 target=$2 t=$3 out try
	out=$(mktemp)
	for try in 1 2; do
		log "fuzz $pkg $target ($t)"
		if go test -run='^$' -fuzz="^${target}\$" -fuzztime="$t" -fuzzminimizetime=1x "$pkg" 2>&1 | tee "$out"; then
			rm -f "$out"
			return 0
		fi
		if [ "$try" = 1 ] && grep -q 'context deadline exceeded' "$out" && ! grep -q 'Failing input written' "$out"; then
			log "fuzz $pkg $target: Go's end-of-fuzztime race (golang/go#75804), no failing input; once more"
			continue
		fi
		break
	done
	rm -f "$out"
	return 1
}

# fuzz_all fuzzes every Fuzz target of the module's own packages (not those
# under dist/, where the lean bench keeps a whole baseline tree).
fuzz_all() {
	local t=${FUZZTIME:-10s} pkg target ok=0
	while read -r pkg target; do
		fuzz_one "$pkg" "$target" "$t" || ok=1
	done < <(grep -rl --include='*_test.go' --exclude-dir=dist --exclude-dir=node_modules '^func Fuzz' . | while read -r f; do
		d=$(dirname "$f")
		grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | sed "s|^|$d |"
	done)
	return $ok
}

# The parts with their own scripts, in build order: the JS module
# (scripts/module.sh), the page, which uses the module (scripts/web.sh), and
# the worker, which serves the page as static assets (scripts/worker.sh).
# Each defines <part>_build, <part>_test and <part>_bench; the worker also
# defines worker_dev.
PARTS=(module web worker)
for part in "${PARTS[@]}"; do
	. "scripts/$part.sh"
done
# The packed module through bundlers in Chromium, TypeScript and package
# linters: a test suite only (bundlers_test), on what module_build made.
. scripts/bundlers.sh
# Real players (hls.js, dash.js) through the worker: a test suite only.
. scripts/streaming.sh
# The anchors the wasm files' size and start are measured against.
. scripts/lean.sh

build() {
	mkdir -p dist
	local part
	for part in "${PARTS[@]}"; do
		"${part}_build"
	done
	lean_build
}

cmd=${1:-help}
shift || true
case $cmd in
build)
	build
	;;
dev)
	need_npm
	build
	worker_dev "$@"
	;;
test)
	start=$SECONDS
	need_openssl
	suite "go vet + go test" go_test
	suite "js/wasm vet + WebCrypto tests in Node" go_wasm_check
	suite "fuzz (${FUZZTIME:-10s} per target)" fuzz_all
	need_npm
	suite "build" build
	suite "JS module in Node and workerd" module_test
	suite "worker in workerd" worker_test
	need_chromium
	suite "page in Chromium" web_test
	suite "JS module packed: bundlers in Chromium, types, package" bundlers_test
	suite "streaming: hls.js and dash.js through /v1/playlist" streaming_test
	echo
	printf '%s\n' "${SUMMARY[@]}"
	echo "suites: $PASSED passed, $FAILED failed, $((SECONDS - start))s in all"
	[ "$FAILED" -eq 0 ]
	;;
bench)
	if [ "${1:-}" = lean ]; then # only size and start against the anchors
		need_npm
		build
		need_chromium
		lean_bench
		exit
	fi
	log "bench: Go (beside the AWS SDK signer)"
	mkdir -p dist
	go test -run='^$' -bench=. -benchmem -count="${BENCHCOUNT:-5}" . | tee dist/bench-go.txt
	need_npm
	build
	module_bench
	worker_bench
	streaming_bench
	need_chromium
	web_bench
	lean_bench
	;;
*)
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
	[ "$cmd" = help ]
	;;
esac
