/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>

#include "fp_test_rand.h"

uint64_t
fp_test_rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

void
fp_test_mutate(char *buf, size_t *len, size_t room, uint64_t *rng, const char *specials,
	size_t nb_specials)
{
	size_t pos = *len == 0 ? 0 : fp_test_rng(rng) % *len;
	char c = fp_test_rng(rng) % 2 ? (char)fp_test_rng(rng) :
		specials[fp_test_rng(rng) % nb_specials];

	switch (fp_test_rng(rng) % 4) {
	case 0:
		if (*len > 0)
			buf[pos] = c;
		break;
	case 1:
		if (*len < room) {
			memmove(buf + pos + 1, buf + pos, *len - pos);
			buf[pos] = c;
			(*len)++;
		}
		break;
	case 2:
		if (*len > 0) {
			memmove(buf + pos, buf + pos + 1, *len - pos - 1);
			(*len)--;
		}
		break;
	default:
		*len = pos;
		break;
	}
}
