#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# XDP steering (drivers-cfg/net_af_xdp.ini, lib/xdp): one interface, one
# address. fastpath and a kernel HTTP server (python's http.server on port
# 8081) share 198.18.0.2 on fpx0 in the server's namespace; the client is in
# a namespace of its own behind the veth pair. In shared and in owned mode:
# port 80 is fastpath's, port 8081 the kernel's, ping the kernel's (shared)
# or fastpath's (owned); a 10 MB body arrives byte-exact; after kill -9 the
# kernel server kept working and a restart succeeds; after a graceful stop
# no XDP program is left on the interface.
. "$(dirname "$0")/lib.sh"
. "$IT_DIR/profile_lib.sh"

pmd=$(compgen -G "/usr/lib/*/dpdk/pmds-*/librte_net_af_xdp.so*" | head -1 || true)
[ -n "$pmd" ] || profile_skip "DPDK has no net_af_xdp PMD (librte_net_af_xdp.so)"

CNS=fptc-$$
KPID=""
xdp_cleanup() {
	local rc=$?
	[ -z "$KPID" ] || fp_stop_pid "$KPID" 2 >/dev/null 2>&1 || true
	ip netns del "$CNS" 2>/dev/null || true
	(exit "$rc")
	it_cleanup
}
trap xdp_cleanup EXIT

# The server's namespace: fpx0 with the address in the kernel too.
it_make_ns
ip netns add "$CNS"
ip netns exec "$CNS" ip link set lo up
nsx ip link add fpx0 type veth peer name fpk0
nsx ip link set fpk0 netns "$CNS"
nsx sysctl -qw net.ipv6.conf.fpx0.disable_ipv6=1
nsx ip addr add "$FP_IP/24" dev fpx0
nsx ip link set fpx0 up
ip netns exec "$CNS" ip addr add "$PEER_IP/24" dev fpk0
# Checksums filled in by the client's kernel, as for every veth test.
ip netns exec "$CNS" ethtool -K fpk0 tx off >/dev/null
ip netns exec "$CNS" ip link set fpk0 up

site=$IT_TMP/site
mkdir -p "$site" "$IT_TMP/ksite"
echo "served by fastpath" >"$site/index.html"
head -c 10485760 /dev/urandom >"$site/big.bin"
echo "served by the kernel" >"$IT_TMP/ksite/index.html"
# Not through nsx: "nsx cmd &" forks a subshell, and $! would name it, not
# the server to stop.
ip netns exec "$IT_NS" python3 -m http.server 8081 --bind "$FP_IP" \
	--directory "$IT_TMP/ksite" >"$IT_TMP/kernel-http.log" 2>&1 &
KPID=$!
PROFILE_SITE=$site
PROFILE_CFG=$IT_TMP/xdp.ini
PROFILE_WRAP=(sh -c 'mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
exec "$@"' fp-bpffs)

cx() { ip netns exec "$CNS" "$@"; }
cc() { cx curl -sS --max-time 10 "$@"; }
prog_on_fpx0() { nsx ip -d link show fpx0 | grep -o 'prog/xdp id [0-9]* name [a-z_]*' || true; }
kernel_ok() { [ "$(cc "http://$FP_IP:8081/" 2>/dev/null)" = "served by the kernel" ]; }

run_mode() {
	local mode=$1 r0 e0 v
	printf '[tcp]\ntime_wait_ms = 1000\n[xdp]\nmode = %s\n' "$mode" >"$PROFILE_CFG"
	# The client asks for the address again: ARP is part of each mode.
	cx ip neigh flush dev fpk0
	profile_launch net_af_xdp
	it_wait_serving || { tail -20 "$IT_LOG"; return 1; }
	check "$mode: the program is on fpx0 ($(prog_on_fpx0))" grep -q fp_xdp_steer <<<"$(prog_on_fpx0)"
	check_eq "$mode: /fastpath/xdp says steering" on "$(tel /fastpath/xdp steering)"
	r0=$(tel /fastpath/stats http_requests)
	check_eq "$mode: port 80 is fastpath's" "served by fastpath" "$(cc "http://$FP_IP/" || true)"
	check_eq "$mode: fastpath counted it" $((r0 + 1)) "$(tel /fastpath/stats http_requests)"
	check "$mode: port 8081 is the kernel's" kernel_ok
	e0=$(tel /fastpath/stats icmp_echo_requests)
	check "$mode: ping answers" cx ping -c 3 -i 0.2 -W 2 -q "$FP_IP"
	if [ "$mode" = shared ]; then
		check_eq "shared: the kernel answered the pings" "$e0" \
			"$(tel /fastpath/stats icmp_echo_requests)"
		v=$(tel /fastpath/xdp pass_icmp)
		check "shared: the program passed them (pass_icmp $v)" test "$v" -ge 3
		v=$(tel /fastpath/xdp pass_arp)
		check "shared: the client's ARP went to the kernel (pass_arp $v)" test "$v" -ge 1
		check_eq "shared: fastpath saw no ARP request" 0 "$(tel /fastpath/stats arp_requests)"
	else
		check_eq "owned: fastpath answered the pings" $((e0 + 3)) \
			"$(tel /fastpath/stats icmp_echo_requests)"
		v=$(tel /fastpath/xdp to_icmp)
		check "owned: the program sent them to fastpath (to_icmp $v)" test "$v" -ge 3
		v=$(tel /fastpath/xdp to_arp)
		check "owned: the client's ARP went to fastpath (to_arp $v)" test "$v" -ge 1
	fi
	v=$(tel /fastpath/xdp to_tcp)
	check "$mode: TCP to port 80 counted (to_tcp $v)" test "$v" -gt 0
	check "$mode: fastpath-top shows the steering" grep -q "XDP on fpx0: to fastpath" \
		<<<"$(timeout 10 "$IT_DIR/../../scripts/fastpath-top" -p "$IT_PREFIX" --once 2>&1)"
	v=$(tel /fastpath/xdp pass_other_port)
	check "$mode: TCP to port 8081 passed (pass_other_port $v)" test "$v" -gt 0
	cc --max-time 60 -o "$IT_TMP/big" "http://$FP_IP/big.bin" || true
	check_eq "$mode: 10 MB byte-exact" "$(sha256sum <"$site/big.bin" | cut -d' ' -f1)" \
		"$(sha256sum <"$IT_TMP/big" | cut -d' ' -f1)"
}

# Shared, then a kill -9: the program stays behind, the kernel serves on.
run_mode shared
kill -9 "$IT_PID"
wait "$IT_PID" 2>/dev/null || true
IT_PID=""
fp_forget_prefix "$IT_PREFIX"
check "after kill -9, the program is still on fpx0" grep -q fp_xdp_steer <<<"$(prog_on_fpx0)"
check "after kill -9, the kernel server still answers" kernel_ok
# Owned, over what the killed one left.
run_mode owned
check "the restart replaced what the killed one left" grep -q \
	"removed the XDP program a fastpath that did not stop left" "$IT_LOG"
# A second fastpath on the same interface is refused; the first serves on.
second=$IT_TMP/second.log
ip netns exec "$IT_NS" "${PROFILE_WRAP[@]}" timeout 30 "$FP_BIN" $FP_EAL_MEM \
	--file-prefix="$IT_PREFIX-b" -- --profile "$PROFILE_DIR/net_af_xdp.ini" --ip "$FP_IP/24" \
	--root "$PROFILE_SITE" -c "$PROFILE_CFG" >"$second" 2>&1 && rc=0 || rc=$?
fp_forget_prefix "$IT_PREFIX-b"
check "a second fastpath on fpx0 fails (status $rc)" test "$rc" -ne 0 -a "$rc" -ne 124
check "and says why" grep -q "another fastpath steers this interface" "$second"
check_eq "the first still serves port 80" "served by fastpath" "$(cc "http://$FP_IP/" || true)"
check "and its program is still on fpx0" grep -q fp_xdp_steer <<<"$(prog_on_fpx0)"
check "SIGINT stops fastpath with status 0" it_stop_fastpath
check_eq "after a graceful stop, no XDP program on fpx0" "" "$(prog_on_fpx0)"
check "and the kernel still serves" kernel_ok
check "no lock left behind in /run/fastpath" test ! -e /run/fastpath
