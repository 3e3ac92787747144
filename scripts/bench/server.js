// SPDX-License-Identifier: BSD-3-Clause
// Copyright(c) 2026 The fastpath authors
//
// Node.js http: the same 1 KB body as every other server in scripts/bench.sh.
'use strict';
const http = require('http');
const fs = require('fs');
const body = fs.readFileSync(process.argv[2]);
http.createServer((req, res) => {
	res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
	res.end(req.method === 'HEAD' ? undefined : body);
}).listen(80, process.argv[3]);
