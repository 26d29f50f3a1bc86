# scripts/streaming.sh — protected HLS and DASH played by real players through
# the worker: sourced by build.sh, which calls streaming_test. The streams are
# made at test time with Debian's ffmpeg; the origin (worker/test/streaming/
# origin) answers 403 to any request CloudFront would refuse; hls.js and
# dash.js come from package-lock.json; Chromium is Debian's.

need_ffmpeg() {
	command -v ffmpeg >/dev/null 2>&1 || { log "installing Debian ffmpeg"; apt_install ffmpeg; }
}

streaming_test() {
	need_ffmpeg
	[ -f "$WORKER_OUT/app.wasm" ] || worker_build
	worker_cli || return 1
	go build -o dist/streaming-origin ./worker/test/streaming/origin || return 1
	# Each test has a two-minute limit of its own (streaming.test.mjs).
	node --test --test-reporter=spec --test-concurrency=1 worker/test/streaming/*.test.mjs
}

# streaming_bench — GET /v1/playlist's CPU in workerd for 1,200- and
# 10,000-segment VOD playlists, beside POST /v1/sign of one URL.
streaming_bench() {
	[ -f "$WORKER_OUT/app.wasm" ] || worker_build
	worker_cli || return 1
	node worker/test/streaming/bench.mjs | tee dist/bench-playlist.md
}
