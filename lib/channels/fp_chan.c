/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* Channels (fp_chan.h): subscriptions, publishing, the owner's numbering,
 * the fan-out to the workers and to their subscribers, history, and
 * /fastpath/channels.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_telemetry.h>

#include "fp_chan.h"
#include "fp_sse.h"
#include "fp_stats.h"
#include "fp_stats_tel.h"
#include "fp_tcp.h"
#include "fp_ws.h"
#include "fp_ws_frame.h"

#define FP_CHAN_NONE UINT32_MAX
/* Room before the payload for a server frame's header (2 + 8 bytes). */
#define FP_CHAN_WS_ROOM 10
/* The longest id line of an event: "id: " and 20 digits. */
#define FP_CHAN_ID_MAX "18446744073709551615"

/* One worker's copy of a message: the payload, its WebSocket frame around
 * it and its event-stream form after it. Only that worker touches sh.
 */
struct fp_chan_frame {
	struct rte_mbuf_ext_shared_info sh;
	struct fp_chan_server *cs;
	rte_iova_t iova;		/* of data */
	uint64_t id;
	/* The order it reached its worker in: what a subscriber was sent is
	 * told by this, not by the id, which starts again at 1 when the
	 * owner gave the channel's name back and it comes back.
	 */
	uint64_t lseq;
	uint32_t len;			/* payload, at data + FP_CHAN_WS_ROOM */
	uint32_t ws_off;
	uint32_t sse_off;
	uint32_t sse_len;
	uint32_t ent;			/* its channel on the frame's worker */
	uint16_t sec;
	uint16_t name_len;
	char name[FP_CHAN_NAME_MAX];
	uint8_t data[];
};

/* A channel name's key in a worker's table; zero-padded. */
struct fp_chan_key {
	uint16_t sec;
	uint16_t len;
	char name[FP_CHAN_NAME_MAX];
};

/* One channel on one worker. */
struct fp_chan_ent {
	char name[FP_CHAN_NAME_MAX];
	uint16_t sec;
	uint32_t subs;			/* first subscriber, or FP_CHAN_NONE */
	uint32_t nb_sse;
	uint32_t nb_ws;
	uint64_t last_id;		/* the owner: ids given; others: last seen */
	/* Counters, read by telemetry. */
	uint64_t published;		/* numbered here (the owner) */
	uint64_t delivered;		/* messages queued to subscribers */
	uint64_t bytes;
	uint64_t drops;			/* messages lost on the way to this worker */
	uint64_t slow;			/* slow subscribers disconnected */
	/* History: the last messages, oldest first, in a ring. */
	struct fp_chan_frame **hist;
	uint32_t hist_head;
	uint32_t hist_n;
	uint64_t hist_bytes;
	uint32_t queued;		/* messages of it in the worker's queue */
	uint8_t used;			/* a name holds it (telemetry skips it else) */
};

/* History in the order it was kept, over the worker's channels: what goes
 * when the worker's history is over its budget.
 */
struct fp_chan_kept {
	uint64_t id;
	uint32_t ent;
};

enum fp_chan_kind {
	FP_CHAN_SSE,
	FP_CHAN_WS,
};

/* A subscriber, by its context's index. */
struct fp_chan_sub {
	struct fp_http_ctx *x;		/* NULL: none */
	uint32_t next;
	uint32_t prev;
	uint32_t ent;
	uint8_t kind;
	uint8_t may_publish;
	uint64_t last_lseq;		/* the last message it was sent (its lseq) */
};

struct fp_chan_worker {
	struct fp_chan_server *cs;
	struct rte_hash *names;
	struct fp_chan_ent *ent;
	uint32_t *nb_ent;		/* per section; telemetry reads them */
	struct fp_chan_frame **hist;
	struct fp_chan_sub *subs;
	unsigned int id;
	uint32_t *free_ent;		/* per section: names given back, a stack */
	uint32_t *nb_free;
	/* History over all channels: at most hist_max frames. */
	struct fp_chan_kept *kept;
	uint32_t kept_cap;
	uint32_t kept_head;
	uint32_t kept_n;
	uint32_t hist_total;
	uint32_t hist_max;
	/* Messages being fanned out, oldest first, and the next subscriber
	 * of the oldest: a fan-out goes FP_CHAN_BURST subscribers at a time
	 * between two receive polls.
	 */
	struct fp_chan_frame **q;
	uint32_t q_cap;
	uint32_t q_head;
	uint32_t q_n;
	uint64_t lseq;			/* messages that reached this worker */
	uint32_t cur;			/* next subscriber, or FP_CHAN_NONE */
	uint32_t run;			/* messages from the head the fan-out ends */
	uint32_t avail;			/* of its channel from the head, now */
	uint32_t avail_qn;		/* q_n when avail was counted */
	uint32_t idle;			/* subscribers passed with nothing new */
	bool started;			/* cur and run are set for the oldest */
	bool pumping;			/* a pump is posted to this worker */
	bool in_pump;			/* a pump runs: what comes is only queued */
} __rte_cache_aligned;

/* Segments sent between two receive polls, roughly: a fan-out to
 * thousands would otherwise overflow the TX ring, and let the ACKs they
 * send back overflow the RX ring.
 */
#define FP_CHAN_BURST 32
/* Messages of one channel a subscriber is sent together, at most. */
#define FP_CHAN_RUN 64
/* A full segment's payload, for the budget. */
#define FP_CHAN_SEG 1400
/* Subscribers of one channel on one worker: each holds references of a
 * message's copy, whose count is 16 bits.
 */
#define FP_CHAN_SUBS_MAX 16384
/* A chunk's size line and CRLF around an event, at most. */
#define FP_CHAN_FRAMING 18

struct fp_chan_sec {
	struct fp_config_channel c;
	struct fp_chan_server *cs;
	uint16_t idx;
	uint32_t ent_base;		/* its names' range in each worker's ent */
	size_t hist_base;		/* and in hist */
	uint32_t sse_cap;		/* room for the event-stream form */
};

struct fp_chan_server {
	struct fp_http_server *srv;
	struct rte_mempool *pool;
	unsigned int nb_workers;
	unsigned int nb_sec;
	uint32_t nb_ent;		/* names of all sections, per worker */
	struct fp_chan_sec sec[FP_MAX_CHANNELS];
	struct fp_chan_worker *w;
};

static const struct fp_ws_ops fp_chan_ws_ops;

bool
fp_chan_name_ok(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || len >= FP_CHAN_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				c == '-' || c == '.' || c == '_' || c == '~'))
			return false;
	}
	return true;
}

static void
fp_chan_key(struct fp_chan_key *k, uint16_t sec, const char *name, size_t len)
{
	memset(k, 0, sizeof(*k));
	k->sec = sec;
	k->len = len;
	memcpy(k->name, name, len);
}

/* The worker that numbers the channel's messages. */
static unsigned int
fp_chan_owner(const struct fp_chan_server *cs, const struct fp_chan_key *k)
{
	return rte_hash_crc(k, sizeof(*k), 0) % cs->nb_workers;
}

/* The channel's entry on worker cw, made when new; NULL when the section's
 * names are all taken.
 */
static struct fp_chan_ent *
fp_chan_ent(struct fp_chan_worker *cw, const struct fp_chan_key *k)
{
	const struct fp_chan_sec *s = &cw->cs->sec[k->sec];
	struct fp_chan_ent *e;
	uint32_t i;
	void *data;

	if (rte_hash_lookup_data(cw->names, k, &data) >= 0)
		return &cw->ent[(uintptr_t)data];
	/* A name given back, else a new one. */
	if (cw->nb_free[k->sec] != 0)
		i = cw->free_ent[s->ent_base + --cw->nb_free[k->sec]];
	else if (cw->nb_ent[k->sec] < s->c.names)
		i = s->ent_base + cw->nb_ent[k->sec];
	else
		return NULL;
	if (rte_hash_add_key_data(cw->names, k, (void *)(uintptr_t)i) != 0) {
		if (i != s->ent_base + cw->nb_ent[k->sec])
			cw->free_ent[s->ent_base + cw->nb_free[k->sec]++] = i;
		return NULL;
	}
	e = &cw->ent[i];
	memset(e, 0, sizeof(*e));
	memcpy(e->name, k->name, k->len);
	e->sec = k->sec;
	e->subs = FP_CHAN_NONE;
	e->hist = cw->hist + s->hist_base + (size_t)(i - s->ent_base) * s->c.history;
	__atomic_store_n(&e->used, 1, __ATOMIC_RELEASE);
	/* Telemetry reads the entry once the count covers it. */
	if (i == s->ent_base + cw->nb_ent[k->sec])
		__atomic_store_n(&cw->nb_ent[k->sec], cw->nb_ent[k->sec] + 1, __ATOMIC_RELEASE);
	return e;
}

/* A channel nobody subscribes to, with no history and nothing queued, gives
 * its name back: names clients make up (GET PREFIX random) do not stay.
 * Its ids start again from 1 if it comes back, as after a restart; nobody
 * holds one of its ids in history here, and the other workers' subscribers
 * go by the order messages reach them (lseq), so they miss none.
 */
static void
fp_chan_ent_release(struct fp_chan_worker *cw, struct fp_chan_ent *e)
{
	struct fp_chan_key k;
	uint32_t i = e - cw->ent;

	if (!e->used || e->subs != FP_CHAN_NONE || e->hist_n != 0 || e->queued != 0)
		return;
	fp_chan_key(&k, e->sec, e->name, strnlen(e->name, FP_CHAN_NAME_MAX));
	if (rte_hash_del_key(cw->names, &k) < 0)
		return;
	__atomic_store_n(&e->used, 0, __ATOMIC_RELEASE);
	cw->free_ent[cw->cs->sec[e->sec].ent_base + cw->nb_free[e->sec]++] = i;
}

/* Frames. */

static void
fp_chan_frame_free(void *addr __rte_unused, void *opaque)
{
	struct fp_chan_frame *f = opaque;

	rte_mempool_put(f->cs->pool, f);
}

static struct fp_chan_frame *
fp_chan_frame_get(struct fp_chan_server *cs)
{
	struct fp_chan_frame *f;
	void *obj;

	if (rte_mempool_get(cs->pool, &obj) != 0)
		return NULL;
	f = obj;
	f->cs = cs;
	f->iova = rte_mempool_virt2iova(f) + offsetof(struct fp_chan_frame, data);
	f->sh.free_cb = fp_chan_frame_free;
	f->sh.fcb_opaque = f;
	rte_mbuf_ext_refcnt_set(&f->sh, 1);
	return f;
}

static void
fp_chan_frame_put(struct fp_chan_frame *f)
{
	fp_tcp_sh_put(&f->sh, f->data);
}

static const uint8_t *
fp_chan_payload(const struct fp_chan_frame *f)
{
	return f->data + FP_CHAN_WS_ROOM;
}

/* Writes the frame's WebSocket header before its payload and its event
 * after it, numbered id. False when the event does not fit (checked at
 * publishing: not expected).
 */
static bool
fp_chan_build(struct fp_chan_frame *f, uint32_t sse_cap)
{
	struct fp_sse_event ev = { .data = (const char *)fp_chan_payload(f), .data_len = f->len };
	uint8_t hdr[FP_CHAN_WS_ROOM];
	char id[24];
	size_t hl;
	long n;

	hl = fp_ws_server_header(hdr, true, FP_WS_OP_TEXT, f->len);
	f->ws_off = FP_CHAN_WS_ROOM - hl;
	memcpy(f->data + f->ws_off, hdr, hl);
	snprintf(id, sizeof(id), "%" PRIu64, f->id);
	ev.id = id;
	f->sse_off = FP_CHAN_WS_ROOM + f->len;
	n = fp_sse_format((char *)f->data + f->sse_off, sse_cap, &ev);
	if (n < 0)
		return false;
	f->sse_len = n;
	return true;
}

/* Subscribers. */

static void
fp_chan_link(struct fp_chan_worker *cw, uint32_t si, struct fp_chan_ent *e)
{
	struct fp_chan_sub *sub = &cw->subs[si];

	sub->ent = e - cw->ent;
	sub->prev = FP_CHAN_NONE;
	sub->next = e->subs;
	if (e->subs != FP_CHAN_NONE)
		cw->subs[e->subs].prev = si;
	e->subs = si;
	if (sub->kind == FP_CHAN_SSE)
		e->nb_sse++;
	else
		e->nb_ws++;
}

static void
fp_chan_unlink(struct fp_chan_worker *cw, uint32_t si)
{
	struct fp_chan_sub *sub = &cw->subs[si];
	struct fp_chan_ent *e = &cw->ent[sub->ent];

	if (sub->x == NULL)
		return;
	/* The fan-out in progress goes on with the next one. */
	if (cw->started && cw->cur == si)
		cw->cur = sub->next;
	if (sub->prev != FP_CHAN_NONE)
		cw->subs[sub->prev].next = sub->next;
	else
		e->subs = sub->next;
	if (sub->next != FP_CHAN_NONE)
		cw->subs[sub->next].prev = sub->prev;
	if (sub->kind == FP_CHAN_SSE)
		e->nb_sse--;
	else
		e->nb_ws--;
	sub->x = NULL;
	fp_chan_ent_release(cw, e);
}

static struct fp_chan_worker *
fp_chan_worker_of(struct fp_chan_server *cs, const struct fp_http_ctx *x)
{
	return &cs->w[fp_http_ctx_worker(x)];
}

/* A subscriber that fell behind its backlog, or whose send buffer is full:
 * it goes, and the memory it would hold with it.
 */
static void
fp_chan_drop_slow(struct fp_chan_worker *cw, uint32_t si)
{
	struct fp_chan_sub *sub = &cw->subs[si];
	struct fp_http_ctx *x = sub->x;
	uint8_t kind = sub->kind;

	cw->ent[sub->ent].slow++;
	fp_count(fp_http_ctx_stats(x), FP_C_chan_slow_disconnects, 1);
	fp_chan_unlink(cw, si);
	/* RFC 6455 7.4.1: 1008, "a message that violates its policy". */
	if (kind == FP_CHAN_WS)
		fp_ws_close(x, FP_WS_CLOSE_policy_violation, "subscriber too slow");
	else
		fp_http_stream_end(x);
}

/* What fp_chan_send() did. */
enum fp_chan_sent {
	FP_CHAN_SENT,		/* queued, or sent before */
	FP_CHAN_STOP,		/* dropped as slow, gone, or a replay that stops */
	FP_CHAN_STARVED,	/* the worker's copy chunks or pieces are short */
};

/* Queues f to subscriber si, not sent yet (fp_http_push()). A live message
 * past the subscriber's backlog or send buffer drops it as slow; a
 * replayed one (replay) only stops the replay, the caller says why. When
 * the worker, not the subscriber, is short of room, nothing is dropped.
 */
static enum fp_chan_sent
fp_chan_send(struct fp_chan_worker *cw, uint32_t si, struct fp_chan_frame *f, bool replay)
{
	const struct fp_chan_sec *s = &cw->cs->sec[f->sec];
	struct fp_chan_sub *sub = &cw->subs[si];
	struct fp_chan_ent *e = &cw->ent[sub->ent];
	uint32_t len, backlog;
	int ret;

	/* Sent already: from history (Last-Event-ID), or along with an
	 * earlier fan-out.
	 */
	if (f->lseq <= sub->last_lseq)
		return FP_CHAN_SENT;
	len = sub->kind == FP_CHAN_SSE ? f->sse_len : FP_CHAN_WS_ROOM - f->ws_off + f->len;
	backlog = fp_http_ctx_backlog(sub->x);
	if (backlog + len > s->c.backlog ||
			backlog + len + FP_CHAN_FRAMING > sub->x->hw->tcp->p.sndbuf) {
		if (!replay)
			fp_chan_drop_slow(cw, si);
		return FP_CHAN_STOP;
	}
	if (sub->kind == FP_CHAN_SSE)
		ret = fp_http_write_ref(sub->x, f->data + f->sse_off, f->iova + f->sse_off, len,
			&f->sh, true);
	else
		ret = fp_ws_send_ref(sub->x, f->data + f->ws_off, f->iova + f->ws_off, len,
			&f->sh, f->len, true);
	/* The subscriber has room (above): the worker has not, for now. */
	if (ret == -EAGAIN)
		return replay ? FP_CHAN_STOP : FP_CHAN_STARVED;
	if (ret != 0)
		return FP_CHAN_STOP;
	sub->last_lseq = f->lseq;
	e->delivered++;
	e->bytes += len;
	fp_count(fp_http_ctx_stats(sub->x), FP_C_chan_delivered, 1);
	return FP_CHAN_SENT;
}

/* Drops e's oldest kept message. */
static void
fp_chan_forget(struct fp_chan_worker *cw, struct fp_chan_ent *e)
{
	const struct fp_chan_sec *s = &cw->cs->sec[e->sec];
	struct fp_chan_frame *old = e->hist[e->hist_head];

	e->hist_head = (e->hist_head + 1) % s->c.history;
	e->hist_n--;
	e->hist_bytes -= old->len;
	cw->hist_total--;
	fp_chan_frame_put(old);
}

/* The worker's oldest kept record: its message goes if it is still its
 * channel's oldest (else the channel dropped it already).
 */
static void
fp_chan_forget_oldest(struct fp_chan_worker *cw)
{
	struct fp_chan_kept *k = &cw->kept[cw->kept_head];
	struct fp_chan_ent *e = &cw->ent[k->ent];

	cw->kept_head = (cw->kept_head + 1) % cw->kept_cap;
	cw->kept_n--;
	if (e->used && e->hist_n != 0 && e->hist[e->hist_head]->id == k->id) {
		fp_chan_forget(cw, e);
		fp_chan_ent_release(cw, e);
	}
}

/* Keeps f in e's history, dropping the oldest past the section's bounds,
 * and past the worker's: all channels' history together holds half of
 * its message copies at most, so that it never starves publishing.
 */
static void
fp_chan_remember(struct fp_chan_worker *cw, struct fp_chan_ent *e, struct fp_chan_frame *f)
{
	const struct fp_chan_sec *s = &cw->cs->sec[e->sec];
	struct fp_chan_kept *k;

	if (s->c.history == 0 || f->len > s->c.history_bytes)
		return;
	while (e->hist_n != 0 && (e->hist_n == s->c.history ||
			e->hist_bytes + f->len > s->c.history_bytes))
		fp_chan_forget(cw, e);
	rte_mbuf_ext_refcnt_update(&f->sh, 1);
	e->hist[(e->hist_head + e->hist_n) % s->c.history] = f;
	e->hist_n++;
	e->hist_bytes += f->len;
	cw->hist_total++;
	if (cw->kept_n == cw->kept_cap)
		fp_chan_forget_oldest(cw);
	k = &cw->kept[(cw->kept_head + cw->kept_n) % cw->kept_cap];
	k->id = f->id;
	k->ent = e - cw->ent;
	cw->kept_n++;
	while (cw->hist_total > cw->hist_max && cw->kept_n != 0)
		fp_chan_forget_oldest(cw);
}

static void fp_chan_pump_post(struct fp_chan_worker *cw, struct fp_stats *st);

/* fp_chan_send_run(): the worker ran short; the subscriber is tried again. */
#define FP_CHAN_STARVED_RUN UINT32_MAX

/* Sends run messages from the queue's head, all of one channel, to
 * subscriber si, then pushes them together: under load a subscriber's
 * messages share segments (fewer packets, fewer ACKs).
 */
static uint32_t
fp_chan_send_run(struct fp_chan_worker *cw, uint32_t si, uint32_t run)
{
	struct fp_http_ctx *x = cw->subs[si].x;
	uint32_t i, before = fp_http_ctx_backlog(x);
	enum fp_chan_sent r = FP_CHAN_SENT;

	for (i = 0; i < run && r == FP_CHAN_SENT; i++)
		r = fp_chan_send(cw, si, cw->q[(cw->q_head + i) % cw->q_cap], false);
	if (r == FP_CHAN_STOP)
		return 1;	/* dropped, or gone: nothing to push */
	if (r == FP_CHAN_SENT && fp_http_ctx_backlog(x) == before)
		return 0;	/* it had them all already */
	/* About the segments it makes. */
	i = (fp_http_ctx_backlog(x) - before) / FP_CHAN_SEG + 1;
	fp_http_push(x);
	return r == FP_CHAN_STARVED ? FP_CHAN_STARVED_RUN : i;
}

/* The messages of the head's channel queued one after the other from the
 * head, FP_CHAN_RUN at most: counted again only when the queue grew.
 */
static uint32_t
fp_chan_avail(struct fp_chan_worker *cw)
{
	uint32_t ent = cw->q[cw->q_head]->ent;

	if (cw->avail_qn == cw->q_n)
		return cw->avail;
	while (cw->avail < cw->q_n && cw->avail < FP_CHAN_RUN &&
			cw->q[(cw->q_head + cw->avail) % cw->q_cap]->ent == ent)
		cw->avail++;
	cw->avail_qn = cw->q_n;
	return cw->avail;
}

/* Sends the queued messages to their subscribers, about budget segments,
 * in order: the oldest run of one channel's messages
 * to all its subscribers before the next. Returns whether some are left.
 */
static bool
fp_chan_pump_run(struct fp_chan_worker *cw, unsigned int budget, struct fp_stats *st)
{
	struct fp_chan_frame *f;
	struct fp_chan_ent *e;
	uint32_t si, i, n;

	while (cw->q_n != 0) {
		f = cw->q[cw->q_head];
		if (!cw->started) {
			/* The messages of f's channel that wait behind it: this
			 * fan-out ends them.
			 */
			cw->avail = 1;
			cw->avail_qn = 0;
			cw->run = fp_chan_avail(cw);
			cw->cur = cw->ent[f->ent].subs;
			cw->idle = 0;
			cw->started = true;
		}
		while (cw->cur != FP_CHAN_NONE) {
			if (budget == 0)
				return true;
			si = cw->cur;
			cw->cur = cw->subs[si].next;
			/* It may unlink si (a slow one): cur moved on first.
			 * What came for the channel since the fan-out began
			 * goes along: a subscriber late in a fan-out to
			 * thousands gets more at once, in fewer segments,
			 * and the next fan-out finds it has them (its last
			 * lseq says).
			 */
			n = fp_chan_send_run(cw, si, fp_chan_avail(cw));
			/* Passing one that had them all is cheap, not free. */
			if (n == 0 && ++cw->idle % 16 == 0)
				n = 1;
			if (n == FP_CHAN_STARVED_RUN) {
				/* After a poll, from this one (what it got is
				 * not sent twice: its last lseq says).
				 */
				if (cw->subs[si].x != NULL)
					cw->cur = si;
				fp_count(st, FP_C_chan_starved, 1);
				return true;
			}
			budget = n < budget ? budget - n : 0;
		}
		cw->started = false;
		e = &cw->ent[f->ent];
		for (i = 0; i < cw->run; i++) {
			fp_chan_frame_put(cw->q[cw->q_head]);
			cw->q_head = (cw->q_head + 1) % cw->q_cap;
		}
		cw->q_n -= cw->run;
		e->queued -= cw->run;
		fp_chan_ent_release(cw, e);
	}
	return false;
}

/* fp_chan_pump_run(), which must not run inside itself: a subscriber it
 * drops may end a stream whose connection then serves a pipelined publish,
 * whose messages are only queued meanwhile.
 */
static bool
fp_chan_pump(struct fp_chan_worker *cw, unsigned int budget, struct fp_stats *st)
{
	bool more;

	cw->in_pump = true;
	more = fp_chan_pump_run(cw, budget, st);
	cw->in_pump = false;
	return more;
}

static void
fp_chan_on_pump(struct fp_http_worker *w, const struct fp_http_handle *h __rte_unused,
	void *arg)
{
	struct fp_chan_worker *cw = arg;

	cw->pumping = false;
	if (!cw->in_pump && fp_chan_pump(cw, FP_CHAN_BURST, w->st))
		fp_chan_pump_post(cw, w->st);
}

/* The rest after the next receive poll: posted to this worker itself. */
static void
fp_chan_pump_post(struct fp_chan_worker *cw, struct fp_stats *st)
{
	struct fp_http_handle h = { .worker = cw->id };

	if (cw->pumping)
		return;
	if (fp_http_post(cw->cs->srv, &h, fp_chan_on_pump, cw) == 0) {
		cw->pumping = true;
		return;
	}
	/* No room to post even that: finish now rather than stall. */
	fp_count(st, FP_C_chan_pump_unbounded, 1);
	if (!cw->in_pump)
		fp_chan_pump(cw, UINT32_MAX, st);
}

/* A numbered message reached worker cw: its frames are built once, kept
 * in history, and queued for every subscriber. Takes f's reference.
 */
static void
fp_chan_deliver(struct fp_chan_worker *cw, struct fp_chan_frame *f, struct fp_stats *st)
{
	const struct fp_chan_sec *s = &cw->cs->sec[f->sec];
	struct fp_chan_key k;
	struct fp_chan_ent *e;

	fp_chan_key(&k, f->sec, f->name, f->name_len);
	e = fp_chan_ent(cw, &k);
	if (e == NULL || !fp_chan_build(f, s->sse_cap) || cw->q_n == cw->q_cap) {
		/* The worker's name table is full (its subscribers of this
		 * channel cannot exist, but the message is lost to history),
		 * or its queue (no more than its frames: not expected).
		 */
		fp_count(st, FP_C_chan_drops, 1);
		fp_chan_frame_put(f);
		return;
	}
	f->ent = e - cw->ent;
	f->lseq = ++cw->lseq;
	e->last_id = f->id;
	fp_chan_remember(cw, e, f);
	if (e->subs == FP_CHAN_NONE && cw->q_n == 0) {
		fp_chan_frame_put(f);
		fp_chan_ent_release(cw, e);
		return;
	}
	cw->q[(cw->q_head + cw->q_n) % cw->q_cap] = f;
	cw->q_n++;
	e->queued++;
	/* A burst now when nothing waits; the rest after the next poll. */
	if (!cw->pumping && !cw->in_pump && fp_chan_pump(cw, FP_CHAN_BURST, st))
		fp_chan_pump_post(cw, st);
}

static void
fp_chan_on_deliver(struct fp_http_worker *w, const struct fp_http_handle *h __rte_unused,
	void *arg)
{
	struct fp_chan_frame *f = arg;

	fp_chan_deliver(&f->cs->w[fp_http_worker_id(w)], f, w->st);
}

/* On the owner: numbers f and sends each other worker its copy. */
static void
fp_chan_number(struct fp_chan_worker *cw, struct fp_chan_frame *f, struct fp_stats *st)
{
	struct fp_chan_server *cs = cw->cs;
	struct fp_http_handle h = { 0 };
	struct fp_chan_frame *g;
	struct fp_chan_key k;
	struct fp_chan_ent *e;
	unsigned int d;

	fp_chan_key(&k, f->sec, f->name, f->name_len);
	e = fp_chan_ent(cw, &k);
	if (e == NULL) {
		fp_count(st, FP_C_chan_drops, 1);
		fp_chan_frame_put(f);
		return;
	}
	f->id = ++e->last_id;
	e->published++;
	for (d = 0; d < cs->nb_workers; d++) {
		if (d == cw->id)
			continue;
		g = fp_chan_frame_get(cs);
		if (g != NULL) {
			memcpy(&g->id, &f->id, offsetof(struct fp_chan_frame, data) -
				offsetof(struct fp_chan_frame, id));
			memcpy(g->data + FP_CHAN_WS_ROOM, fp_chan_payload(f), f->len);
			h.worker = d;
			if (fp_http_post(cs->srv, &h, fp_chan_on_deliver, g) == 0)
				continue;
			fp_chan_frame_put(g);
		}
		/* That worker's subscribers miss this id: counted here. */
		e->drops++;
		fp_count(st, FP_C_chan_drops, 1);
	}
	fp_chan_deliver(cw, f, st);
}

static void
fp_chan_on_publish(struct fp_http_worker *w, const struct fp_http_handle *h __rte_unused,
	void *arg)
{
	struct fp_chan_frame *f = arg;

	fp_chan_number(&f->cs->w[fp_http_worker_id(w)], f, w->st);
}

/* Publishes p[0, n) to section sec's channel name from worker cw. Returns
 * 0, -EINVAL (empty, or not UTF-8), -EMSGSIZE (over max_message, or an
 * event stream form too long) or -ENOBUFS (no copy free, or the owner's
 * ring full).
 */
static int
fp_chan_publish(struct fp_chan_worker *cw, struct fp_stats *st, uint16_t sec, const char *name,
	size_t nl, const uint8_t *p, size_t n)
{
	struct fp_chan_server *cs = cw->cs;
	const struct fp_chan_sec *s = &cs->sec[sec];
	struct fp_sse_event ev = { .id = FP_CHAN_ID_MAX, .data = (const char *)p, .data_len = n };
	struct fp_http_handle h = { 0 };
	struct fp_utf8 u = { 0 };
	struct fp_chan_frame *f;
	struct fp_chan_key k;
	unsigned int owner;

	if (n > s->c.max_message)
		return -EMSGSIZE;
	/* Events are text: RFC 6455 frames them as text, and the event
	 * stream is UTF-8. An empty message would dispatch no event.
	 */
	if (n == 0 || !fp_utf8_feed(&u, p, n) || !fp_utf8_whole(&u))
		return -EINVAL;
	f = fp_chan_frame_get(cs);
	if (f == NULL)
		return -ENOBUFS;
	f->len = n;
	f->sec = sec;
	f->name_len = nl;
	memset(f->name, 0, sizeof(f->name));
	memcpy(f->name, name, nl);
	memcpy(f->data + FP_CHAN_WS_ROOM, p, n);
	/* With the longest id: every worker's event will fit. */
	if (fp_sse_format((char *)f->data + FP_CHAN_WS_ROOM + n, s->sse_cap, &ev) < 0) {
		fp_chan_frame_put(f);
		return -EMSGSIZE;
	}
	fp_chan_key(&k, sec, name, nl);
	owner = fp_chan_owner(cs, &k);
	if (owner == cw->id) {
		fp_chan_number(cw, f, st);
		return 0;
	}
	h.worker = owner;
	if (fp_http_post(cs->srv, &h, fp_chan_on_publish, f) != 0) {
		fp_chan_frame_put(f);
		return -ENOBUFS;
	}
	return 0;
}

/* Handlers. */

/* RFC 6750 2.1: "Authorization: Bearer <token>". True when the section
 * has no token or the request carries it.
 */
static bool
fp_chan_token_ok(const struct fp_http_ctx *x, const struct fp_chan_sec *s, bool *given)
{
	struct fp_http_slice v;
	size_t tl = strlen(s->c.token), i;
	uint8_t diff = 0;

	*given = false;
	if (tl == 0)
		return true;
	if (!fp_http_ctx_header(x, "Authorization", &v) || v.len < 7 ||
			strncasecmp(v.p, "Bearer ", 7) != 0)
		return false;
	*given = true;
	if (v.len - 7 != tl)
		return false;
	/* In constant time: the comparison tells nothing of the token. */
	for (i = 0; i < tl; i++)
		diff |= v.p[7 + i] ^ s->c.token[i];
	return diff == 0;
}

/* The ON_REQUEST hook: a POST to a channel with a token needs it. */
static int
fp_chan_hook(struct fp_http_ctx *x, void *arg)
{
	struct fp_chan_server *cs = arg;
	struct fp_http_slice path = fp_http_ctx_path(x);
	const struct fp_chan_sec *s = NULL;
	size_t pl, best = 0;
	unsigned int i;
	bool given;

	if (fp_http_ctx_method(x) != FP_HTTP_M_POST)
		return FP_HTTP_CONTINUE;
	/* The section routing picks: the longest prefix (nested ones). */
	for (i = 0; i < cs->nb_sec; i++) {
		pl = strlen(cs->sec[i].c.prefix);
		if (pl > best && path.len >= pl && memcmp(path.p, cs->sec[i].c.prefix, pl) == 0) {
			best = pl;
			s = &cs->sec[i];
		}
	}
	if (s != NULL) {
		if (fp_chan_token_ok(x, s, &given))
			return FP_HTTP_CONTINUE;
		/* RFC 6750 3.1: no credentials, 401 with the scheme; a wrong
		 * token, refused.
		 */
		fp_http_set_error(x, given ? 403 : 401, false);
		if (!given)
			fp_http_add_header(x, "WWW-Authenticate", "Bearer realm=\"channels\"");
		fp_count(fp_http_ctx_stats(x), FP_C_chan_unauthorized, 1);
		return FP_HTTP_DONE;
	}
	return FP_HTTP_CONTINUE;
}

static void
fp_chan_sse_closed(struct fp_http_ctx *x, void *arg)
{
	struct fp_chan_worker *cw = arg;
	uint32_t si = fp_http_ctx_id(x);

	if (cw->subs[si].x == x)
		fp_chan_unlink(cw, si);
}

/* A graceful shutdown ends the event stream: the client reconnects, with
 * its Last-Event-ID, to a server that runs.
 */
static void
fp_chan_sse_drain(struct fp_http_ctx *x, void *arg)
{
	struct fp_chan_worker *cw = arg;
	uint32_t si = fp_http_ctx_id(x);

	if (cw->subs[si].x != x)
		return;
	fp_chan_unlink(cw, si);
	fp_http_stream_end(x);
}

static void
fp_chan_ws_closed(struct fp_http_ctx *x, void *arg, uint16_t code __rte_unused)
{
	fp_chan_sse_closed(x, arg);
}

/* A subscriber's WebSocket message: a publish where the section takes
 * them.
 */
static void
fp_chan_ws_message(struct fp_http_ctx *x, void *arg, uint8_t opcode, const uint8_t *p, size_t n)
{
	struct fp_chan_worker *cw = arg;
	uint32_t si = fp_http_ctx_id(x);
	struct fp_chan_sub *sub = &cw->subs[si];
	const struct fp_chan_ent *e;
	const struct fp_chan_sec *s;
	int ret;

	if (sub->x != x)
		return;
	e = &cw->ent[sub->ent];
	s = &cw->cs->sec[e->sec];
	if (!sub->may_publish || (s->c.publish != FP_CHAN_PUB_websocket &&
			s->c.publish != FP_CHAN_PUB_both)) {
		fp_count(fp_http_ctx_stats(x), FP_C_chan_unauthorized, 1);
		fp_ws_close(x, FP_WS_CLOSE_policy_violation, "publishing not allowed");
		return;
	}
	if (opcode != FP_WS_OP_TEXT) {
		fp_ws_close(x, FP_WS_CLOSE_unsupported_data, "channels carry text");
		return;
	}
	ret = fp_chan_publish(cw, fp_http_ctx_stats(x), e->sec, e->name, strlen(e->name), p, n);
	if (ret == -EMSGSIZE)
		fp_ws_close(x, FP_WS_CLOSE_message_too_big, "");
	else if (ret == -EINVAL)
		fp_ws_close(x, FP_WS_CLOSE_invalid_payload, "");
	else if (ret != 0)
		fp_ws_close(x, FP_WS_CLOSE_try_again_later, "");
	else
		fp_count(fp_http_ctx_stats(x), FP_C_chan_published, 1);
}

static const struct fp_ws_ops fp_chan_ws_ops = {
	.message = fp_chan_ws_message,
	.closed = fp_chan_ws_closed,
};

/* The history after Last-Event-ID last (all of it when last is not one of
 * the ids this worker knows: a restart, or the client's own). False when
 * it did not fit the send buffer: the stream ends, and the client comes
 * back with the last id it got.
 */
static bool
fp_chan_replay(struct fp_chan_worker *cw, uint32_t si, struct fp_chan_ent *e, uint64_t last)
{
	const struct fp_chan_sec *s = &cw->cs->sec[e->sec];
	struct fp_chan_frame *f;
	uint64_t first;
	uint32_t i;

	if (e->hist_n == 0)
		return true;
	first = e->hist[e->hist_head]->id;
	if (last + 1 < first || last > e->last_id)
		last = 0;
	for (i = 0; i < e->hist_n; i++) {
		f = e->hist[(e->hist_head + i) % s->c.history];
		if (f->id > last && fp_chan_send(cw, si, f, true) != FP_CHAN_SENT)
			return false;
	}
	fp_http_push(cw->subs[si].x);
	return true;
}

static int
fp_chan_subscribe(struct fp_http_ctx *x, struct fp_chan_worker *cw, uint16_t sec,
	struct fp_http_slice name)
{
	const struct fp_chan_sec *s = &cw->cs->sec[sec];
	struct fp_ws_params wp = { .max_message = s->c.max_message };
	uint32_t si = fp_http_ctx_id(x);
	struct fp_chan_sub *sub = &cw->subs[si];
	struct fp_http_slice v;
	struct fp_chan_key k;
	struct fp_chan_ent *e;
	bool ws, given, resume = false;
	uint64_t last = 0;

	ws = fp_http_ctx_header(x, "Upgrade", &v);
	if (!ws && (!fp_http_ctx_header(x, "Accept", &v) ||
			memmem(v.p, v.len, "text/event-stream", 17) == NULL)) {
		/* RFC 9110 15.5.7: none of the representations it accepts. */
		fp_http_set_error(x, 406, false);
		return FP_HTTP_DONE;
	}
	fp_chan_key(&k, sec, name.p, name.len);
	e = fp_chan_ent(cw, &k);
	if (e == NULL || e->nb_sse + e->nb_ws >= FP_CHAN_SUBS_MAX) {
		fp_http_set_error(x, 503, false);
		fp_http_add_header(x, "Retry-After", "1");
		return FP_HTTP_DONE;
	}
	/* Ids are decimal: anything else is as if absent. */
	if (fp_http_ctx_header(x, "Last-Event-ID", &v) && v.len > 0 && v.len < 20) {
		size_t i;

		for (i = 0; i < v.len && v.p[i] >= '0' && v.p[i] <= '9'; i++)
			last = last * 10 + (v.p[i] - '0');
		resume = i == v.len;
	}
	sub->may_publish = fp_chan_token_ok(x, s, &given);
	sub->last_lseq = 0;
	if (ws) {
		if (fp_ws_accept(x, &wp, &fp_chan_ws_ops, cw) != 0)
			return FP_HTTP_DONE;
		sub->kind = FP_CHAN_WS;
	} else {
		if (fp_sse_start(x, NULL, NULL) != 0) {
			fp_http_set_error(x, 503, false);
			return FP_HTTP_DONE;
		}
		sub->kind = FP_CHAN_SSE;
		fp_http_on_close(x, fp_chan_sse_closed, cw);
		fp_http_on_drain(x, fp_chan_sse_drain, cw);
		if (s->c.heartbeat_ms != 0)
			fp_sse_heartbeat(x, s->c.heartbeat_ms);
	}
	sub->x = x;
	fp_chan_link(cw, si, e);
	fp_count(fp_http_ctx_stats(x), FP_C_chan_subscribed, 1);
	if (resume && !fp_chan_replay(cw, si, e, last) && sub->x == x) {
		fp_chan_unlink(cw, si);
		if (ws)
			fp_ws_close(x, FP_WS_CLOSE_try_again_later, "history over the send buffer");
		else
			fp_http_stream_end(x);
	}
	return FP_HTTP_ASYNC;
}

/* GET PREFIX NAME subscribes, POST publishes. */
static int
fp_chan_handler(struct fp_http_ctx *x, void *arg)
{
	const struct fp_chan_sec *s = arg;
	struct fp_chan_worker *cw = fp_chan_worker_of(s->cs, x);
	struct fp_http_slice name = fp_http_ctx_rest(x), body;
	int ret;

	if (!fp_chan_name_ok(name.p, name.len)) {
		fp_http_set_error(x, 404, false);
		return FP_HTTP_DONE;
	}
	/* RFC 9110 9.3.2: HEAD is GET without the content, and a
	 * subscription's content never ends: the event stream's head alone,
	 * no subscriber.
	 */
	if (fp_http_ctx_method(x) == FP_HTTP_M_HEAD) {
		if (fp_sse_start(x, NULL, NULL) != 0)
			return FP_HTTP_DONE;
		fp_http_stream_end(x);
		return FP_HTTP_ASYNC;
	}
	if (fp_http_ctx_method(x) != FP_HTTP_M_POST)
		return fp_chan_subscribe(x, cw, s->idx, name);
	body = fp_http_ctx_body(x);
	ret = fp_chan_publish(cw, fp_http_ctx_stats(x), s->idx, name.p, name.len,
		(const uint8_t *)body.p, body.len);
	switch (ret) {
	case 0:
		fp_count(fp_http_ctx_stats(x), FP_C_chan_published, 1);
		/* RFC 9110 15.3.3: accepted for processing, which happens on
		 * the channel's owner.
		 */
		fp_http_set_status(x, 202);
		fp_http_set_type(x, "text/plain; charset=utf-8");
		fp_http_set_body(x, "accepted\n", 9);
		return FP_HTTP_DONE;
	case -EMSGSIZE:
		fp_http_set_error(x, 413, false);
		return FP_HTTP_DONE;
	case -EINVAL:
		fp_http_set_error(x, 400, false);
		return FP_HTTP_DONE;
	default:
		fp_count(fp_http_ctx_stats(x), FP_C_chan_refused, 1);
		fp_http_set_error(x, 503, false);
		fp_http_add_header(x, "Retry-After", "1");
		return FP_HTTP_DONE;
	}
}

/* Set-up. */

/* The server /fastpath/channels reads. */
static struct fp_chan_server *fp_chan_tel_cs;

void
fp_chan_server_free(struct fp_chan_server *cs)
{
	unsigned int w;

	if (cs == NULL)
		return;
	if (fp_chan_tel_cs == cs)
		fp_chan_tel_cs = NULL;
	for (w = 0; cs->w != NULL && w < cs->nb_workers; w++) {
		struct fp_chan_worker *cw = &cs->w[w];

		rte_hash_free(cw->names);
		rte_free(cw->ent);
		rte_free(cw->nb_ent);
		rte_free(cw->hist);
		rte_free(cw->subs);
		rte_free(cw->q);
		rte_free(cw->free_ent);
		rte_free(cw->nb_free);
		rte_free(cw->kept);
	}
	rte_free(cs->w);
	rte_mempool_free(cs->pool);
	rte_free(cs);
}

struct fp_chan_server *
fp_chan_server_create(const struct fp_config *cfg, struct fp_http_server *srv,
	unsigned int nb_workers, struct fp_err *err)
{
	static unsigned int seq;
	unsigned int id = __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED), i, w, nb_frames = 0;
	uint32_t max_msg = 0, methods;
	size_t hist = 0;
	char name[RTE_MEMPOOL_NAMESIZE], pattern[FP_PATH_LEN + 2];
	struct fp_chan_server *cs;
	bool token = false;
	int ret;

	cs = rte_zmalloc("fp_chan", sizeof(*cs), RTE_CACHE_LINE_SIZE);
	if (cs == NULL) {
		fp_fail(err, -ENOMEM, "channels: no memory");
		rte_errno = ENOMEM;
		return NULL;
	}
	cs->srv = srv;
	cs->nb_workers = RTE_MAX(nb_workers, 1u);
	cs->nb_sec = cfg->nb_channels;
	for (i = 0; i < cs->nb_sec; i++) {
		struct fp_chan_sec *s = &cs->sec[i];

		s->c = cfg->channels[i];
		s->cs = cs;
		s->idx = i;
		s->ent_base = cs->nb_ent;
		s->hist_base = hist;
		/* The event stream form: the id line, "data: " and a line
		 * end per payload line, the blank line. A message of many
		 * short lines may not fit, and is refused (413).
		 */
		s->sse_cap = s->c.max_message + s->c.max_message / 4 + 64;
		cs->nb_ent += s->c.names;
		hist += (size_t)s->c.names * s->c.history;
		max_msg = RTE_MAX(max_msg, FP_CHAN_WS_ROOM + s->c.max_message + s->sse_cap);
		nb_frames += s->c.frames;
		token = token || s->c.token[0] != '\0';
	}
	if (cs->nb_sec == 0)
		return cs;
	snprintf(name, sizeof(name), "fp_chan_%u", id);
	/* DPDK wants a pool of 1.5 times its per-lcore cache at least. */
	cs->pool = rte_mempool_create(name, nb_frames * cs->nb_workers,
		sizeof(struct fp_chan_frame) + max_msg,
		RTE_MIN(64u, nb_frames * cs->nb_workers * 2 / 3), 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	cs->w = rte_zmalloc("fp_chan_w", sizeof(*cs->w) * cs->nb_workers, RTE_CACHE_LINE_SIZE);
	if (cs->pool == NULL || cs->w == NULL) {
		ret = fp_fail(err, -ENOMEM, "channels: no memory for %u message copies of %u "
			"bytes (lower [channel] frames or max_message, or give more hugepages)",
			nb_frames * cs->nb_workers, (unsigned int)sizeof(struct fp_chan_frame) +
			max_msg);
		goto fail;
	}
	for (w = 0; w < cs->nb_workers; w++) {
		struct fp_chan_worker *cw = &cs->w[w];
		struct rte_hash_parameters hp = {
			.entries = RTE_MAX(cs->nb_ent, 8u),
			.key_len = sizeof(struct fp_chan_key),
			.hash_func = rte_hash_crc,
			.socket_id = SOCKET_ID_ANY,
		};
		char hn[RTE_HASH_NAMESIZE];

		snprintf(hn, sizeof(hn), "fp_chan_%u_%u", id, w);
		hp.name = hn;
		cw->cs = cs;
		cw->id = w;
		cw->names = rte_hash_create(&hp);
		cw->ent = rte_zmalloc("fp_chan_ent", sizeof(*cw->ent) * cs->nb_ent, 0);
		cw->nb_ent = rte_zmalloc("fp_chan_nb", sizeof(*cw->nb_ent) * cs->nb_sec, 0);
		cw->hist = rte_zmalloc("fp_chan_hist", sizeof(*cw->hist) * RTE_MAX(hist, 1ul), 0);
		cw->subs = rte_zmalloc("fp_chan_subs", sizeof(*cw->subs) *
			fp_http_server_contexts(srv), 0);
		/* Every frame of the pool at most. */
		cw->q_cap = nb_frames * cs->nb_workers;
		cw->q = rte_zmalloc("fp_chan_q", sizeof(*cw->q) * cw->q_cap, 0);
		cw->free_ent = rte_zmalloc("fp_chan_free", sizeof(*cw->free_ent) * cs->nb_ent, 0);
		cw->nb_free = rte_zmalloc("fp_chan_nbf", sizeof(*cw->nb_free) * cs->nb_sec, 0);
		/* Half of this worker's share of the copies for history. */
		cw->hist_max = RTE_MAX(nb_frames / 2, 1u);
		cw->kept_cap = cw->hist_max * 2;
		cw->kept = rte_zmalloc("fp_chan_kept", sizeof(*cw->kept) * cw->kept_cap, 0);
		if (cw->names == NULL || cw->ent == NULL || cw->nb_ent == NULL ||
				cw->hist == NULL || cw->subs == NULL || cw->q == NULL ||
				cw->free_ent == NULL || cw->nb_free == NULL || cw->kept == NULL) {
			ret = fp_fail(err, -ENOMEM, "channels: no memory for %u names and their "
				"history on worker %u (lower [channel] names or history)",
				cs->nb_ent, w);
			goto fail;
		}
	}
	for (i = 0; i < cs->nb_sec; i++) {
		const struct fp_chan_sec *s = &cs->sec[i];

		methods = FP_HTTP_MB(FP_HTTP_M_GET);
		if (s->c.publish == FP_CHAN_PUB_post || s->c.publish == FP_CHAN_PUB_both)
			methods |= FP_HTTP_MB(FP_HTTP_M_POST);
		snprintf(pattern, sizeof(pattern), "%s*", s->c.prefix);
		ret = fp_http_route(srv, methods, pattern, fp_chan_handler, &cs->sec[i]);
		if (ret != 0) {
			fp_fail(err, ret, "[channel %s]: cannot route it: %s", s->c.prefix,
				strerror(-ret));
			goto fail;
		}
	}
	if (token) {
		ret = fp_http_hook(srv, FP_HTTP_ON_REQUEST, -100, fp_chan_hook, cs);
		if (ret != 0) {
			fp_fail(err, ret, "channels: cannot add the token hook: %s",
				strerror(-ret));
			goto fail;
		}
	}
	fp_chan_tel_cs = cs;
	return cs;
fail:
	fp_chan_server_free(cs);
	rte_errno = -ret;
	return NULL;
}

/* /fastpath/channels: each channel summed over the workers. */

/* A channel's numbers over the workers. */
struct fp_chan_sum {
	char name[FP_PATH_LEN + FP_CHAN_NAME_MAX];
	uint64_t v[8];
};

enum { S_SSE, S_WS, S_PUB, S_DELIV, S_BYTES, S_DROPS, S_SLOW, S_LAST };

static const char *const fp_chan_sum_names[] = {
	"sse", "websocket", "published", "delivered", "bytes", "drops", "slow_disconnects",
	"last_id",
};

static int
fp_chan_tel(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	struct fp_chan_server *cs = fp_chan_tel_cs;
	struct fp_chan_sum *sum = NULL;
	unsigned int n = 0, cap = 0, i, w, j, k;
	struct rte_tel_data *c;

	rte_tel_data_start_dict(d);
	for (i = 0; cs != NULL && i < cs->nb_sec; i++) {
		const struct fp_chan_sec *s = &cs->sec[i];
		unsigned int first = n;

		for (w = 0; w < cs->nb_workers; w++) {
			const struct fp_chan_worker *cw = &cs->w[w];
			uint32_t nb = __atomic_load_n(&cw->nb_ent[i], __ATOMIC_ACQUIRE);

			for (j = 0; j < nb; j++) {
				const struct fp_chan_ent *e = &cw->ent[s->ent_base + j];
				char full[sizeof(sum->name)];

				/* A name given back (no subscriber, no history). */
				if (!__atomic_load_n(&e->used, __ATOMIC_ACQUIRE))
					continue;
				snprintf(full, sizeof(full), "%s%s", s->c.prefix, e->name);
				for (k = first; k < n && strcmp(sum[k].name, full) != 0; k++)
					;
				if (k == n) {
					if (n == cap) {
						struct fp_chan_sum *m = realloc(sum,
							sizeof(*sum) * (cap = cap * 2 + 16));

						if (m == NULL)
							goto out;
						sum = m;
					}
					memset(&sum[n], 0, sizeof(sum[n]));
					snprintf(sum[n].name, sizeof(sum[n].name), "%s", full);
					n++;
				}
				sum[k].v[S_SSE] += __atomic_load_n(&e->nb_sse, __ATOMIC_RELAXED);
				sum[k].v[S_WS] += __atomic_load_n(&e->nb_ws, __ATOMIC_RELAXED);
				sum[k].v[S_PUB] += __atomic_load_n(&e->published, __ATOMIC_RELAXED);
				sum[k].v[S_DELIV] += __atomic_load_n(&e->delivered,
					__ATOMIC_RELAXED);
				sum[k].v[S_BYTES] += __atomic_load_n(&e->bytes, __ATOMIC_RELAXED);
				sum[k].v[S_DROPS] += __atomic_load_n(&e->drops, __ATOMIC_RELAXED);
				sum[k].v[S_SLOW] += __atomic_load_n(&e->slow, __ATOMIC_RELAXED);
				sum[k].v[S_LAST] = RTE_MAX(sum[k].v[S_LAST],
					__atomic_load_n(&e->last_id, __ATOMIC_RELAXED));
			}
		}
	}
out:
	/* Telemetry takes only letters, digits, _ and / in a key: others
	 * become _, and the exact name is the entry's "channel".
	 */
	for (k = 0; k < n && k < RTE_TEL_MAX_DICT_ENTRIES; k++) {
		char key[sizeof(sum->name) + 12];
		size_t p;

		snprintf(key, sizeof(key), "%s", sum[k].name);
		for (p = 0; key[p] != '\0'; p++)
			if (!isalnum((unsigned char)key[p]) && key[p] != '/' && key[p] != '_')
				key[p] = '_';
		/* A mapped name keeps apart from others by its index. */
		if (strcmp(key, sum[k].name) != 0)
			snprintf(key + strlen(key), 12, "_%u", k);
		c = fp_tel_dict();
		if (c == NULL)
			break;
		rte_tel_data_add_dict_string(c, "channel", sum[k].name);
		for (j = 0; j < RTE_DIM(fp_chan_sum_names); j++)
			rte_tel_data_add_dict_u64(c, fp_chan_sum_names[j], sum[k].v[j]);
		if (fp_tel_put(d, key, c) != 0)
			break;
	}
	free(sum);
	return 0;
}

int
fp_chan_telemetry_init(struct fp_chan_server *cs)
{
	static bool done;
	int ret;

	fp_chan_tel_cs = cs;
	if (done)
		return 0;
	ret = rte_telemetry_register_cmd("/fastpath/channels", fp_chan_tel,
		"Channels: subscribers by kind, messages published and delivered, bytes, drops "
		"and slow subscribers disconnected, per channel");
	if (ret == 0)
		done = true;
	return ret;
}
