/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_FAULT_H
#define FP_FAULT_H

/* Fault injection at the port, for tests and demos where netem is not
 * available: a worker drops, duplicates, reorders and delays the frames it
 * receives and sends, with given probabilities from a seeded generator.
 * Off unless [fault] enabled; every fault is counted (fault_* counters).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "fp_config.h"
#include "fp_stats.h"

enum fp_fault_way {
	FP_FAULT_RX,
	FP_FAULT_TX,
	FP_FAULT_WAYS
};

/* Most frames one call takes and gives back (a burst, a TX queue). */
#define FP_FAULT_CAP_MAX 512

/* Longest a reordered frame waits for one to overtake it, in ms. */
#define FP_FAULT_HOLD_MS 10

/* Frames one direction holds back for their delay. */
#define FP_FAULT_DELAY_MAX 4096

struct fp_fault_dir {
	uint32_t drop;		/* probabilities, parts per million */
	uint32_t dup;
	uint32_t reorder;
	uint32_t delay_ms;
	struct rte_mbuf *held;	/* reordered: goes out after the next frame */
	uint64_t held_until;	/* or at this time, when no frame follows */
	/* The delay line, in arrival order (one delay: that is release order). */
	uint32_t head;
	uint32_t len;
	struct rte_mbuf *line[FP_FAULT_DELAY_MAX];
	uint64_t due[FP_FAULT_DELAY_MAX];
};

struct fp_fault {
	bool on;
	uint64_t rng;		/* xorshift64* state, never 0 */
	struct fp_fault_dir dir[FP_FAULT_WAYS];
};

/* Sets f from cfg's [fault] section for worker w (each worker its own
 * stream from the seed). Off when [fault] enabled is false.
 */
void
fp_fault_init(struct fp_fault *f, const struct fp_config *cfg, unsigned int w);

/* Applies direction way's faults to the n frames of pkts, in place, at
 * time now_ms: dropped ones are freed, duplicates added (copies from the
 * frame's own pool), a reordered one held back until a later frame passes
 * (or FP_FAULT_HOLD_MS went by),
 * delayed ones queued and released here once due (called with n = 0 too,
 * so they leave on time). Returns how many frames pkts now holds, at most
 * cap; a frame that does not fit is freed and counted as dropped.
 */
uint16_t
fp_fault_apply(struct fp_fault *f, enum fp_fault_way way, struct rte_mbuf **pkts, uint16_t n,
	uint16_t cap, uint64_t now_ms, struct fp_stats *st);

/* Frees every frame f holds back. */
void
fp_fault_free(struct fp_fault *f);

#endif /* FP_FAULT_H */
