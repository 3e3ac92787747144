#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Runs the profile tests one after the other and reports each on its own
# line: profiles_check (every drivers-cfg/ file validates) and one traffic
# test per vdev profile. meson runs the same files as separate tests; this is
# for a by-hand run:
#
#   FP_BIN=build/app/fastpath/fastpath bash tests/integration/profiles.sh
#
# Exits 1 if any failed; a skip (status 77) is not a failure.
set -uo pipefail
IT_DIR=$(cd "$(dirname "$0")" && pwd)
: "${FP_BIN:?FP_BIN must name the fastpath binary}"
export FP_BIN

failed=0
summary=""
for t in profiles_check profile_net_tap profile_net_af_packet profile_net_af_xdp \
	profile_net_memif; do
	echo "=== $t"
	rc=0
	timeout 180 bash "$IT_DIR/$t.sh" || rc=$?
	case $rc in
	0) res=pass ;;
	77) res=skip ;;
	*) res="FAIL (status $rc)"; failed=1 ;;
	esac
	summary+="$t: $res"$'\n'
done
echo "=== summary"
printf '%s' "$summary"
exit "$failed"
