#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""Sends malformed frames at fastpath and prints, as JSON, how many frames
each drop reason should have counted.

    malformed.py IFACE FP_MAC FP_IP PEER_IP COUNT
"""
import json
import sys

from scapy.all import (ARP, ICMP, IP, UDP, Ether, IPOption_LSRR, Raw, conf, get_if_hwaddr,
                       sendp)


def frames(iface, fp_mac, fp_ip, peer_ip):
    me = get_if_hwaddr(iface)
    eth = Ether(dst=fp_mac, src=me)
    ping = ICMP(type=8, id=7, seq=1) / Raw(b"fastpath" * 4)
    good = IP(src=peer_ip, dst=fp_ip)
    arp = bytes(ARP(op=1, hwsrc=me, psrc=peer_ip, pdst=fp_ip))
    return {
        "ipv4_bad_csum": [eth / IP(src=peer_ip, dst=fp_ip, chksum=0x1234) / ping],
        "ipv4_bad_ihl": [eth / IP(src=peer_ip, dst=fp_ip, ihl=4) / ping],
        "ipv4_bad_version": [eth / IP(src=peer_ip, dst=fp_ip, version=5) / ping],
        # Fragments no datagram can be made of (reassembly is on): not the
        # last, yet not a multiple of 8 bytes; reaching past 65535 bytes.
        "ipv4_frag_bad_len": [eth / IP(src=peer_ip, dst=fp_ip, flags="MF") / Raw(b"x" * 30)],
        "ipv4_frag_oversize": [eth / IP(src=peer_ip, dst=fp_ip, frag=8189) / Raw(b"x" * 40)],
        "ipv4_truncated": [eth / IP(src=peer_ip, dst=fp_ip, len=200) / ping],
        "ipv4_bad_src": [eth / IP(src="127.0.0.1", dst=fp_ip) / ping,
                         eth / IP(src="198.18.0.255", dst=fp_ip) / ping],
        "ipv4_not_for_us": [eth / IP(src=peer_ip, dst="198.18.0.77") / ping],
        "ipv4_unknown_proto": [eth / good / UDP(sport=9, dport=9) / Raw(b"u" * 8)],
        "icmp_bad_csum": [eth / good / ICMP(type=8, chksum=0xbeef) / Raw(b"z" * 8)],
        "icmp_unsupported": [eth / good / ICMP(type=13)],
        "arp_truncated": [Ether(dst="ff:ff:ff:ff:ff:ff", src=me, type=0x0806) / Raw(arp[:20])],
        "arp_bad_format": [Ether(dst="ff:ff:ff:ff:ff:ff", src=me) /
                           ARP(op=1, ptype=0x86dd, hwsrc=me, psrc=peer_ip, pdst=fp_ip)],
        "arp_bad_op": [Ether(dst="ff:ff:ff:ff:ff:ff", src=me) /
                       ARP(op=9, hwsrc=me, psrc=peer_ip, pdst=fp_ip)],
        "eth_unknown_type": [Ether(dst=fp_mac, src=me, type=0x88b5) / Raw(b"e" * 46)],
        "eth_bad_src": [Ether(dst=fp_mac, src="01:00:5e:00:00:01") / good / ping],
        "ipv4_link_bcast": [Ether(dst="ff:ff:ff:ff:ff:ff", src=me) / good / ping],
        "ipv4_source_route": [eth / IP(src=peer_ip, dst=fp_ip,
                                       options=[IPOption_LSRR(routers=["198.18.0.9"])]) / ping],
    }


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    iface, fp_mac, fp_ip, peer_ip, count = sys.argv[1:6]
    conf.verb = 0
    want = {}
    for reason, pkts in frames(iface, fp_mac, fp_ip, peer_ip).items():
        sendp(pkts * int(count), iface=iface, inter=0.001)
        want[reason] = len(pkts) * int(count)
    print(json.dumps(want))


if __name__ == "__main__":
    main()
