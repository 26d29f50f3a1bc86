# scripts/bundlers.sh — the JS module as users get it: the packed .tgz
# installed into one small app per bundler or framework, built, served on
# 127.0.0.1 and opened in Chromium; plus its types under tsc 7 and 5.9,
# publint and arethetypeswrong. Sourced by build.sh (bundlers_test).
#
# Each fixture (wasm/test/bundlers/<tool>) pins its tools in its own
# package-lock.json, so the root lockfile stays small. Their node_modules are
# installed once per lockfile into $BUNDLERS_CACHE/<tool>-<lockfile hash>
# (outside the clone, reused by later runs on the same machine) and
# hard-linked into the build directory, dist/bundlers/<tool>.

BUNDLERS_SRC=wasm/test/bundlers
BUNDLERS_OUT=dist/bundlers
BUNDLERS_CACHE=${FRONTSIGN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/frontsign}/bundlers

# bundlers_modules TOOL — print the cached node_modules' directory for the
# fixture's lockfile, installing it first if this machine has none yet.
bundlers_modules() {
	local tool=$1 src=$BUNDLERS_SRC/$1 hash dir tmp
	hash=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -c1-16)
	dir=$BUNDLERS_CACHE/$tool-$hash
	if [ ! -d "$dir/node_modules" ]; then
		log "bundlers: installing $tool's tools (npm ci, $src/package-lock.json) → $dir" >&2
		mkdir -p "$BUNDLERS_CACHE"
		tmp=$(mktemp -d "$BUNDLERS_CACHE/.$tool-XXXXXX")
		cp "$src/package.json" "$src/package-lock.json" "$tmp/"
		(cd "$tmp" && npm ci --no-audit --no-fund --loglevel=error >&2) || { rm -rf "$tmp"; return 1; }
		# Another run may have finished the same install meanwhile; either copy is good.
		mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
	fi
	echo "$dir/node_modules"
}

# bundlers_prepare TOOL — a fresh build directory: the fixture's files, its
# cached node_modules hard-linked (cheap, and real files for tools that refuse
# paths outside the project), and frontsign extracted from the packed .tgz
# exactly as npm installs a dependency (package/ → node_modules/frontsign).
bundlers_prepare() {
	local tool=$1 work=$BUNDLERS_OUT/$1 modules
	modules=$(bundlers_modules "$tool") || return 1
	rm -rf "$work"
	mkdir -p "$work"
	cp -R "$BUNDLERS_SRC/$tool/." "$work/"
	if ! cp -al "$modules" "$work/node_modules" 2>/dev/null; then # hard links need one file system
		rm -rf "$work/node_modules"
		cp -a "$modules" "$work/node_modules"
	fi
	rm -rf "$work/node_modules/frontsign"
	mkdir "$work/node_modules/frontsign"
	tar -xzf "$BUNDLERS_OUT/frontsign.tgz" --strip-components=1 -C "$work/node_modules/frontsign"
}

# The files a user gets: npm pack's list must be exactly these.
BUNDLERS_PACKED="LICENSE NOTICE README.md frontsign-gocrypto.wasm frontsign.d.ts frontsign.mjs frontsign.wasm frontsign.wasm.d.ts frontsign.workerd.mjs package.json"

# bundlers_pack — dist/bundlers/frontsign.tgz from dist/npm, as `npm publish`
# would pack it; checks the file list and modes, prints its sizes.
bundlers_pack() {
	local json files modes
	mkdir -p "$BUNDLERS_OUT"
	json=$(cd "$MODULE_OUT" && npm pack --json --pack-destination "$ROOT/$BUNDLERS_OUT" 2>/dev/null) || return 1
	files=$(node -e 'const [p] = JSON.parse(process.argv[1]); console.log(p.files.map((f) => f.path).sort().join(" "))' "$json")
	if [ "$files" != "$BUNDLERS_PACKED" ]; then
		echo "bundlers: npm pack lists: $files" >&2
		echo "           expected:      $BUNDLERS_PACKED" >&2
		return 1
	fi
	mv "$BUNDLERS_OUT/frontsign-$MODULE_VERSION.tgz" "$BUNDLERS_OUT/frontsign.tgz"
	modes=$(tar -tvzf "$BUNDLERS_OUT/frontsign.tgz" | awk '$1 != "-rw-r--r--" { print $NF, $1 }')
	if [ -n "$modes" ]; then
		echo "bundlers: files packed with modes other than 0644: $modes" >&2
		return 1
	fi
	node -e 'const [p] = JSON.parse(process.argv[1]); console.log(`  frontsign.tgz: ${p.entryCount} files, ${(p.size / 1e6).toFixed(2)} MB packed, ${(p.unpackedSize / 1e6).toFixed(2)} MB installed (no dependencies)`)' "$json"
}

# bundlers_types — the declarations checked, not just parsed: tsc --strict over
# a file using every export (types/check.ts) under TypeScript 7 and 5.9, three
# module resolutions, with and without the DOM lib; then publint and
# arethetypeswrong on the packed .tgz.
bundlers_types() {
	local work=$BUNDLERS_OUT/types tsc mode lib ok=0
	bundlers_prepare types || return 1
	for tsc in typescript typescript-5.9; do
		for mode in esnext/bundler node16/node16 nodenext/nodenext; do
			for lib in dom node; do
				local libs='["es2022", "dom"]' types='[]' files='["check.ts", "check.dom.ts"]'
				[ "$lib" = node ] && libs='["es2022"]' types='["node"]' files='["check.ts"]'
				sed -e "s|\"module\": \"esnext\"|\"module\": \"${mode%/*}\"|" \
					-e "s|\"moduleResolution\": \"bundler\"|\"moduleResolution\": \"${mode#*/}\"|" \
					-e "s|\"lib\": \[\"es2022\", \"dom\"\]|\"lib\": $libs|" \
					-e "s|\"types\": \[\]|\"types\": $types|" -e "s|\"files\": \[\"check.ts\"\]|\"files\": $files|" "$work/tsconfig.json" >"$work/tsconfig.$lib.json"
				if (cd "$work" && node "node_modules/$tsc/bin/tsc" -p "tsconfig.$lib.json"); then
					echo "  ok   $tsc $(node -p "require('./$work/node_modules/$tsc/package.json').version") --module ${mode%/*} --moduleResolution ${mode#*/} (lib: es2022 + $lib)"
				else
					echo "  FAIL $tsc --module ${mode%/*} --moduleResolution ${mode#*/} (lib: es2022 + $lib)"
					ok=1
				fi
			done
		done
	done
	(cd "$work" && node_modules/.bin/publint --strict node_modules/frontsign) || ok=1
	# esm-only: require() of an ES module is Node's require(esm) (Node >= 20.19,
	# 22.12, as engines says); attw reports that as CommonJS's concern, not a bug.
	(cd "$work" && node_modules/.bin/attw ../frontsign.tgz --profile esm-only --format table-flipped) || ok=1
	return $ok
}

# bundlers_html FILE SCRIPT_TAG — the fixture page: #out, where demo.js writes.
bundlers_html() {
	printf '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>frontsign fixture</title></head>\n<body>\n<pre id="out"></pre>\n%s\n</body>\n</html>\n' "$2" >"$1"
}

# bundlers_run TOOL LOG CMD... — run a build in the fixture's directory; it
# must succeed without a warning.
bundlers_run() {
	local work=$BUNDLERS_OUT/$1 out=$2
	shift 2
	# CI=true changes what the tools print, not what they build: picocolors
	# colours (and so splits) Vite's URLs, and Next.js warns "No build cache
	# found". The fixtures are built as on a developer's machine.
	if ! (cd "$work" && env -u CI NEXT_TELEMETRY_DISABLED=1 "$@") >"$work/$out" 2>&1; then
		cat "$work/$out" >&2
		echo "bundlers: $* failed in $work" >&2
		return 1
	fi
	# (Parcel's summary marks files over 1 MB with ⚠️ and a size, as webpack's
	# performance hints do, which the webpack fixture filters for the .wasm.)
	if grep -iE 'warn|⚠|critical dependency|externalized' "$work/$out" | grep -vE '^dist/frontsign(-gocrypto)?\.[0-9a-f]+\.wasm +⚠️ +[0-9.]+ MB' >&2; then
		echo "bundlers: $* warned (above; whole log: $work/$out)" >&2
		return 1
	fi
}

# bundlers_build TOOL — lay out and build one fixture; print the directories to
# serve (relative to the fixture's build directory).
bundlers_build() {
	local tool=$1 work=$BUNDLERS_OUT/$1 common=$BUNDLERS_SRC/common
	case $tool in
	script) # no bundler: the package's files on a static host, found through an import map
		rm -rf "$work" && mkdir -p "$work/vendor/frontsign"
		tar -xzf "$BUNDLERS_OUT/frontsign.tgz" --strip-components=1 -C "$work/vendor/frontsign"
		cp "$common/demo.js" "$common/main.js" "$work/"
		bundlers_html "$work/index.html" '<script type="importmap">{"imports": {"frontsign": "/vendor/frontsign/frontsign.mjs"}}</script>
<script type="module" src="main.js"></script>'
		echo .
		return
		;;
	esac
	bundlers_prepare "$tool" >&2 || return 1
	case $tool in
	vite | parcel)
		cp "$common/demo.js" "$common/main.js" "$work/"
		bundlers_html "$work/index.html" '<script type="module" src="./main.js"></script>'
		bundlers_run "$tool" build.log npm run build >&2 && echo dist
		;;
	webpack | rollup | esbuild)
		mkdir -p "$work/src" "$work/dist"
		cp "$common/demo.js" "$common/main.js" "$work/src/"
		# webpack's bundle is a classic script (its automatic publicPath needs document.currentScript).
		local tag='<script type="module" src="main.js"></script>'
		[ "$tool" = webpack ] && tag='<script defer src="main.js"></script>'
		bundlers_html "$work/dist/index.html" "$tag"
		bundlers_run "$tool" build.log npm run build >&2 && echo dist
		;;
	next) # Turbopack (next build) and webpack (next build --webpack), both static exports
		cp "$common/demo.js" "$work/app/"
		bundlers_run "$tool" build-turbopack.log npm run build >&2 && mv "$work/out" "$work/out-turbopack" &&
			bundlers_run "$tool" build-webpack.log npm run build:webpack >&2 && mv "$work/out" "$work/out-webpack" &&
			echo "out-turbopack out-webpack"
		;;
	sveltekit)
		mkdir -p "$work/src/lib"
		cp "$common/demo.js" "$work/src/lib/"
		bundlers_run "$tool" build.log npm run build >&2 && echo build
		;;
	*)
		echo "bundlers: no fixture $tool" >&2
		return 1
		;;
	esac
}

# The fixtures, each built, served and opened; vite is also opened through its dev server.
BUNDLERS_TOOLS=(script vite webpack rollup esbuild parcel sveltekit next)

# bundlers_wait_url FILE — the URL a server printed to FILE (first line), once it has.
bundlers_wait_url() {
	local i
	for i in $(seq 100); do
		if [ -s "$1" ] && sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -qo 'http://127.0.0.1:[0-9]*/'; then
			sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -o 'http://127.0.0.1:[0-9]*/' | head -1
			return 0
		fi
		sleep 0.2
	done
	echo "bundlers: no server URL in $1" >&2
	cat "$1" >&2
	return 1
}

# bundlers_apps — build every fixture, serve each build (and Vite's dev
# server) on 127.0.0.1, and check the pages in Chromium.
bundlers_apps() {
	local tool dirs d name t ok=0 pids=() pages=() log port
	for tool in "${BUNDLERS_TOOLS[@]}"; do
		t=$SECONDS
		if ! dirs=$(bundlers_build "$tool"); then
			echo "  FAIL $tool: the build failed or warned (above)"
			ok=1
			continue
		fi
		echo "  built $tool in $((SECONDS - t)) s"
		for d in $dirs; do
			name=$tool
			case $d in out-*) name=$tool-${d#out-} ;; esac
			log=$BUNDLERS_OUT/$tool/serve-$name.log
			node "$BUNDLERS_SRC/serve.mjs" "$BUNDLERS_OUT/$tool/$d" >"$log" 2>&1 &
			pids+=($!)
			pages+=("$name=$(bundlers_wait_url "$log")") || ok=1
		done
	done
	if [ -d "$BUNDLERS_OUT/vite/node_modules" ]; then
		port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
		log=$BUNDLERS_OUT/vite/serve-vite-dev.log
		(cd "$BUNDLERS_OUT/vite" && exec env -u CI node_modules/.bin/vite --host 127.0.0.1 --port "$port" --strictPort --clearScreen false) >"$log" 2>&1 &
		pids+=($!)
		pages+=("vite-dev=$(bundlers_wait_url "$log")") || ok=1
	fi
	node "$BUNDLERS_SRC/check.mjs" "${pages[@]}" || ok=1
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null
	if grep -iE 'warn|error' "$BUNDLERS_OUT/vite/serve-vite-dev.log" >&2; then
		echo "bundlers: vite's dev server warned (above)" >&2
		ok=1
	fi
	return $ok
}

# bundlers_runtimes — the module's own tests (Node ESM and require, Deno,
# workerd through wrangler dev) again, on the package extracted from the .tgz.
bundlers_runtimes() {
	local pkg=$BUNDLERS_OUT/runtimes/frontsign
	rm -rf "$BUNDLERS_OUT/runtimes"
	mkdir -p "$pkg"
	tar -xzf "$BUNDLERS_OUT/frontsign.tgz" --strip-components=1 -C "$pkg"
	FRONTSIGN_PACKAGE=$ROOT/$pkg node --test --test-reporter=dot \
		"$MODULE_SRC/test/module.test.mjs" "$MODULE_SRC/test/deno.test.mjs" "$MODULE_SRC/test/workerd.test.mjs"
}

bundlers_test() {
	local start=$SECONDS ok=0
	[ -f "$MODULE_OUT/frontsign.wasm" ] || module_build
	bundlers_pack || return 1
	local phase t
	for phase in runtimes types apps; do
		t=$SECONDS
		"bundlers_$phase" || ok=1
		echo "bundlers: $phase $((SECONDS - t)) s"
	done
	echo "bundlers: $((SECONDS - start)) s in all"
	return $ok
}
