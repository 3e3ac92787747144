#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# The command line and the configuration file: every bad input is one line
# naming the file or option, the key and the reason, with exit status 2.
set -uo pipefail
IT_DIR=$(cd "$(dirname "$0")" && pwd)
. "$IT_DIR/../../scripts/lib/common.sh"
. "$IT_DIR/assert.sh"
FP_BIN=${FP_BIN:?FP_BIN must name the fastpath binary}
TMP=$(mktemp -d)
PREFIX=fpt-cli-$$
trap 'rm -rf "$TMP"; fp_forget_prefix "$PREFIX"; it_summary; [ "$IT_FAILS" = 0 ] || exit 1' EXIT

# expect STATUS PATTERN ARGS...: fastpath exits STATUS and its stderr is one
# line matching PATTERN (after EAL's own start-up chatter, for status 1).
expect() {
	local want=$1 pat=$2 rc=0 err
	shift 2
	err=$("$FP_BIN" "$@" 2>&1 >/dev/null) || rc=$?
	# EAL talks before fastpath's own line, so only the last line is ours.
	[ "$want" = 1 ] && err=$(tail -n 1 <<<"$err")
	if [ "$rc" != "$want" ]; then
		fail "$*: status $rc, want $want ($err)"
	elif ! grep -q -- "$pat" <<<"$err"; then
		fail "$*: '$err' does not say '$pat'"
	elif [ "$(grep -c . <<<"$err")" != 1 ]; then
		fail "$*: more than one line: $err"
	else
		ok "$* -> $want: $err"
	fi
}
ini() { printf "$2" > "$TMP/$1"; echo "$TMP/$1"; }

help=$("$FP_BIN" -- --help)
for opt in --config --ip --gateway --port-id --help; do
	check "--help lists $opt" grep -q -- "$opt" <<<"$help"
done
# Every configuration key is in --help and in docs/configuration.md.
docs=$IT_DIR/../../docs/configuration.md
while read -r sec key; do
	check "[$sec] $key is documented" grep -q "^| \`$key\`" <(sed -n "/^## \[$sec\]/,/^## /p" "$docs")
done < <(sed -n 's/^  \[\([a-z]*\)\] \([a-z_]*\) .*/\1 \2/p' <<<"$help")

expect 2 "needs an argument" -- --ip
expect 2 "--bogus: unknown option" -- --bogus
expect 2 "unexpected argument" -- stray
expect 2 "--ip: \[ip\] address: '300.1.2.3/24' is not an IPv4 address" -- --ip 300.1.2.3/24
expect 2 "--ip: \[ip\] address: '198.18.0.2/33' has a prefix length over 32" -- --ip 198.18.0.2/33
expect 2 "has no /prefix length" -- --ip 198.18.0.2
expect 2 "--gateway: \[ip\] gateway: 'gw' is not an IPv4 address" -- --ip 198.18.0.2/24 --gateway gw
expect 2 "--port-id: \[port\] id: 'x' is not a number" -- --ip 198.18.0.2/24 --port-id x
expect 2 "\[ip\] address: required" --
expect 2 "$TMP/none.ini: cannot open: No such file" -- -c "$TMP/none.ini"
f=$(ini unknown.ini '[ip]\naddress = 198.18.0.2/24\ncolour = blue\n')
expect 2 "$f: \[ip\] colour: unknown key" -- -c "$f"
f=$(ini section.ini '[ipv6]\naddress = ::1\n')
expect 2 "$f: \[ipv6\]: unknown section" -- -c "$f"
f=$(ini badip.ini '[ip]\naddress = 198.18.0/24\n')
expect 2 "$f: \[ip\] address: '198.18.0/24' is not an IPv4 address" -- -c "$f"
f=$(ini prefix.ini '[ip]\naddress = 198.18.0.2/40\n')
expect 2 "$f: \[ip\] address: '198.18.0.2/40' has a prefix length over 32" -- -c "$f"
f=$(ini range.ini '[ip]\naddress = 198.18.0.2/24\n[worker]\nburst = 1000\n')
expect 2 "$f: \[worker\] burst: 1000 is out of range" -- -c "$f"
f=$(ini dup.ini '[ip]\naddress = 198.18.0.2/24\naddress = 198.18.0.3/24\n')
expect 2 "$f: \[ip\] address: key given twice" -- -c "$f"
f=$(ini syntax.ini '[ip]\naddress = 198.18.0.2/24\njunk\n')
expect 2 "$f:3: expected key = value" -- -c "$f"
f=$(ini gw.ini '[ip]\naddress = 198.18.0.2/24\ngateway = 198.19.0.1\n')
expect 2 "$f: \[ip\] gateway: not inside the address's prefix" -- -c "$f"
f=$(ini pool.ini '[ip]\naddress = 198.18.0.2/24\n[mempool]\nmbufs = 1000\n')
expect 2 "\[mempool\] mbufs: 1000 is too few" -- -c "$f"
f=$(ini good.ini '[ip]\naddress = 198.18.0.2/24\n')

# Past the configuration, EAL runs: set-up failures exit 1 with one line.
eal="--no-pci --no-huge -m 256 --file-prefix=$PREFIX --no-telemetry"
# shellcheck disable=SC2086
expect 1 "no worker lcore" $eal -l 0 -- -c "$f"
# shellcheck disable=SC2086
expect 1 "no port: name one with --vdev" $eal -l 0-1 -- -c "$f"
f=$(ini big.ini '[ip]\naddress = 198.18.0.2/24\n[mempool]\nmbufs = 4000000\n')
# shellcheck disable=SC2086
expect 1 "cannot create a pool of 4000000 mbufs" $eal -l 0-1 --vdev=net_null0 -- -c "$f"
f=$(ini good.ini '[ip]\naddress = 198.18.0.2/24\n')
# shellcheck disable=SC2086
expect 1 "port 3 not found: 1 port(s) probed" $eal -l 0-1 --vdev=net_null0 -- -c "$f" --port-id 3

# No hugepages: a private mount namespace shows EAL a sysfs with none free.
fake=$TMP/hugepages
mkdir -p "$fake/hugepages-2048kB"
echo 0 >"$fake/hugepages-2048kB/free_hugepages"
echo 0 >"$fake/hugepages-2048kB/nr_hugepages"
err=$(unshare --mount --propagation private -- sh -c \
	'mount --bind "$1" /sys/kernel/mm/hugepages && shift && exec "$@"' sh "$fake" \
	"$FP_BIN" --no-pci --file-prefix="$PREFIX" --no-telemetry -l 0-1 --vdev=net_null0 \
	-- -c "$f" 2>&1 >/dev/null) && rc=0 || rc=$?
check_eq "no hugepages: status 1" 1 "$rc"
check_eq "no hugepages: one line that says what to do" \
	"fastpath: no free hugepages: reserve some (echo 512 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages) or add --no-huge -m 512 to the EAL options" \
	"$err"

# --check-config: validates without EAL, prints the effective configuration.
out=$("$FP_BIN" -- -c "$f" --listen 8080,8081 --check-config 2>&1) && rc=0 || rc=$?
check_eq "--check-config exits 0" 0 "$rc"
check "--check-config says OK" grep -q "^fastpath: configuration OK$" <<<"$out"
check "--check-config prints the overridden key" grep -q "^listen = 8080,8081$" <<<"$out"
check "--check-config prints the file's key" grep -q "^address = 198.18.0.2/24$" <<<"$out"
expect 2 "\[ip\] address: required" -- --check-config
f2=$(ini noroot.ini '[ip]\naddress = 198.18.0.2/24\n[http]\nroot = /nonexistent/site\n')
expect 2 "\[http\] root: /nonexistent/site: not a directory" -- -c "$f2" --check-config
f2=$(ini nofile.ini '[ip]\naddress = 198.18.0.2/24\n[route /x]\nfile = /nonexistent/x\n')
expect 2 "\[route /x\] file: /nonexistent/x: not a readable file" -- -c "$f2" --check-config

# --profile: by name from drivers-cfg, then later options override it, and
# the command line's EAL options replace the profile's of the same kind.
expect 2 "--profile nope: no such profile" -- --profile nope --ip 198.18.0.2/24
prof=$(ini p.ini '[eal]\nargs = --no-pci --vdev=net_tap0,iface=fp0 --lcores=0@0,1@1 -m 64\n[port]\nmtu = 1400\n[tcp]\nlisten = 81\n[route /r]\nbody = profile\n')
over=$(ini over.ini '[tcp]\nlisten = 82\n[route /r]\nbody = file\n')
out=$("$FP_BIN" -a 0000:00:00.0 -- --profile "$prof" --ip 198.18.0.2/24 -c "$over" \
	--check-config 2>&1) || true
check "a later file overrides the profile's key" grep -q "^listen = 82$" <<<"$out"
check "the profile's other keys stay" grep -q "^mtu = 1400$" <<<"$out"
check "a later file replaces the profile's route" grep -q "^body = file$" <<<"$out"
check_eq "-a on the command line replaces the profile's devices" \
	"fastpath: EAL arguments: --no-pci --lcores=0@0,1@1 -m 64 -a 0000:00:00.0" \
	"$(grep "EAL arguments" <<<"$out")"
out=$("$FP_BIN" -l 0-1 -m 128 -- --profile "$prof" --ip 198.18.0.2/24 --check-config 2>&1) || true
check_eq "-l and -m on the command line replace the profile's" \
	"fastpath: EAL arguments: --no-pci --vdev=net_tap0,iface=fp0 -l 0-1 -m 128" \
	"$(grep "EAL arguments" <<<"$out")"
out=$("$FP_BIN" -- -c "$over" --profile "$prof" --ip 198.18.0.2/24 --check-config 2>&1) || true
check "options apply in order: a profile after a file wins" grep -q "^listen = 81$" <<<"$out"
out=$("$FP_BIN" -- --profile net_tap --ip 198.18.0.3/24 --check-config 2>&1) || true
check "--profile NAME finds drivers-cfg/NAME.ini" grep -q "iface=fp0" <<<"$out"
check "--ip after the profile overrides its address" grep -q "^address = 198.18.0.3/24$" <<<"$out"
