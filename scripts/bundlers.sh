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
	cp -al "$modules" "$work/node_modules"
	rm -rf "$work/node_modules/frontsign"
	mkdir "$work/node_modules/frontsign"
	tar -xzf "$BUNDLERS_OUT/frontsign.tgz" --strip-components=1 -C "$work/node_modules/frontsign"
}

# The files a user gets: npm pack's list must be exactly these.
BUNDLERS_PACKED="LICENSE NOTICE README.md frontsign.d.ts frontsign.mjs frontsign.wasm frontsign.wasm.d.ts frontsign.workerd.mjs package.json"

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

bundlers_test() {
	local start=$SECONDS ok=0
	[ -f "$MODULE_OUT/frontsign.wasm" ] || module_build
	bundlers_pack || return 1
	bundlers_types || ok=1
	echo "bundlers: $((SECONDS - start)) s"
	return $ok
}
