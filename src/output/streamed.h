/* streamed.h: a report written while its process is read.
 *
 * A large process's report is written while its smaps is still being read
 * (the loader hands the regions to a region_consumer), into a spool: it
 * reaches the output only once the load has proved it right, so a process
 * that changed or exited meanwhile never leaves half a report behind. The
 * spool is a memfd: its pages are not part of vmmap's resident set however
 * long the report is.
 */
#ifndef VMMAP_OUTPUT_STREAMED_H
#define VMMAP_OUTPUT_STREAMED_H

#include <stdbool.h>
#include <stdio.h>

#include "load/load.h"
#include "output/output.h"

struct streamed_report;

/* A streamed report, as a table or (json) a JSON document, with the
 * options o (borrowed: they must outlive it). Returns NULL when no spool
 * can be had: the report is then printed after the load, as usual. */
struct streamed_report *streamed_report_new(bool json, const struct output_options *o);

/* What the loader hands the regions to (load_request.consumer). */
const struct region_consumer *streamed_report_consumer(struct streamed_report *sr);

/* Whether the loader gave it every region, exactly as loaded: only then
 * may streamed_report_finish() print it. */
bool streamed_report_complete(const struct streamed_report *sr);

/* Finish the report from snap (the totals, the summary) and copy the spool
 * to out. Returns 0 or -errno; *write_failed tells whether it was the
 * write to out that failed (the caller names that error itself). */
int streamed_report_finish(struct streamed_report *sr, const struct snapshot *snap,
			   FILE *out, bool *write_failed);

/* Free it, printed or not. NULL is allowed. */
void streamed_report_free(struct streamed_report *sr);

#endif
