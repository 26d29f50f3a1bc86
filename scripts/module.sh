# scripts/module.sh — the JS module (dist/npm): sourced by build.sh, which
# calls module_build, module_test and module_bench.
#
# The module's wasm is built from wasm/ on its own, not shared with the
# worker's: the two have different mains (the worker serves HTTP through
# github.com/syumai/workers; the module hands JS an object of functions and
# stays alive), and the worker links syumai, its HTTP handler and a JWT
# library that a page or a JS app never uses. module_build prints both sizes.

MODULE_SRC=wasm
MODULE_OUT=dist/npm
MODULE_VERSION=0.1.0

# module_wasm OUT [TAGS] — compile the Go side of the module for js/wasm.
module_wasm() {
	GOOS=js GOARCH=wasm go build -trimpath -tags="${2:-}" -ldflags='-s -w' -o "$1" "./$MODULE_SRC"
}

# module_loader OUT — frontsign.mjs with Go's wasm_exec.js inlined at the
# @@WASM_EXEC@@ marker (it must come from the Go release that built the wasm).
module_loader() {
	local exec
	exec="$(go env GOROOT)/lib/wasm/wasm_exec.js"
	awk -v f="$exec" '
		/@@WASM_EXEC@@/ { while ((getline line < f) > 0) print line; close(f); next }
		{ print }
	' "$MODULE_SRC/frontsign.mjs" >"$1"
	grep -q 'globalThis.Go = class' "$1" || { echo "module: wasm_exec.js was not inlined" >&2; return 1; }
}

# module_notice OUT — the license of what the package carries from Go: the
# runtime and standard library compiled into the .wasm files (the module's
# builds link no golang.org/x module: IDNA is the host's, see idna_host.go),
# and wasm_exec.js inlined into
# frontsign.mjs, whose header points at "the LICENSE file". Taken from the Go
# release that built them.
module_notice() {
	{
		echo "frontsign.wasm and frontsign-gocrypto.wasm contain the Go runtime and standard"
		echo "library; frontsign.mjs contains Go's wasm_exec.js ($(go env GOVERSION)). They are"
		echo "distributed under this license:"
		echo
		cat "$(go env GOROOT)/LICENSE"
	} >"$1"
}

module_build() {
	log "build: JS module → $MODULE_OUT"
	rm -rf "$MODULE_OUT"
	mkdir -p "$MODULE_OUT"
	# Two builds of one source (wasm/api.go's keyring says what differs):
	# frontsign.wasm has no Go crypto and signs with WebCrypto, which every
	# JS host has but a browser page on a plain-http origin other than
	# localhost; the loader fetches frontsign-gocrypto.wasm only there.
	# Both convert international host names with the JS host's URL parser
	# (frontsign_hostidna: idna_host.go), not x/net/idna.
	module_wasm "$MODULE_OUT/frontsign.wasm" frontsign_nogocrypto,frontsign_hostidna
	module_wasm "$MODULE_OUT/frontsign-gocrypto.wasm" frontsign_hostidna
	module_loader "$MODULE_OUT/frontsign.mjs"
	cp "$MODULE_SRC/frontsign.workerd.mjs" "$MODULE_SRC/frontsign.d.ts" "$MODULE_SRC/frontsign.wasm.d.ts" \
		"$MODULE_SRC/README.md" LICENSE "$MODULE_OUT/"
	module_notice "$MODULE_OUT/NOTICE"
	sed "s/@@VERSION@@/$MODULE_VERSION/" "$MODULE_SRC/package.json.in" >"$MODULE_OUT/package.json"
	chmod 0644 "$MODULE_OUT"/* # go build makes the .wasm executable; npm would pack it 0755
	size "$ROOT/$MODULE_OUT"/*
	# The worker's wasm (scripts/worker.sh) carries the HTTP handler, syumai and JWT;
	# show both so the cost of the separate build is visible.
	local w
	for w in dist/worker/*.wasm; do
		[ -f "$w" ] || continue
		size "$ROOT/$w"
		echo "  (the worker's wasm, from its last build: a separate main, with syumai/workers, the HTTP handler and JWT)"
	done
	return 0
}

module_test() {
	[ -f "$MODULE_OUT/frontsign.wasm" ] || module_build
	node --test --test-reporter=spec "$MODULE_SRC"/test/*.test.mjs
}

module_bench() {
	[ -f "$MODULE_OUT/frontsign.wasm" ] || module_build
	node "$MODULE_SRC/test/bench.mjs" | tee dist/bench-module.txt
}
