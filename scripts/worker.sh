# scripts/worker.sh — the edge worker (worker/, wrangler.toml): sourced by
# build.sh, which calls worker_build, worker_test, worker_dev and worker_bench.
#
# dist/worker/ holds what worker/entry.mjs imports: app.wasm (worker/wasm built
# for js/wasm) and the Go toolchain's wasm_exec.js, which must match the
# compiler that built app.wasm.

WORKER_OUT=dist/worker
WORKER_DEV_DIR=dev
# The demo distribution the dev setup signs for (an AWS documentation domain).
WORKER_DEV_RESOURCES='https://d111111abcdef8.cloudfront.net/*'
WORKER_DEV_KEY_ID=K2DEVFRONTSIGN

worker_build() {
	log "build: worker → $WORKER_OUT"
	mkdir -p "$WORKER_OUT"
	# wrangler.toml serves dist/web as assets; it must exist even when the
	# page has not been built, or wrangler refuses to start.
	mkdir -p dist/web
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o "$WORKER_OUT/app.wasm" ./worker/wasm
	cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$WORKER_OUT/wasm_exec.js"
	size "$ROOT/$WORKER_OUT/app.wasm"
}

# worker_cli — build the native CLI once into dist/ (dev token, test oracle).
worker_cli() {
	go build -o dist/frontsign-cli ./cmd/frontsign
}

# worker_dev_setup — on the first run, make a dev key pair, a dev token
# secret and .dev.vars (all gitignored); later runs keep them.
worker_dev_setup() {
	mkdir -p "$WORKER_DEV_DIR"
	if [ ! -f "$WORKER_DEV_DIR/cloudfront.pem" ]; then
		log "dev: new ECDSA P-256 key pair in $WORKER_DEV_DIR/cloudfront.pem (throwaway, for local use)"
		dist/frontsign-cli keygen --type ecdsa --out "$WORKER_DEV_DIR/cloudfront" >/dev/null
	fi
	if [ ! -f "$WORKER_DEV_DIR/token-secret" ]; then
		(umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$WORKER_DEV_DIR/token-secret")
	fi
	if [ ! -f .dev.vars ]; then
		log "dev: writing .dev.vars (local secrets and settings for wrangler dev)"
		(
			umask 077
			printf '# Written by ./build.sh dev from %s/ (delete it to regenerate). Local only.\n' "$WORKER_DEV_DIR"
			# One double-quoted line with \n escapes: the form .dev.vars reads multi-line values in.
			printf 'CLOUDFRONT_PRIVATE_KEY="%s"\n' "$(awk '{printf "%s\\n", $0}' "$WORKER_DEV_DIR/cloudfront.pem")"
			printf 'CLOUDFRONT_KEY_PAIR_ID=%s\n' "$WORKER_DEV_KEY_ID"
			printf 'TOKEN_SECRET=%s\n' "$(cat "$WORKER_DEV_DIR/token-secret")"
			printf 'ALLOWED_RESOURCES=%s\n' "$WORKER_DEV_RESOURCES"
			printf 'CORS_ORIGINS=http://127.0.0.1:%s,http://localhost:%s\n' "${PORT:-8787}" "${PORT:-8787}"
		) >.dev.vars
	fi
}

worker_dev() {
	local port=${PORT:-8787} token
	worker_cli
	worker_dev_setup
	token=$(dist/frontsign-cli token --secret-file "$WORKER_DEV_DIR/token-secret" --sub dev \
		--resource "$WORKER_DEV_RESOURCES" --cookies --ttl 24h)
	cat >&2 <<EOF

frontsign worker: http://127.0.0.1:$port (the page at /, the API at /v1/…)
A dev token (24 h, may sign $WORKER_DEV_RESOURCES) and a request that works:

  curl -s http://127.0.0.1:$port/v1/sign \\
    -H 'Authorization: Bearer $token' \\
    -H 'Content-Type: application/json' \\
    -d '{"url": "https://d111111abcdef8.cloudfront.net/videos/intro.mp4", "expiresIn": "15m"}'

Public keys: curl -s http://127.0.0.1:$port/v1/keys   (dev key ID $WORKER_DEV_KEY_ID)
More tokens: dist/frontsign-cli token --secret-file $WORKER_DEV_DIR/token-secret --sub you --resource '$WORKER_DEV_RESOURCES'

EOF
	exec wrangler dev --ip 127.0.0.1 --port "$port" "$@"
}

worker_test() {
	[ -f "$WORKER_OUT/app.wasm" ] || worker_build
	worker_cli || return 1
	local ok=0
	# Would Cloudflare take the bundle? (offline: bundles, checks, uploads nothing)
	log "worker: wrangler deploy --dry-run"
	rm -rf dist/worker-bundle
	local out
	if out=$(WRANGLER_SEND_METRICS=false wrangler deploy --dry-run --outdir dist/worker-bundle 2>&1); then
		printf '%s\n' "$out" | grep -E 'Total Upload|WARN|ERROR' >&2 || true
		worker_bundle_size_ok || ok=1
	else
		printf '%s\n' "$out" >&2
		ok=1
	fi
	node --test --test-reporter=spec --test-concurrency=1 worker/test/*.test.mjs || ok=1
	return $ok
}

# worker_bundle_size_ok — the bundle wrangler would upload must fit
# Cloudflare's script size limit (64 MiB uncompressed, every plan, since
# 2026-09; the pinned wrangler still reports against the older 3 MiB gzip cap).
worker_bundle_size_ok() {
	local total
	total=$(cat dist/worker-bundle/*.js dist/worker-bundle/*.wasm | wc -c)
	if [ "$total" -gt $((64 << 20)) ]; then
		echo "worker: the bundle is $total bytes, over Cloudflare's 64 MiB script limit" >&2
		return 1
	fi
}

worker_bench() {
	[ -f "$WORKER_OUT/app.wasm" ] || worker_build
	worker_cli || return 1
	# Under wrangler dev (as developers run it), then Miniflare alone (no dev
	# proxy or inspector: the Workers' own cost); worker/bench/README.md.
	node worker/bench/bench.mjs | tee dist/bench-worker.md &&
		BENCH_HOST=miniflare node worker/bench/bench.mjs | tee dist/bench-worker-miniflare.md
}
