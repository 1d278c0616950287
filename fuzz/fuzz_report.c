/* fuzz_report: the views (table, --layout, JSON) on the snapshots of
 * fuzz_snapshot (same input format, see snapshot_input.h), written to
 * /dev/null. The options come from a hash of the input. */
#include "config.h"

#include "snapshot_input.h"
#include "output/output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct output_options o;
	struct snapshot snap;
	uint64_t h = fuzz_hash(FUZZ_HASH_INIT, data, size);
	int f;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	if (fuzz_build_snapshot(data, size, &snap))
		return 0;

	memset(&o, 0, sizeof(o));
	for (f = 0; f < F_COUNT; f++)
		o.columns[o.ncolumns++] = f;
	o.raw = h & 1;
	o.noheadings = h & 2;
	o.bytes = h & 4;
	o.summary_only = (h & 0x18) == 0x18;
	o.by_image = h & 0x20;
	o.color = h & 0x40;
	o.sort_field = (h >> 8) % 4 ? -1 : (int)((h >> 16) % F_COUNT);
	if ((h >> 24) % 4 == 0)
		o.filter.kinds = (uint32_t)(h >> 32) & ((1u << KIND_COUNT) - 1);

	table_print(devnull, &snap, &o);
	layout_print(devnull, &snap, &o);
	json_print(devnull, &snap, &o);
	snapshot_release(&snap);
	return 0;
}
