/* SPDX-License-Identifier: MIT */
/* reader_journal.c - journalctl -o json / export (in progress). */
#include <errno.h>
#include "reader_int.h"

int reader_journal_json_next(struct splat_reader *r, struct splat_record *rec)
{
	(void)rec;
	reader_diag(r, RD_OTHER, SPLAT_DIAG_ERROR, 0, "journal-json format: not implemented yet");
	errno = ENOSYS;
	return -1;
}

int reader_journal_export_next(struct splat_reader *r, struct splat_record *rec)
{
	(void)rec;
	reader_diag(r, RD_OTHER, SPLAT_DIAG_ERROR, 0, "journal-export format: not implemented yet");
	errno = ENOSYS;
	return -1;
}

void reader_journal_export_fini(struct splat_reader *r)
{
	(void)r;
}

int reader_dmesg_json_next(struct splat_reader *r, struct splat_record *rec)
{
	(void)rec;
	reader_diag(r, RD_OTHER, SPLAT_DIAG_ERROR, 0, "dmesg-json format: not implemented yet");
	errno = ENOSYS;
	return -1;
}
