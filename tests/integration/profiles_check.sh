#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Every profile in drivers-cfg/, the PCI ones included, validates with
# --check-config, by file and by name, and keeps the house rules: vdev
# profiles pass --no-pci, PCI profiles name their device with -a, and none
# carries the options the scripts add. Needs no root and starts no EAL.
set -uo pipefail
IT_DIR=$(cd "$(dirname "$0")" && pwd)
. "$IT_DIR/../../scripts/lib/common.sh"
. "$IT_DIR/assert.sh"
FP_BIN=${FP_BIN:?FP_BIN must name the fastpath binary}
DIR=$(cd "$IT_DIR/../../drivers-cfg" && pwd)
trap 'it_summary; [ "$IT_FAILS" = 0 ] || exit 1' EXIT
# lacks WORD TEXT: TEXT does not hold the option WORD.
lacks() { ! grep -qw -- "$1" <<<"$2"; }

vdevs="net_tap net_af_packet net_af_xdp net_memif"
pcis="mlx5 ice i40e ixgbe virtio"
for name in $vdevs $pcis; do
	check "drivers-cfg/$name.ini exists" test -f "$DIR/$name.ini"
done

for f in "$DIR"/*.ini; do
	name=$(basename "$f" .ini)
	check_eq "$name: SPDX line" "# SPDX-License-Identifier: BSD-3-Clause" "$(sed -n 1p "$f")"
	args=$(sed -n '/^\[eal\]/,/^\[/s/^args[[:space:]]*=[[:space:]]*//p' "$f")
	check "$name: [eal] args is set" test -n "$args"
	for opt in --file-prefix --in-memory --no-huge; do
		check "$name: no $opt (scripts add it)" lacks "$opt" "$args"
	done
	if grep -q -- '--vdev=' <<<"$args"; then
		check "$name: vdev profile passes --no-pci" grep -qw -- --no-pci <<<"$args"
	else
		check "$name: PCI profile names its device with -a" grep -Eq -- '(^| )-a ' <<<"$args"
		check "$name: PCI profile has no --no-pci" lacks --no-pci "$args"
		check "$name: says why --no-pci is not used" grep -q -- '--no-pci is NOT used' "$f"
	fi
	check "$name: one main lcore and one worker (--lcores=0@0,1@1)" \
		grep -q -- '--lcores=0@0,1@1' <<<"$args"
	for key in rx_desc tx_desc mtu checksum_offload multi_seg_tx; do
		check "$name: [port] $key is set" \
			grep -q "^$key *= *[^ ]" <(sed -n '/^\[port\]/,/^\[/p' "$f")
	done
	check "$name: has a [mempool] section" grep -q '^\[mempool\]' "$f"

	# By path, from another directory.
	out=$(cd / && "$FP_BIN" -- --profile "$f" --ip 198.18.0.2/24 --check-config 2>&1)
	rc=$?
	check_eq "$name: --profile FILE --check-config exits 0 ($(tail -1 <<<"$out"))" 0 "$rc"
	check "$name: --check-config shows the profile's EAL arguments" \
		grep -qF -- "$args" <<<"$out"
	# By name, resolved in the source tree's drivers-cfg.
	out=$(cd / && "$FP_BIN" -- --profile "$name" --ip 198.18.0.2/24 --check-config 2>&1)
	check_eq "$name: --profile $name --check-config exits 0" 0 "$?"
done
