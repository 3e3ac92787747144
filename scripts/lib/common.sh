# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Shared by scripts/run.sh, scripts/test.sh and the integration tests:
# idempotent install, hugepages with a --no-huge fallback, and the build.
# Source it; it defines functions and sets nothing else.

FP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FP_BUILD=${FP_BUILD:-$FP_TOP/build}
# Debian's interpreter, which python3-scapy installs into (a python3 earlier
# in PATH, e.g. from pyenv, would not have it).
export FP_PY=/usr/bin/python3

# Everything the build, the run command and the tests use.
FP_PACKAGES="libdpdk-dev dpdk-dev libbpf-dev libxdp-dev check meson ninja-build pkg-config
	gcc libc6-dev iproute2 iputils-ping arping curl python3 python3-scapy tcpdump procps
	ethtool wrk util-linux coreutils tmux
	nginx-light golang-go nodejs gnuplot-nox clang libclang-rt-14-dev iptables libssl-dev
	python3-websockets node-ws libdeflate-dev libbrotli-dev libnginx-mod-http-brotli-static
	brotli"

fp_say() { printf '%s\n' "$*" >&2; }
fp_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

fp_need_root() {
	[ "$(id -u)" = 0 ] || fp_die "run this as root (it installs packages, reserves hugepages and creates network namespaces)"
}

# Installs only what is missing, so a second run does not touch apt at all.
fp_install_deps() {
	local missing="" p
	for p in $FP_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	fp_say "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2 || fp_die "apt-get update failed"
	# The benchmark's servers (nginx) must not start as system services on
	# port 80: a policy-rc.d that refuses, for the install only.
	local policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		policy=1
	fi
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >&2 || {
		[ -z "$policy" ] || rm -f /usr/sbin/policy-rc.d
		fp_die "apt-get install failed for:$missing"
	}
	[ -z "$policy" ] || rm -f /usr/sbin/policy-rc.d
}

# Reserves 2 MB hugepages and sets FP_EAL_MEM to the EAL memory options:
# empty when enough hugepages are free, else the --no-huge fallback.
fp_hugepages() {
	local want=${FP_HUGEPAGES:-512} dir=/sys/kernel/mm/hugepages/hugepages-2048kB free
	FP_EAL_MEM="--no-huge -m 512"
	if [ -w "$dir/nr_hugepages" ]; then
		if [ "$(cat "$dir/nr_hugepages")" -lt "$want" ]; then
			echo "$want" > "$dir/nr_hugepages" 2>/dev/null || true
		fi
		mkdir -p /dev/hugepages
		mountpoint -q /dev/hugepages || mount -t hugetlbfs none /dev/hugepages 2>/dev/null || true
		free=$(cat "$dir/free_hugepages" 2>/dev/null || echo 0)
		if [ "$free" -ge 256 ] && mountpoint -q /dev/hugepages; then
			FP_EAL_MEM=""
		fi
	fi
	if [ -n "$FP_EAL_MEM" ]; then
		fp_say "hugepages unavailable: falling back to EAL $FP_EAL_MEM"
	fi
	export FP_EAL_MEM
}

fp_build() {
	if [ ! -f "$FP_BUILD/build.ninja" ]; then
		meson setup "$FP_BUILD" "$FP_TOP" -Dwerror=true >&2 || fp_die "meson setup failed"
	fi
	ninja -C "$FP_BUILD" >&2 || fp_die "build failed"
	FP_BIN=$FP_BUILD/app/fastpath/fastpath
	export FP_BIN
}

# Stops our child $1 with SIGINT, waiting up to $2 seconds before SIGKILL.
# Returns its exit status, or 137 when it had to be killed.
fp_stop_pid() {
	local pid=$1 secs=$2 rc=0
	kill -INT "$pid" 2>/dev/null || true
	for _ in $(seq $((secs * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		return 137
	fi
	wait "$pid" 2>/dev/null || rc=$?
	return "$rc"
}

# Removes what a DPDK process with file prefix $1 leaves after it exits:
# its runtime directory and any hugepage files it kept (a failed start
# keeps some, and only a later start with the same prefix would reclaim them).
fp_forget_prefix() {
	rm -rf "/var/run/dpdk/$1"
	rm -f /dev/hugepages/"$1"map_*
}

# What both README commands do first, as root: install, hugepages, build.
fp_prepare() {
	fp_need_root
	fp_install_deps
	fp_hugepages
	fp_build
}

# The benchmarks' start: fp_prepare, without the build when FP_BIN names a
# binary already built (meson test runs their smoke so).
fp_prepare_bench() {
	if [ -n "${FP_BIN:-}" ] && [ -x "$FP_BIN" ]; then
		fp_need_root
		fp_install_deps
		fp_hugepages
	else
		fp_prepare
	fi
}

# Waits up to $2 seconds for interface $1 to appear in namespace $3.
fp_wait_iface() {
	local ifname=$1 secs=$2 ns=$3
	for _ in $(seq $((secs * 10))); do
		ip netns exec "$ns" ip link show "$ifname" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
