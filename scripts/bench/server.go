// SPDX-License-Identifier: BSD-3-Clause
// Copyright(c) 2026 The fastpath authors

// Go net/http: the same 1 KB body as every other server in scripts/bench.sh.
package main

import (
	"net/http"
	"os"
	"strconv"
)

func main() {
	body, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	size := strconv.Itoa(len(body))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", size)
		w.Write(body)
	})
	panic(http.ListenAndServe(os.Args[2]+":80", nil))
}
