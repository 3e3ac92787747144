/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>

#include "fp_port.h"

int
fp_port_init(const struct fp_config *cfg, uint16_t nb_queues, struct rte_mempool **pools,
	struct fp_iface *ifc, struct fp_err *err)
{
	uint16_t port = cfg->port_id, nb_rxd = cfg->rx_desc, nb_txd = cfg->tx_desc;
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_eth_rxconf rxq;
	struct rte_eth_txconf txq;
	struct rte_eth_link link;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	int socket, ret;
	uint16_t q;

	if (!rte_eth_dev_is_valid_port(port))
		return fp_fail(err, -ENODEV,
			"port %u not found: %u port(s) probed (name one with --vdev or -a)",
			port, rte_eth_dev_count_avail());
	ret = rte_eth_dev_info_get(port, &info);
	if (ret != 0)
		return fp_fail(err, ret, "port %u: cannot get device info: %s", port,
			strerror(-ret));
	if (nb_queues > info.max_rx_queues || nb_queues > info.max_tx_queues)
		return fp_fail(err, -EINVAL,
			"port %u (%s): %u workers need %u queue pairs, it has %u RX and %u TX",
			port, info.driver_name, nb_queues, nb_queues, info.max_rx_queues,
			info.max_tx_queues);
	if (cfg->mtu > info.max_mtu || cfg->mtu < info.min_mtu)
		return fp_fail(err, -EINVAL, "port %u (%s): MTU %u is outside [%u, %u]",
			port, info.driver_name, cfg->mtu, info.min_mtu, info.max_mtu);

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.mtu = cfg->mtu;
	if (nb_queues > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
	} else if (nb_queues > 1) {
		FP_LOG(WARNING, port, "port %u (%s) has no RSS: flows will not spread",
			port, info.driver_name);
	}
	memset(ifc, 0, sizeof(*ifc));
	/* A profile may turn offloads off for a driver that gets them wrong. */
	if (!cfg->cksum_offload) {
		info.tx_offload_capa &= ~(RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
			RTE_ETH_TX_OFFLOAD_TCP_CKSUM);
		info.rx_offload_capa &= ~(RTE_ETH_RX_OFFLOAD_IPV4_CKSUM |
			RTE_ETH_RX_OFFLOAD_TCP_CKSUM);
	}
	if (!cfg->multi_seg_tx)
		info.tx_offload_capa &= ~RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
		ifc->tx_ip_cksum = true;
	}
	if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM) {
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
		ifc->rx_ip_cksum = true;
	}
	/* The TCP offload wants the IPv4 one with it (l3 lengths and flags). */
	if ((info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) && ifc->tx_ip_cksum) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_TCP_CKSUM;
		ifc->tx_tcp_cksum = true;
	}
	/* net_tap checksums in software with DPDK 22.11's rte_raw_cksum_mbuf
	 * logic, which folds after swapping the sum of a piece at an odd offset.
	 */
	ifc->tx_cksum_odd_bug = strcmp(info.driver_name, "net_tap") == 0;
	if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_TCP_CKSUM) {
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TCP_CKSUM;
		ifc->rx_tcp_cksum = true;
	}
	/* Zero copy chains each body piece to its headers; without this the
	 * bodies are copied, and counted as copied.
	 */
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) {
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
		ifc->tx_multi_seg = true;
	}

	ret = rte_eth_dev_configure(port, nb_queues, nb_queues, &conf);
	if (ret != 0)
		return fp_fail(err, ret, "port %u (%s): configure with %u queues failed: %s",
			port, info.driver_name, nb_queues, strerror(-ret));
	ret = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd);
	if (ret != 0)
		return fp_fail(err, ret, "port %u: cannot adjust descriptors: %s", port,
			strerror(-ret));

	socket = rte_eth_dev_socket_id(port);
	rxq = info.default_rxconf;
	rxq.offloads = conf.rxmode.offloads;
	txq = info.default_txconf;
	txq.offloads = conf.txmode.offloads;
	for (q = 0; q < nb_queues; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_rxd, socket, &rxq, pools[q]);
		if (ret != 0)
			return fp_fail(err, ret, "port %u: RX queue %u setup failed: %s", port, q,
				strerror(-ret));
		ret = rte_eth_tx_queue_setup(port, q, nb_txd, socket, &txq);
		if (ret != 0)
			return fp_fail(err, ret, "port %u: TX queue %u setup failed: %s", port, q,
				strerror(-ret));
	}

	ret = rte_eth_macaddr_get(port, &ifc->mac);
	if (ret != 0)
		return fp_fail(err, ret, "port %u: cannot read MAC address: %s", port,
			strerror(-ret));
	ret = rte_eth_dev_start(port);
	if (ret != 0)
		return fp_fail(err, ret, "port %u (%s): start failed: %s", port,
			info.driver_name, strerror(-ret));

	ifc->port_id = port;
	ifc->ip = cfg->ip;
	ifc->mtu = cfg->mtu;
	ifc->prefix_len = cfg->prefix_len;
	ifc->netmask = fp_ipv4_netmask(cfg->prefix_len);
	ifc->gateway = cfg->gateway;

	rte_ether_format_addr(mac, sizeof(mac), &ifc->mac);
	if (rte_eth_link_get_nowait(port, &link) == 0)
		FP_LOG(INFO, port, "port %u (%s) MAC %s, %u queue pair(s) of %u/%u descriptors, "
			"RSS %s, link %s, checksum offload IPv4 rx=%s tx=%s TCP rx=%s tx=%s, "
			"multi-segment TX %s", port,
			info.driver_name, mac, nb_queues, nb_rxd, nb_txd,
			conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS ? "on" : "off",
			link.link_status ? "up" : "down", ifc->rx_ip_cksum ? "yes" : "no",
			ifc->tx_ip_cksum ? "yes" : "no", ifc->rx_tcp_cksum ? "yes" : "no",
			ifc->tx_tcp_cksum ? "yes" : "no", ifc->tx_multi_seg ? "yes" : "no");
	return 0;
}

void
fp_port_close(uint16_t port_id)
{
	int ret;

	ret = rte_eth_dev_stop(port_id);
	if (ret != 0)
		FP_LOG(WARNING, port, "port %u: stop failed: %s", port_id, strerror(-ret));
	rte_eth_dev_close(port_id);
}
