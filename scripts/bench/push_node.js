// SPDX-License-Identifier: BSD-3-Clause
// Copyright(c) 2026 The fastpath authors
//
// Node.js + ws (Debian's node-ws), the other side of scripts/bench-push.sh:
// WebSocket clients on /live/bench, and every message any of them sends is
// sent to every open client, the sender included, as the ws README's
// broadcast example does and as fastpath's [channel /live/] publish = both
// does. Single-threaded: one process, no cluster, no worker threads.
//
//   NODE_PATH=/usr/share/nodejs node push_node.js ADDRESS [PORT]
'use strict';
const { WebSocketServer, WebSocket } = require('ws');

const host = process.argv[2] || '0.0.0.0';
const port = Number(process.argv[3] || 80);
const wss = new WebSocketServer({
	host, port, path: '/live/bench', backlog: 4096,
	perMessageDeflate: false, maxPayload: 1024,
});
wss.on('connection', (ws) => {
	ws.on('error', () => {});
	ws.on('message', (data, isBinary) => {
		wss.clients.forEach((client) => {
			if (client.readyState === WebSocket.OPEN)
				client.send(data, { binary: isBinary });
		});
	});
});
wss.on('listening', () => console.log(`push_node: listening on ${host}:${port}`));
for (const sig of ['SIGINT', 'SIGTERM'])
	process.on(sig, () => process.exit(0));
