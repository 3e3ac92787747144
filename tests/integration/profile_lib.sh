# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Helpers for the driver-profile tests (profile_*.sh). Source lib.sh first.
# Each test starts fastpath from one drivers-cfg/ profile with --profile, so
# the profile alone gives --no-pci, the vdev and the lcores; the test adds
# only the memory options and its own --file-prefix. profile_smoke then runs
# the same checks over every driver.

PROFILE_DIR=$(cd "$IT_DIR/../../drivers-cfg" && pwd)
# Commands that profile_cleanup runs: PROFILE_PRESTOP before it stops
# fastpath, PROFILE_UNDO (last added first) after, then lib.sh's own clean-up
# (which deletes the namespace).
PROFILE_PRESTOP=()
PROFILE_UNDO=()
PROFILE_WRAP=()

profile_undo() { PROFILE_UNDO=("$*" "${PROFILE_UNDO[@]}"); }
profile_prestop() { PROFILE_PRESTOP+=("$*"); }

# Stops fastpath (if still running) between the pre-stop and the undo
# commands, running each once.
profile_teardown() {
	local cmd
	for cmd in "${PROFILE_PRESTOP[@]}"; do
		eval "$cmd"
	done
	PROFILE_PRESTOP=()
	it_stop_fastpath >/dev/null 2>&1
	for cmd in "${PROFILE_UNDO[@]}"; do
		eval "$cmd"
	done
	PROFILE_UNDO=()
}

profile_cleanup() {
	local rc=$?
	set +e
	trap '' INT TERM HUP
	profile_teardown
	(exit "$rc")
	it_cleanup
}
trap profile_cleanup EXIT

# profile_skip REASON: the driver cannot run here. Removes what the test made
# and exits 77, which meson reports as SKIP.
profile_skip() {
	set +e
	trap - EXIT
	trap '' INT TERM HUP
	echo "SKIP: $IT_NAME: $*"
	if [ -s "$IT_LOG" ]; then
		echo "--- fastpath log ($IT_LOG) ---"
		tail -20 "$IT_LOG"
	fi
	profile_teardown
	ip netns del "$IT_NS" 2>/dev/null
	fp_forget_prefix "$IT_PREFIX"
	rm -rf "$IT_TMP"
	rm -f "$IT_LOG"
	exit 77
}

# profile_args NAME: the [eal] args line of drivers-cfg/NAME.ini.
profile_args() { sed -n 's/^args[[:space:]]*=[[:space:]]*//p' "$PROFILE_DIR/$1.ini"; }

# profile_vdev_arg NAME KEY: the value of KEY=... in the profile's --vdev.
profile_vdev_arg() {
	profile_args "$1" | tr ' ' '\n' | sed -n 's/^--vdev=//p' | tr ',' '\n' |
		sed -n "s/^$2=//p" | head -1
}

# profile_launch NAME [fastpath options...]: starts fastpath in the namespace
# from drivers-cfg/NAME.ini, in the background. PROFILE_WRAP, when set, is a
# command the namespace runs in front of fastpath (it must exec its
# arguments, so that IT_PID stays fastpath's PID); an array.
profile_launch() {
	local name=$1
	shift
	# shellcheck disable=SC2086
	ip netns exec "$IT_NS" "${PROFILE_WRAP[@]}" "$FP_BIN" $FP_EAL_MEM --file-prefix="$IT_PREFIX" \
		-- --profile "$PROFILE_DIR/$name.ini" --ip "$FP_IP/24" \
		--root "$PROFILE_SITE" -c "$PROFILE_CFG" "$@" >"$IT_LOG" 2>&1 &
	# shellcheck disable=SC2034 # lib.sh reads it
	IT_PID=$!
}

# profile_veth DEV: the veth pair fpk0 (the kernel's side, 198.18.0.1) and
# DEV (fastpath's side, no address) in the namespace.
profile_veth() {
	local dev=$1
	nsx ip link add fpk0 type veth peer name "$dev"
	# The DPDK side has no address: only fastpath answers for 198.18.0.2.
	nsx sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
	nsx ip link set "$dev" up
	nsx ip addr add "$PEER_IP/24" dev fpk0
	# Without this the kernel leaves TCP checksums to the veth "hardware",
	# and they reach the packet or XDP socket unfilled (see lib.sh).
	nsx ethtool -K fpk0 tx off >/dev/null
	nsx ip link set fpk0 up
}

# profile_smoke NAME DRIVER IFACE: what every profile must do. fastpath is
# serving; IFACE is the kernel's side in the namespace. profile_stop next.
profile_smoke() {
	local name=$1 driver=$2 iface=$3 args eal vdev base_mbufs base_conns echo0 ok0 want body mac out
	args=$(profile_args "$name")
	check "drivers-cfg/$name.ini names --no-pci" grep -qw -- --no-pci <<<"$args"
	check "fastpath serves port 0 through $driver" grep -q "port 0 ($driver)" "$IT_LOG"
	eal=$(tel /fastpath/config eal_args || true)
	# @XDP_PROG@ became the path of the build's XDP program.
	vdev=$(tr ' ' '\n' <<<"$args" | grep -- '^--vdev=')
	check "the EAL arguments came from the profile ($eal)" \
		grep -qF -- "${vdev%%@XDP_PROG@*}" <<<"$eal"
	[[ "$vdev" != *@XDP_PROG@* ]] ||
		check "@XDP_PROG@ is the build's XDP program" grep -q "xdp_prog=/[^,\" ]*/fp_xdp.bpf.o" <<<"$eal"

	base_mbufs=$(tel /fastpath/stats mbufs_in_use)
	base_conns=$(tel /fastpath/stats tcp_conns)
	echo0=$(tel /fastpath/stats icmp_echo_requests)
	ok0=$(tel /fastpath/stats http_2xx)

	check "$name: 5 echo requests of 56 bytes, 0% loss" ping_ok 5 56
	check "$name: 5 echo requests of 1472 bytes (1500-byte IP), 0% loss" ping_ok 5 1472
	check_eq "$name: fastpath counted the 10 echo requests" $((echo0 + 10)) \
		"$(tel /fastpath/stats icmp_echo_requests)"
	mac=$(fp_mac)
	out=$(nsx ip neigh show "$FP_IP" dev "$iface")
	check "$name: the kernel's neighbour entry holds fastpath's MAC $mac" \
		grep -qi "lladdr $mac" <<<"$out"

	body=$(nsx curl -sS --max-time 10 "http://$FP_IP/health" || true)
	check_eq "$name: GET /health answers OK" "OK" "$body"
	want=$(sha256sum <"$PROFILE_SITE/256k.bin")
	nsx curl -sS --max-time 10 -o "$IT_TMP/256k" "http://$FP_IP/256k.bin" || true
	check_eq "$name: a 256 KB file arrives intact" "$want" "$(sha256sum <"$IT_TMP/256k")"
	check_eq "$name: fastpath counted the 2 answers 2xx" $((ok0 + 2)) \
		"$(tel /fastpath/stats http_2xx)"

	check "$name: connections back to the baseline of $base_conns" \
		it_stat_back_to tcp_conns "$base_conns" 10
	check "$name: mbufs in use back to the baseline of $base_mbufs" \
		it_mbufs_back_to "$base_mbufs"
}

# profile_stop NAME: fastpath stops on SIGINT with status 0.
profile_stop() { check "$1: SIGINT stops fastpath with status 0" it_stop_fastpath; }

# A small site to serve, and a config with a short TIME-WAIT so that the
# connection table empties within the test.
PROFILE_SITE=$IT_TMP/site
mkdir -p "$PROFILE_SITE"
head -c 262144 /dev/urandom >"$PROFILE_SITE/256k.bin"
PROFILE_CFG=$IT_TMP/short.ini
printf '[tcp]\ntime_wait_ms = 1000\n' >"$PROFILE_CFG"
