#!/bin/sh
# layers.sh: the include rules of doc/HACKING.md ("Layers"), checked on the
# sources: a view (src/output, src/tui) includes no header of a reader
# (src/proc, src/elf), a model file (src/model) includes no view, and the
# shared helpers (src/util) include nothing of vmmap but each other.
#
# Views reach what readers parsed through the model's headers and naming
# helpers (model/fields.h, model/region.h); a direct include here is how a
# view starts depending on a reader's layout.
#
# Environment (from the test harness): top_srcdir.
set -u

src=${top_srcdir:-.}/src
fail=0

# check DIR LAYERS WHY: no file under DIR includes a header of LAYERS
# (an extended regex of directories under src/).
check() {
	dir=$1 layers=$2 why=$3
	[ -d "$src/$dir" ] || { echo "layers: no $src/$dir" >&2; fail=1; return; }
	hits=$(find "$src/$dir" -name '*.[ch]' -exec grep -HnE \
		"^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<](\.\./)*(src/)?($layers)/" {} +)
	if [ -n "$hits" ]; then
		printf 'layers: %s\n%s\n' "$why" "$hits" >&2
		fail=1
	fi
}

check output 'proc|elf' "a view includes a reader header (use the model's)"
check tui 'proc|elf' "a view includes a reader header (use the model's)"
check model 'output|tui' "a model file includes a view"
check util 'proc|elf|model|output|tui|load' "a shared helper includes a layer"
check load 'output|tui' "the loader includes a view (it hands regions to a consumer)"

# Arrays grow through util/array.h, not a hand-written realloc.
hits=$(find "$src" -name '*.c' ! -path "$src/util/*" -exec grep -Hn 'realloc(' {} +)
if [ -n "$hits" ]; then
	printf 'layers: an array grown by hand (use ARRAY_GROW, util/array.h)\n%s\n' "$hits" >&2
	fail=1
fi

exit $fail
