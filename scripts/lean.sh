# scripts/lean.sh — what the lean work on the wasm files is measured against:
# sourced by build.sh, which calls lean_build (with build) and lean_bench
# (with bench).
#
# Two anchors, built in the same run as what they are compared with:
#   - a Go js/wasm hello world (wasm/test/hello), built with the module's
#     flags: the least any Go js/wasm file weighs and takes to start;
#   - the baseline: the whole build (module, page, worker) of commit
#     LEAN_BASE, from `git archive` of it into dist/lean/base-<commit>
#     (kept between runs; the commit's own build.sh builds it).
# docs/performance.md ("Size and start") has the method and figures.

LEAN_OUT=dist/lean
# The commit before the lean work on the wasm files (issue 11).
LEAN_BASE=${LEAN_BASE:-b0ae2f6}

# lean_build — the hello-world anchor; prints its size beside the wasm files.
lean_build() {
	log "build: Go js/wasm hello world (the anchor) → $LEAN_OUT/hello.wasm"
	mkdir -p "$LEAN_OUT"
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o "$LEAN_OUT/hello.wasm" ./wasm/test/hello
	cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$LEAN_OUT/wasm_exec.js"
	lean_sizes
}

# lean_sizes — raw and gzip size of both wasm files and of the anchor.
lean_sizes() {
	local f
	echo "  sizes (gzip -9):"
	for f in dist/npm/frontsign.wasm dist/npm/frontsign-gocrypto.wasm dist/worker/app.wasm "$LEAN_OUT/hello.wasm"; do
		[ -f "$f" ] && size "$ROOT/$f"
	done
	return 0
}

# lean_base — build the baseline commit once into $LEAN_OUT/base-<commit>;
# prints that directory.
lean_base() {
	local commit dir
	commit=$(git rev-parse --short=12 "$LEAN_BASE^{commit}") || return 1
	dir="$ROOT/$LEAN_OUT/base-$commit"
	if [ ! -f "$dir/.built" ]; then
		log "bench: building the baseline $commit in $dir" >&2
		rm -rf "$dir" && mkdir -p "$dir"
		git archive "$commit" | tar -x -C "$dir" &&
			ln -s "$ROOT/node_modules" "$dir/node_modules" &&
			(cd "$dir" && ./build.sh build >&2) &&
			touch "$dir/.built" || return 1
	fi
	echo "$dir"
}

# lean_bench — start and first-signature figures against the anchors:
# Node (wasm/test/lean.bench.mjs), workerd (worker/bench/cold.mjs), Chromium
# (web/test/lean.bench.mjs). Prints Markdown; writes dist/bench-lean.md.
lean_bench() {
	local base
	[ -f "$LEAN_OUT/hello.wasm" ] || lean_build
	base=$(lean_base) || return 1
	{
		echo "## Size and start (baseline: $(basename "$base"))"
		echo
		lean_sizes
		size "$base/dist/npm/frontsign.wasm" "$base/dist/worker/app.wasm"
		echo
		LEAN_BASE_DIR=$base node wasm/test/lean.bench.mjs &&
			LEAN_BASE_DIR=$base node worker/bench/cold.mjs &&
			LEAN_BASE_DIR=$base node web/test/lean.bench.mjs
	} | tee dist/bench-lean.md
}
