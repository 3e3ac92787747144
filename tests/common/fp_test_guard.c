/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <check.h>

#include "fp_test_guard.h"

#define GUARD_DATA_PAGES 4

char *fp_test_guard_end;
static char *guard_map;
static size_t guard_room;
static size_t page_size;

void
fp_test_guard_setup(void)
{
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	guard_room = GUARD_DATA_PAGES * page_size;
	guard_map = mmap(NULL, guard_room + page_size, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(guard_map != MAP_FAILED);
	fp_test_guard_end = guard_map + guard_room;
	ck_assert_int_eq(mprotect(fp_test_guard_end, page_size, PROT_NONE), 0);
}

void
fp_test_guard_teardown(void)
{
	munmap(guard_map, guard_room + page_size);
}

const char *
fp_test_guarded(const void *data, size_t len)
{
	if (len > guard_room)
		ck_abort_msg("%zu bytes do not fit before the guard page", len);
	memmove(fp_test_guard_end - len, data, len);
	return fp_test_guard_end - len;
}
