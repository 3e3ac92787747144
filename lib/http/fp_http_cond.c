/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>

#include "fp_http_chars.h"
#include "fp_http_cond.h"

const char *const fp_http_coding_names[FP_HTTP_CE_MAX] = {
	[FP_HTTP_CE_BR] = "br",
	[FP_HTTP_CE_GZIP] = "gzip",
	[FP_HTTP_CE_IDENTITY] = "identity",
};

static size_t
fp_http_skip_ows(const char *p, size_t i, size_t len)
{
	while (i < len && fp_http_ows(p[i]))
		i++;
	return i;
}

/* Past the commas and OWS between list elements: RFC 9110 5.6.1.2, "a
 * recipient MUST accept empty list elements".
 */
static size_t
fp_http_list_skip(const char *p, size_t i, size_t len)
{
	while (i < len && (p[i] == ',' || fp_http_ows(p[i])))
		i++;
	return i;
}

static size_t
fp_http_token_end(const char *p, size_t i, size_t len)
{
	while (i < len && fp_http_is(p[i], FP_HTTP_TCHAR))
		i++;
	return i;
}

/* Accept-Encoding. */

void
fp_http_ae_init(struct fp_http_ae *ae)
{
	memset(ae, 0, sizeof(*ae));
}

/* RFC 9110 12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
 * Returns the index after it, or 0 when there is none.
 */
static size_t
fp_http_qvalue(const char *p, size_t i, size_t len, uint16_t *q)
{
	unsigned int v, n, scale = 100;

	if (i >= len || (p[i] != '0' && p[i] != '1'))
		return 0;
	v = (p[i] - '0') * FP_HTTP_Q_ONE;
	i++;
	if (i < len && p[i] == '.') {
		for (i++, n = 0; n < 3 && i < len && p[i] >= '0' && p[i] <= '9'; n++, i++) {
			v += (p[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (v > FP_HTTP_Q_ONE)
		return 0;
	*q = v;
	return i;
}

/* The coding a token names, FP_HTTP_CE_MAX for "*", -1 for another. */
static int
fp_http_coding_of(const char *p, uint32_t len)
{
	if (FP_HTTP_IEQ(p, len, "br"))
		return FP_HTTP_CE_BR;
	/* RFC 9110 8.4.1.3: "A recipient SHOULD consider "x-gzip" to be
	 * equivalent to "gzip"."
	 */
	if (FP_HTTP_IEQ(p, len, "gzip") || FP_HTTP_IEQ(p, len, "x-gzip"))
		return FP_HTTP_CE_GZIP;
	if (FP_HTTP_IEQ(p, len, "identity"))
		return FP_HTTP_CE_IDENTITY;
	if (len == 1 && p[0] == '*')
		return FP_HTTP_CE_MAX;
	return -1;
}

int
fp_http_ae_parse(const char *p, size_t len, struct fp_http_ae *ae)
{
	struct fp_http_ae a = *ae;
	size_t i = 0, start, end;
	uint16_t q;
	int c;

	a.seen = 1;
	for (;;) {
		i = fp_http_list_skip(p, i, len);
		if (i == len)
			break;
		start = i;
		end = fp_http_token_end(p, i, len);
		if (end == start)
			return -1;
		i = fp_http_skip_ows(p, end, len);
		q = FP_HTTP_Q_ONE;
		/* weight = OWS ";" OWS "q=" qvalue; the "q" in any case. */
		if (i < len && p[i] == ';') {
			i = fp_http_skip_ows(p, i + 1, len);
			if (i + 2 > len || (p[i] | 0x20) != 'q' || p[i + 1] != '=')
				return -1;
			i = fp_http_qvalue(p, i + 2, len, &q);
			if (i == 0)
				return -1;
			i = fp_http_skip_ows(p, i, len);
		}
		if (i < len && p[i] != ',')
			return -1;
		c = fp_http_coding_of(p + start, end - start);
		if (c == FP_HTTP_CE_MAX && !(a.listed & FP_HTTP_AE_STAR)) {
			a.q_star = q;
			a.listed |= FP_HTTP_AE_STAR;
		} else if (c >= 0 && c < FP_HTTP_CE_MAX && !(a.listed & (1u << c))) {
			a.q[c] = q;
			a.listed |= 1u << c;
		}
	}
	*ae = a;
	return (int)len;
}

int
fp_http_ae_choose(const struct fp_http_ae *ae, unsigned int avail)
{
	int c, best = -1;
	uint16_t q, best_q = 0;

	if (!ae->seen)
		return FP_HTTP_CE_IDENTITY;
	avail |= 1u << FP_HTTP_CE_IDENTITY;
	for (c = 0; c < FP_HTTP_CE_MAX; c++) {
		if (!(avail & (1u << c)))
			continue;
		if (ae->listed & (1u << c))
			q = ae->q[c];
		else if (ae->listed & FP_HTTP_AE_STAR)
			q = ae->q_star;
		/* RFC 9110 12.5.3: identity "is acceptable by default unless
		 * specifically excluded": here with the least weight there is.
		 */
		else if (c == FP_HTTP_CE_IDENTITY)
			q = 1;
		else
			q = 0;
		/* Strictly higher: the earlier coding wins a tie. */
		if (q > best_q) {
			best_q = q;
			best = c;
		}
	}
	return best;
}

/* Range. */

/* 1*DIGIT at p[i]: returns the index after it, 0 when there is none. A
 * number past 2^63 saturates: it is past any representation anyway.
 */
static size_t
fp_http_pos(const char *p, size_t i, size_t len, uint64_t *v)
{
	size_t start = i;
	uint64_t n = 0;

	for (; i < len && p[i] >= '0' && p[i] <= '9'; i++)
		n = n > (UINT64_MAX >> 1) / 10 ? UINT64_MAX >> 1 : n * 10 + (p[i] - '0');
	*v = n;
	return i > start ? i : 0;
}

/* Sorts out->r by first (at most FP_HTTP_RANGES_MAX: insertion) and merges
 * the ranges that overlap or touch.
 */
static void
fp_http_ranges_merge(struct fp_http_ranges *out)
{
	struct fp_http_brange t;
	uint32_t i, j, n = 0;

	for (i = 1; i < out->nb; i++) {
		t = out->r[i];
		for (j = i; j > 0 && out->r[j - 1].first > t.first; j--)
			out->r[j] = out->r[j - 1];
		out->r[j] = t;
	}
	for (i = 0; i < out->nb; i++) {
		if (n > 0 && out->r[i].first <= out->r[n - 1].last + 1) {
			if (out->r[i].last > out->r[n - 1].last)
				out->r[n - 1].last = out->r[i].last;
			continue;
		}
		out->r[n++] = out->r[i];
	}
	out->nb = n;
}

int
fp_http_range_parse(const char *p, size_t len, uint64_t size, struct fp_http_ranges *out)
{
	uint64_t first, last;
	uint32_t specs = 0;
	size_t i, j;

	out->nb = 0;
	/* ranges-specifier = range-unit "=" range-set; range units are
	 * case-insensitive (RFC 9110 14.1).
	 */
	if (len < 6 || !FP_HTTP_IEQ(p, 6, "bytes="))
		return -1;
	i = 6;
	for (;;) {
		i = fp_http_list_skip(p, i, len);
		if (i == len)
			break;
		if (++specs > FP_HTTP_RANGES_MAX)
			return -1;
		if (p[i] == '-') {
			/* suffix-range = "-" suffix-length: the last bytes. */
			j = fp_http_pos(p, i + 1, len, &last);
			if (j == 0)
				return -1;
			i = j;
			/* 14.1.3: "If the selected representation is shorter
			 * than the specified suffix-length, the entire
			 * representation is used." A suffix of 0 is not
			 * satisfiable.
			 */
			if (last > 0 && size > 0) {
				out->r[out->nb].first = last >= size ? 0 : size - last;
				out->r[out->nb].last = size - 1;
				out->nb++;
			}
		} else {
			/* int-range = first-pos "-" [ last-pos ]. */
			j = fp_http_pos(p, i, len, &first);
			if (j == 0 || j >= len || p[j] != '-')
				return -1;
			i = j + 1;
			last = UINT64_MAX;
			if (i < len && p[i] >= '0' && p[i] <= '9') {
				i = fp_http_pos(p, i, len, &last);
				/* "invalid if the last-pos value is present and
				 * less than the first-pos".
				 */
				if (last < first)
					return -1;
			}
			/* Satisfiable when first-pos is below the length. */
			if (first < size) {
				out->r[out->nb].first = first;
				out->r[out->nb].last = last >= size ? size - 1 : last;
				out->nb++;
			}
		}
		i = fp_http_skip_ows(p, i, len);
		if (i < len && p[i] != ',')
			return -1;
	}
	/* range-set = 1#range-spec. */
	if (specs == 0)
		return -1;
	fp_http_ranges_merge(out);
	return (int)len;
}

/* Entity tags. */

/* RFC 9110 8.8.3: etagc = %x21 / %x23-7E / obs-text. */
static bool
fp_http_etagc(uint8_t c)
{
	return c == 0x21 || (c >= 0x23 && c != 0x7f);
}

int
fp_http_etag_match(const char *p, size_t len, const char *etag, size_t etag_len, bool strong)
{
	size_t i = 0, start;
	bool weak, match = false;

	i = fp_http_skip_ows(p, 0, len);
	if (i < len && p[i] == '*') {
		/* "*" alone: any current representation. */
		return fp_http_skip_ows(p, i + 1, len) == len ? 1 : -1;
	}
	for (;;) {
		i = fp_http_list_skip(p, i, len);
		if (i == len)
			break;
		weak = false;
		if (p[i] == 'W' && i + 1 < len && p[i + 1] == '/') {
			weak = true;
			i += 2;
		}
		if (i >= len || p[i] != '"')
			return -1;
		start = i;
		for (i++; i < len && fp_http_etagc(p[i]); i++)
			;
		if (i >= len || p[i] != '"')
			return -1;
		i++;
		/* Weak comparison: the opaque tags alone; strong: neither
		 * tag weak (ours never is).
		 */
		if ((!strong || !weak) && i - start == etag_len &&
				memcmp(p + start, etag, etag_len) == 0)
			match = true;
		i = fp_http_skip_ows(p, i, len);
		if (i < len && p[i] != ',')
			return -1;
	}
	return match ? 1 : 0;
}

/* HTTP-date. */

static const char fp_http_months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
static const char fp_http_wdays[] = "MonTueWedThuFriSatSun";
static const char *const fp_http_wdays_l[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
};

/* n digits at p as a number, or -1. */
static int
fp_http_num(const char *p, unsigned int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	return v;
}

/* Month 0-11 of three letters (case-sensitive: the grammar's %s), or -1. */
static int
fp_http_month(const char *p)
{
	unsigned int m;

	for (m = 0; m < 12; m++)
		if (memcmp(p, fp_http_months + 3 * m, 3) == 0)
			return m;
	return -1;
}

static bool
fp_http_wday(const char *p, size_t len)
{
	unsigned int d;

	for (d = 0; d < 7; d++)
		if (len == 3 && memcmp(p, fp_http_wdays + 3 * d, 3) == 0)
			return true;
	for (d = 0; d < 7; d++)
		if (len == strlen(fp_http_wdays_l[d]) && memcmp(p, fp_http_wdays_l[d], len) == 0)
			return true;
	return false;
}

/* "HH:MM:SS" at p, in seconds, or -1. RFC 9110 5.6.7 allows second 60. */
static int
fp_http_clock(const char *p)
{
	int h = fp_http_num(p, 2), m = fp_http_num(p + 3, 2), s = fp_http_num(p + 6, 2);

	if (h < 0 || m < 0 || s < 0 || p[2] != ':' || p[5] != ':' || h > 23 || m > 59 || s > 60)
		return -1;
	return h * 3600 + m * 60 + s;
}

/* Days from 1970-01-01 to y-m-d (m 1-12), of the proleptic Gregorian
 * calendar (H. Hinnant's days_from_civil).
 */
static int64_t
fp_http_days(int64_t y, unsigned int m, unsigned int d)
{
	int64_t era;
	unsigned int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool
fp_http_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The date y-mon-d at clock seconds t, checked, into *sec. */
static int
fp_http_date_make(int y, int mon, int d, int t, size_t len, int64_t *sec)
{
	static const uint8_t mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < 0 || mon < 0 || d < 1 || t < 0 || d > mdays[mon] ||
			(mon == 1 && d == 29 && !fp_http_leap(y)))
		return -1;
	*sec = fp_http_days(y, mon + 1, d) * 86400 + t;
	return (int)len;
}

int
fp_http_date_parse(const char *p, size_t len, int64_t now, int64_t *sec)
{
	const char *comma = len != 0 ? memchr(p, ',', len) : NULL;
	int y, d, t, mon, now_y;
	size_t n;

	if (len == 0)
		return -1;
	if (comma != NULL) {
		n = comma - p;
		if (!fp_http_wday(p, n))
			return -1;
		/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT". */
		if (n == 3) {
			if (len != 29 || p[4] != ' ' || p[7] != ' ' || p[11] != ' ' ||
					p[16] != ' ' || memcmp(p + 25, " GMT", 4) != 0)
				return -1;
			return fp_http_date_make(fp_http_num(p + 12, 4), fp_http_month(p + 8),
				fp_http_num(p + 5, 2), fp_http_clock(p + 17), len, sec);
		}
		/* rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT". */
		if (len != n + 24)
			return -1;
		p += n;
		if (p[1] != ' ' || p[4] != '-' || p[8] != '-' || p[11] != ' ' ||
				memcmp(p + 20, " GMT", 4) != 0)
			return -1;
		y = fp_http_num(p + 9, 2);
		if (y < 0)
			return -1;
		/* 5.6.7: "a timestamp that appears to be more than 50 years in
		 * the future" is of "the most recent year in the past that had
		 * the same last two digits".
		 */
		now_y = 1970 + (int)(now / 31556952);
		y += now_y - now_y % 100;
		if (y > now_y + 50)
			y -= 100;
		return fp_http_date_make(y, fp_http_month(p + 5), fp_http_num(p + 2, 2),
			fp_http_clock(p + 12), len, sec);
	}
	/* asctime-date: "Sun Nov  6 08:49:37 1994". */
	if (len != 24 || !fp_http_wday(p, 3) || p[3] != ' ' || p[7] != ' ' || p[10] != ' ' ||
			p[19] != ' ')
		return -1;
	d = p[8] == ' ' ? fp_http_num(p + 9, 1) : fp_http_num(p + 8, 2);
	mon = fp_http_month(p + 4);
	t = fp_http_clock(p + 11);
	y = fp_http_num(p + 20, 4);
	return fp_http_date_make(y, mon, d, t, len, sec);
}

/* Preconditions. */

void
fp_http_cond_scan(const struct fp_http_request *req, struct fp_http_cond *c)
{
	const struct fp_http_header *h;
	uint16_t i;
	int f;

	fp_http_ae_init(&c->ae);
	c->ae_bad = false;
	c->present = 0;
	memset(c->nb, 0, sizeof(c->nb));
	for (i = 0; i < req->nb_headers; i++) {
		h = &req->headers[i];
		/* By length first: most fields are none of these. */
		switch (h->name.len) {
		case 5:
			f = FP_HTTP_IEQ(h->name.p, 5, "range") ? FP_HTTP_CF_RANGE : -1;
			break;
		case 8:
			f = FP_HTTP_IEQ(h->name.p, 8, "if-match") ? FP_HTTP_CF_IF_MATCH :
				FP_HTTP_IEQ(h->name.p, 8, "if-range") ? FP_HTTP_CF_IF_RANGE : -1;
			break;
		case 13:
			f = FP_HTTP_IEQ(h->name.p, 13, "if-none-match") ?
				FP_HTTP_CF_IF_NONE_MATCH : -1;
			break;
		case 15:
			if (FP_HTTP_IEQ(h->name.p, 15, "accept-encoding") && !c->ae_bad &&
					fp_http_ae_parse(h->value.p, h->value.len, &c->ae) < 0)
				c->ae_bad = true;
			f = -1;
			break;
		case 17:
			f = FP_HTTP_IEQ(h->name.p, 17, "if-modified-since") ?
				FP_HTTP_CF_IF_MODIFIED_SINCE : -1;
			break;
		case 19:
			f = FP_HTTP_IEQ(h->name.p, 19, "if-unmodified-since") ?
				FP_HTTP_CF_IF_UNMODIFIED_SINCE : -1;
			break;
		default:
			f = -1;
			break;
		}
		if (f < 0)
			continue;
		c->present |= 1u << f;
		if (c->nb[f] < FP_HTTP_CF_LINES)
			c->v[f][c->nb[f]] = h->value;
		if (c->nb[f] <= FP_HTTP_CF_LINES)
			c->nb[f]++;
	}
	/* A malformed Accept-Encoding is ignored whole: as if absent. */
	if (c->ae_bad)
		fp_http_ae_init(&c->ae);
}

/* An entity-tag list field against rep: 1, 0, or -1 when it is to be
 * ignored (malformed, or in more lines than kept). Its lines make one list.
 */
static int
fp_http_cond_tags(const struct fp_http_cond *c, enum fp_http_cond_field f,
	const struct fp_http_rep *rep, bool strong)
{
	int m, any = 0;
	uint8_t i;

	if (c->nb[f] > FP_HTTP_CF_LINES)
		return -1;
	for (i = 0; i < c->nb[f]; i++) {
		m = fp_http_etag_match(c->v[f][i].p, c->v[f][i].len,
			rep->etag != NULL ? rep->etag : "", rep->etag != NULL ? rep->etag_len : 0,
			strong);
		if (m < 0)
			return -1;
		any |= m;
	}
	return any;
}

/* A date field: its value in *sec, false when it is to be ignored (not one
 * valid HTTP-date).
 */
static bool
fp_http_cond_date(const struct fp_http_cond *c, enum fp_http_cond_field f, int64_t now,
	int64_t *sec)
{
	return c->nb[f] == 1 && fp_http_date_parse(c->v[f][0].p, c->v[f][0].len, now, sec) >= 0;
}

void
fp_http_cond_eval(const struct fp_http_cond *c, uint8_t meth, const struct fp_http_rep *rep,
	int64_t now, struct fp_http_precond *v)
{
	bool get_head = meth == FP_HTTP_M_GET || meth == FP_HTTP_M_HEAD;
	struct fp_http_ranges rs;
	int64_t date;
	int m;

	v->status = 200;
	if (c->present == 0)
		return;
	/* 13.2.2 step 1: "When recipient is the origin server and If-Match is
	 * present, evaluate the If-Match precondition: if true, continue to
	 * step 3; if false, respond 412 (Precondition Failed)".
	 */
	m = (c->present & (1u << FP_HTTP_CF_IF_MATCH)) ?
		fp_http_cond_tags(c, FP_HTTP_CF_IF_MATCH, rep, true) : -1;
	if (m == 0) {
		v->status = 412;
		return;
	}
	/* Step 2: "When ... If-Match is not present, and If-Unmodified-Since
	 * is present", 412 when the representation changed after the date.
	 * 13.1.4: ignored "if the resource does not have a modification date
	 * available".
	 */
	if (!(c->present & (1u << FP_HTTP_CF_IF_MATCH)) && rep->mtime != 0 &&
			fp_http_cond_date(c, FP_HTTP_CF_IF_UNMODIFIED_SINCE, now, &date) &&
			rep->mtime > date) {
		v->status = 412;
		return;
	}
	/* Step 3: If-None-Match true continues; "if false for GET/HEAD,
	 * respond 304 (Not Modified); if false for other methods, respond
	 * 412". Weak comparison (13.1.2).
	 */
	if (c->present & (1u << FP_HTTP_CF_IF_NONE_MATCH)) {
		if (fp_http_cond_tags(c, FP_HTTP_CF_IF_NONE_MATCH, rep, false) == 1) {
			v->status = get_head ? 304 : 412;
			return;
		}
	} else if (get_head && rep->mtime != 0 &&
			fp_http_cond_date(c, FP_HTTP_CF_IF_MODIFIED_SINCE, now, &date) &&
			rep->mtime <= date) {
		/* Step 4: If-Modified-Since, for GET and HEAD only. */
		v->status = 304;
		return;
	}
	/* Step 5: "When the method is GET and both Range and If-Range are
	 * present, evaluate the If-Range precondition: if true and the Range
	 * is applicable to the selected representation, respond 206; otherwise
	 * ignore the Range header field and respond 200". 14.2: range
	 * handling is defined for GET only.
	 */
	if (meth != FP_HTTP_M_GET || !(c->present & (1u << FP_HTTP_CF_RANGE)) ||
			c->nb[FP_HTTP_CF_RANGE] != 1)
		return;
	if (c->present & (1u << FP_HTTP_CF_IF_RANGE)) {
		const struct fp_http_slice *ir = &c->v[FP_HTTP_CF_IF_RANGE][0];

		if (c->nb[FP_HTTP_CF_IF_RANGE] != 1)
			return;
		/* 13.1.5: an entity-tag compared strongly, or a date that
		 * "exactly matches the Last-Modified field value".
		 */
		/* An entity-tag starts with a quote or "W/"; a date may start
		 * with a W too (Wed).
		 */
		if (ir->len > 0 && (ir->p[0] == '"' ||
				(ir->len >= 2 && ir->p[0] == 'W' && ir->p[1] == '/'))) {
			if (rep->etag == NULL || ir->len != rep->etag_len ||
					memcmp(ir->p, rep->etag, ir->len) != 0)
				return;
		} else if (rep->mtime == 0 ||
				fp_http_date_parse(ir->p, ir->len, now, &date) < 0 ||
				date != rep->mtime) {
			return;
		}
	}
	if (fp_http_range_parse(c->v[FP_HTTP_CF_RANGE][0].p, c->v[FP_HTTP_CF_RANGE][0].len,
			rep->size, &rs) < 0)
		return;
	/* 14.4: "If all of the preconditions are true, the server supports
	 * the Range header field ..., and ... none of the ranges are
	 * satisfiable", 416.
	 */
	if (rs.nb == 0) {
		v->status = 416;
		return;
	}
	/* Several ranges apart: the whole representation (documented). */
	if (rs.nb == 1) {
		v->status = 206;
		v->range = rs.r[0];
	}
}
