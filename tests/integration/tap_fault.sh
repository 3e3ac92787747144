#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Fault injection ([fault]) on net_tap: a 10 MB file arrives byte-exact
# through 5% loss each way, reordering and duplication, with every fault
# counted; connections and mbufs back to their baseline. About 15 s here
# (SACK recovery, tail loss probes; it took 70 s when every hole waited for
# a retransmission timeout).
. "$(dirname "$0")/lib.sh"

site=$IT_TMP/site
mkdir -p "$site"
head -c 10485760 /dev/urandom >"$site/big.bin"
echo 'small' >"$site/small.txt"

cfg=$IT_TMP/fault.ini
cat >"$cfg" <<'EOF'
[tcp]
time_wait_ms = 1000

[fault]
enabled = true
seed = 42
rx_drop_ppm = 50000
tx_drop_ppm = 50000
rx_dup_ppm = 10000
tx_dup_ppm = 10000
rx_reorder_ppm = 20000
tx_reorder_ppm = 20000
EOF

it_start_tap --root "$site" -c "$cfg"
base_mbufs=$(tel /fastpath/stats mbufs_in_use)
base_conns=$(tel /fastpath/stats tcp_conns)
URL=http://$FP_IP
c() { nsx curl -sS --retry 3 --retry-all-errors "$@"; }

start=$(date +%s.%N)
c --max-time 120 -o "$IT_TMP/big" "$URL/big.bin" || true
secs=$(echo "$(date +%s.%N) - $start" | bc)
echo "10 MB through 5% loss each way, 2% reordering, 1% duplication: ${secs} s"; echo "timeouts $(tel /fastpath/stats tcp_timeouts) tlp $(tel /fastpath/stats tcp_tlp_probes) sackrec $(tel /fastpath/stats tcp_sack_recoveries) lostrx $(tel /fastpath/stats tcp_lost_retransmits) rexmit $(tel /fastpath/stats tcp_retransmits)"
check_eq "10 MB file: sha256 matches" "$(sha256sum <"$site/big.bin")" \
	"$(sha256sum <"$IT_TMP/big")"
for i in $(seq 1 20); do
	c --max-time 20 -o "$IT_TMP/small.$i" "$URL/small.txt" || true
done
bad=0
for i in $(seq 1 20); do cmp -s "$site/small.txt" "$IT_TMP/small.$i" || bad=$((bad + 1)); done
check_eq "20 small files, each whole" 0 "$bad"
for k in fault_rx_dropped fault_tx_dropped fault_duplicated fault_reordered; do
	check "$k counted ($(tel /fastpath/stats "$k"))" test "$(tel /fastpath/stats "$k")" -gt 0
done
check "TCP retransmitted ($(tel /fastpath/stats tcp_retransmits))" \
	test "$(tel /fastpath/stats tcp_retransmits)" -gt 0

check "connections back to the baseline of $base_conns" it_stat_back_to tcp_conns "$base_conns" 15
check "mbufs in use back to the baseline of $base_mbufs" it_mbufs_back_to "$base_mbufs"
check "SIGINT stops fastpath with status 0" it_stop_fastpath
