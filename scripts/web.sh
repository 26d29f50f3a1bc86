# scripts/web.sh — the offline signing page (web/ → dist/web): sourced by
# build.sh, which calls web_build, web_test and web_bench. The page uses the
# JS module, so module_build runs first (build order module → web → worker).

WEB_OUT=dist/web

# web_build — minify web/ plus the module's frontsign.mjs and .wasm into
# dist/web with content-hashed names; prints each file's raw and gzip size.
web_build() {
	log "build: page → $WEB_OUT"
	go run ./internal/build -web web -module dist/npm -out "$WEB_OUT"
}

# web_ready — build the page if this shell has not (web_test/web_bench alone).
web_ready() {
	if [ ! -f dist/npm/frontsign.wasm ] && declare -F module_build >/dev/null; then module_build; fi
	[ -f "$WEB_OUT/index.html" ] || web_build
}

# web_test — end-to-end tests in headless Chromium against wrangler dev;
# screenshots of every tab land in dist/screenshots/.
web_test() {
	web_ready &&
		node --test --test-reporter=spec --test-concurrency=1 web/test/*.test.mjs
}

# web_bench — navigation to first signature, and signs per second for 1,000
# URLs, in Chromium (not a test: prints figures, asserts nothing).
web_bench() {
	web_ready &&
		node web/test/bench.mjs | tee dist/bench-web.txt
}
