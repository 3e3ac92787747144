// SPDX-License-Identifier: BSD-3-Clause
// Copyright(c) 2026 The fastpath authors

// Command pushclient is scripts/bench-push.sh's load client: N WebSocket
// subscribers and one publisher on the same path, standard library only
// (the handshake and the frames are written out by hand: RFC 6455).
//
//	pushclient -addr 198.18.0.2:80 -subs 1000 -messages 2000
//	           [-path /live/bench] [-size 100] [-window 32] [-rate 0]
//	           [-timeout 60] [-drain 5] [-sync DIR]
//
// The publisher sends -messages text messages of -size bytes, each carrying
// its sequence number and its send time (nanoseconds on this process's
// monotonic clock). With -rate 0 it goes as fast as the window allows: a
// message is sent only once every subscriber has received the one -window
// messages before it, so the server is kept busy but never holds more than
// -window messages per subscriber. With -rate R it also keeps to R
// messages/s. Every subscriber reads every frame and records the delivery
// latency (receive time - send time) in a histogram. The publisher receives
// the messages too (both servers send to every client of the path); it reads
// them so the server never holds them, and they are not counted.
//
// -sync DIR: after connecting, create DIR/ready and wait for DIR/go; after
// the last delivery, create DIR/done and wait for DIR/close, so that the
// caller can read the server's CPU counters around the publishing alone
// (each wait at most 30 s). Every phase is bounded: -timeout bounds the run.
//
// Prints one JSON object: subscribers, messages, delivered, seconds,
// delivered_per_s, p50_us, p99_us, missing (messages a subscriber never
// got), out_of_order, and more.
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/bits"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

var (
	flagAddr    = flag.String("addr", "198.18.0.2:80", "server host:port")
	flagPath    = flag.String("path", "/live/bench", "WebSocket path of subscribers and publisher")
	flagSubs    = flag.Int("subs", 100, "subscribers")
	flagMsgs    = flag.Int("messages", 1000, "messages to publish")
	flagSize    = flag.Int("size", 100, "message size in bytes (at least 32, at most 125)")
	flagWindow  = flag.Int("window", 32, "messages in flight, counted at the slowest subscriber")
	flagRate    = flag.Float64("rate", 0, "target messages/s (0: as fast as the window allows)")
	flagTimeout = flag.Float64("timeout", 60, "bound of the whole run, seconds")
	flagDrain   = flag.Float64("drain", 5, "after the last send, longest wait for deliveries, seconds")
	flagStall   = flag.Float64("stall", 2, "longest wait for the window to open before sending anyway, seconds")
	flagSync    = flag.String("sync", "", "directory for the ready/go/done/close handshake with the caller")
	flagConnPar = flag.Int("connect-parallel", 64, "handshakes in progress at once")
)

var t0 = time.Now()

// now is nanoseconds on the monotonic clock since the process started.
func now() int64 { return int64(time.Since(t0)) }

// Latency histogram in microseconds: exact below 64, then 32 buckets per
// power of two (about 3% wide).
const nbuckets = 2048

var hist [nbuckets]uint64

func bucket(us uint64) int {
	if us < 64 {
		return int(us)
	}
	e := bits.Len64(us) - 6
	i := e*32 + int(us>>uint(e))
	if i >= nbuckets {
		i = nbuckets - 1
	}
	return i
}

// bucketLow is the smallest value of bucket i, the inverse of bucket().
func bucketLow(i int) uint64 {
	if i < 64 {
		return uint64(i)
	}
	e := i/32 - 1
	return uint64(i-e*32) << uint(e)
}

func percentile(p float64) float64 {
	var total uint64
	for i := range hist {
		total += atomic.LoadUint64(&hist[i])
	}
	if total == 0 {
		return 0
	}
	want := uint64(p / 100 * float64(total))
	if want >= total {
		want = total - 1
	}
	var seen uint64
	for i := range hist {
		seen += atomic.LoadUint64(&hist[i])
		if seen > want {
			return float64(bucketLow(i))
		}
	}
	return float64(bucketLow(nbuckets - 1))
}

// The shared counters.
var (
	nsubs        int32
	msgs         int
	doneCount    []int32 // per sequence number: subscribers that have it (or gave up)
	notify       = make(chan struct{}, 1)
	delivered    int64
	outOfOrder   int64
	duplicates   int64
	badFrames    int64
	lastDelivery int64
	firstSend    int64
	echoes       int64
	closedByPeer int64
	finished     int32 // subscribers done (all messages, or gone)
	allFinished  = make(chan struct{})
	closeCodes   sync.Map // code -> *int64
)

func wake() {
	select {
	case notify <- struct{}{}:
	default:
	}
}

type conn struct {
	c  net.Conn
	br *bufio.Reader
}

func dial(deadline time.Time) (*conn, error) {
	c, err := net.DialTimeout("tcp", *flagAddr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
	}
	var k [16]byte
	rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	host := *flagAddr
	if strings.HasSuffix(host, ":80") {
		host = strings.TrimSuffix(host, ":80")
	}
	req := "GET " + *flagPath + " HTTP/1.1\r\nHost: " + host +
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
		"\r\nSec-WebSocket-Version: 13\r\n\r\n"
	hd := time.Now().Add(10 * time.Second)
	if hd.After(deadline) {
		hd = deadline
	}
	c.SetDeadline(hd)
	if _, err := io.WriteString(c, req); err != nil {
		c.Close()
		return nil, err
	}
	br := bufio.NewReaderSize(c, 65536)
	status, err := br.ReadString('\n')
	if err != nil {
		c.Close()
		return nil, err
	}
	if f := strings.Fields(status); len(f) < 2 || f[1] != "101" {
		c.Close()
		return nil, fmt.Errorf("handshake answered %q", strings.TrimSpace(status))
	}
	h := sha1.Sum([]byte(key + wsGUID))
	want := base64.StdEncoding.EncodeToString(h[:])
	ok := false
	for {
		ln, err := br.ReadString('\n')
		if err != nil {
			c.Close()
			return nil, err
		}
		ln = strings.TrimRight(ln, "\r\n")
		if ln == "" {
			break
		}
		if i := strings.IndexByte(ln, ':'); i > 0 &&
			strings.EqualFold(ln[:i], "Sec-WebSocket-Accept") &&
			strings.TrimSpace(ln[i+1:]) == want {
			ok = true
		}
	}
	if !ok {
		c.Close()
		return nil, errors.New("no or wrong Sec-WebSocket-Accept")
	}
	c.SetDeadline(time.Time{})
	return &conn{c: c, br: br}, nil
}

// parse reads the decimal sequence number and send time at the start of p:
// "SSSSSSSSSS TTTTTTTTTTTTTTTTTTT ...".
func parse(p []byte) (seq int64, ts int64, ok bool) {
	if len(p) < 31 || p[10] != ' ' || p[30] != ' ' {
		return 0, 0, false
	}
	for _, b := range p[:10] {
		if b < '0' || b > '9' {
			return 0, 0, false
		}
		seq = seq*10 + int64(b-'0')
	}
	for _, b := range p[11:30] {
		if b < '0' || b > '9' {
			return 0, 0, false
		}
		ts = ts*10 + int64(b-'0')
	}
	return seq, ts, true
}

type sub struct {
	*conn
	got   []uint64
	count int
	last  int64
	isPub bool
}

// finish marks s as done: the messages it never got count as given up, so
// the publisher's window does not wait for them.
func (s *sub) finish() {
	if s.isPub {
		return
	}
	if s.count < msgs {
		for k := 0; k < msgs; k++ {
			if s.got[k/64]&(1<<uint(k%64)) == 0 {
				if atomic.AddInt32(&doneCount[k], 1) == atomic.LoadInt32(&nsubs) {
					wake()
				}
			}
		}
	}
	if atomic.AddInt32(&finished, 1) == atomic.LoadInt32(&nsubs) {
		close(allFinished)
	}
}

// read takes frames until every message came, the peer closes, or the
// connection is closed under it.
func (s *sub) read() {
	defer s.finish()
	br := s.br
	for s.isPub || s.count < msgs {
		h, err := br.Peek(2)
		if err != nil {
			return
		}
		op := h[0] & 0x0f
		n := uint64(h[1] & 0x7f)
		hl := 2
		if h[1]&0x80 != 0 { // servers do not mask
			atomic.AddInt64(&badFrames, 1)
			return
		}
		switch n {
		case 126:
			hl = 4
		case 127:
			hl = 10
		}
		h, err = br.Peek(hl)
		if err != nil {
			return
		}
		if hl == 4 {
			n = uint64(binary.BigEndian.Uint16(h[2:4]))
		} else if hl == 10 {
			n = binary.BigEndian.Uint64(h[2:10])
		}
		br.Discard(hl)
		if n > uint64(br.Size()) {
			atomic.AddInt64(&badFrames, 1)
			return
		}
		p, err := br.Peek(int(n))
		if err != nil {
			return
		}
		switch op {
		case 1, 2:
			s.message(p)
		case 8:
			code := 1005
			if len(p) >= 2 {
				code = int(binary.BigEndian.Uint16(p))
			}
			v, _ := closeCodes.LoadOrStore(code, new(int64))
			atomic.AddInt64(v.(*int64), 1)
			atomic.AddInt64(&closedByPeer, 1)
			return
		case 9, 10:
			// Pings: neither server sends them here (heartbeat_ms = 0).
		default:
			atomic.AddInt64(&badFrames, 1)
		}
		br.Discard(int(n))
	}
}

func (s *sub) message(p []byte) {
	t := now()
	if s.isPub {
		atomic.AddInt64(&echoes, 1)
		return
	}
	seq, ts, ok := parse(p)
	if !ok || seq < 0 || seq >= int64(msgs) {
		atomic.AddInt64(&badFrames, 1)
		return
	}
	w, b := seq/64, uint64(1)<<uint(seq%64)
	if s.got[w]&b != 0 {
		atomic.AddInt64(&duplicates, 1)
		return
	}
	s.got[w] |= b
	if seq <= s.last {
		atomic.AddInt64(&outOfOrder, 1)
	}
	s.last = seq
	s.count++
	lat := t - ts
	if lat < 0 {
		lat = 0
	}
	atomic.AddUint64(&hist[bucket(uint64(lat/1000))], 1)
	atomic.AddInt64(&delivered, 1)
	for {
		l := atomic.LoadInt64(&lastDelivery)
		if t <= l || atomic.CompareAndSwapInt64(&lastDelivery, l, t) {
			break
		}
	}
	if atomic.AddInt32(&doneCount[seq], 1) == atomic.LoadInt32(&nsubs) {
		wake()
	}
}

// frame is a masked text frame of p (RFC 6455 5.3: a client masks).
func frame(p []byte) []byte {
	f := make([]byte, 0, 14+len(p))
	f = append(f, 0x81)
	switch {
	case len(p) < 126:
		f = append(f, 0x80|byte(len(p)))
	default:
		f = append(f, 0x80|126, byte(len(p)>>8), byte(len(p)))
	}
	var m [4]byte
	rand.Read(m[:])
	f = append(f, m[:]...)
	for i, b := range p {
		f = append(f, b^m[i%4])
	}
	return f
}

// waitFile waits up to 30 s for path to exist.
func waitFile(path string, deadline time.Time) {
	end := time.Now().Add(30 * time.Second)
	if end.After(deadline) {
		end = deadline
	}
	for time.Now().Before(end) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func touch(path string) {
	if f, err := os.Create(path); err == nil {
		f.Close()
	}
}

func main() {
	flag.Parse()
	if *flagSize < 32 || *flagSize > 125 {
		fmt.Fprintln(os.Stderr, "pushclient: -size from 32 to 125")
		os.Exit(2)
	}
	if *flagWindow < 1 || *flagSubs < 1 || *flagMsgs < 1 {
		fmt.Fprintln(os.Stderr, "pushclient: -window, -subs and -messages are at least 1")
		os.Exit(2)
	}
	deadline := t0.Add(time.Duration(*flagTimeout * float64(time.Second)))
	// A last resort: whatever happens, the process ends.
	time.AfterFunc(time.Until(deadline)+10*time.Second, func() {
		fmt.Fprintln(os.Stderr, "pushclient: run bound passed, exiting")
		os.Exit(3)
	})
	msgs = *flagMsgs
	doneCount = make([]int32, msgs)

	// Subscribers, -connect-parallel handshakes at a time.
	subs := make([]*sub, *flagSubs)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		failed  int
		lastErr error
	)
	sem := make(chan struct{}, *flagConnPar)
	for i := range subs {
		if time.Now().After(deadline) {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := dial(deadline)
			if err != nil {
				mu.Lock()
				failed++
				lastErr = err
				mu.Unlock()
				return
			}
			subs[i] = &sub{conn: c, got: make([]uint64, (msgs+63)/64), last: -1}
		}(i)
	}
	wg.Wait()
	connectSecs := time.Since(t0).Seconds()
	open := subs[:0]
	for _, s := range subs {
		if s != nil {
			open = append(open, s)
		}
	}
	if failed != 0 {
		fmt.Fprintf(os.Stderr, "pushclient: %d subscribers failed to connect, e.g. %v\n",
			failed, lastErr)
	}
	if len(open) == 0 {
		fmt.Fprintln(os.Stderr, "pushclient: no subscriber")
		os.Exit(1)
	}
	atomic.StoreInt32(&nsubs, int32(len(open)))
	pc, err := dial(deadline)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pushclient: publisher: %v\n", err)
		os.Exit(1)
	}
	pub := &sub{conn: pc, isPub: true, last: -1}
	for _, s := range open {
		go s.read()
	}
	go pub.read()

	if *flagSync != "" {
		touch(filepath.Join(*flagSync, "ready"))
		waitFile(filepath.Join(*flagSync, "go"), deadline)
	}

	// The publisher.
	cpu0 := cpuSecs()
	payload := make([]byte, *flagSize)
	for i := range payload {
		payload[i] = 'x'
	}
	W := *flagWindow
	stall := time.Duration(*flagStall * float64(time.Second))
	stalls, sent := 0, 0
	var writeErr error
	start := time.Now()
	atomic.StoreInt64(&firstSend, now())
	timer := time.NewTimer(time.Hour)
	for seq := 0; seq < msgs && time.Now().Before(deadline); seq++ {
		if seq >= W {
			k := seq - W
			timer.Reset(stall)
			for atomic.LoadInt32(&doneCount[k]) < atomic.LoadInt32(&nsubs) {
				select {
				case <-notify:
					continue
				case <-timer.C:
					stalls++
				}
				break
			}
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
		}
		if *flagRate > 0 {
			due := start.Add(time.Duration(float64(seq) / *flagRate * float64(time.Second)))
			if d := time.Until(due); d > 0 {
				time.Sleep(d)
			}
		}
		copy(payload, fmt.Sprintf("%010d %019d ", seq, now()))
		if _, writeErr = pc.c.Write(frame(payload)); writeErr != nil {
			break
		}
		sent++
	}
	lastSend := now()

	// Deliveries: until every subscriber has every message (or is gone),
	// -drain at most.
	drain := time.Duration(*flagDrain * float64(time.Second))
	if d := time.Until(deadline); d < drain {
		drain = d
	}
	if drain < 0 {
		drain = 0
	}
	select {
	case <-allFinished:
	case <-time.After(drain):
	}
	cpu1 := cpuSecs()
	if *flagSync != "" {
		touch(filepath.Join(*flagSync, "done"))
		waitFile(filepath.Join(*flagSync, "close"), deadline.Add(5*time.Second))
	}
	for _, s := range open {
		s.c.Close()
	}
	pc.c.Close()

	// What came.
	n := int64(len(open))
	dl := atomic.LoadInt64(&delivered)
	end := atomic.LoadInt64(&lastDelivery)
	if end < lastSend {
		end = lastSend
	}
	secs := float64(end-atomic.LoadInt64(&firstSend)) / 1e9
	codes := map[string]int64{}
	closeCodes.Range(func(k, v interface{}) bool {
		codes[fmt.Sprint(k)] = atomic.LoadInt64(v.(*int64))
		return true
	})
	perSub := make([]int, 0, len(open))
	for _, s := range open {
		perSub = append(perSub, s.count)
	}
	sort.Ints(perSub)
	res := map[string]interface{}{
		"subscribers":       n,
		"subscribers_asked": *flagSubs,
		"connect_failed":    failed,
		"connect_seconds":   round(connectSecs, 3),
		"messages":          msgs,
		"sent":              sent,
		"delivered":         dl,
		"seconds":           round(secs, 3),
		"delivered_per_s":   0.0,
		"p50_us":            percentile(50),
		"p99_us":            percentile(99),
		"p999_us":           percentile(99.9),
		"max_us":            percentile(100),
		"missing":           n*int64(msgs) - dl,
		"out_of_order":      atomic.LoadInt64(&outOfOrder),
		"duplicates":        atomic.LoadInt64(&duplicates),
		"bad_frames":        atomic.LoadInt64(&badFrames),
		"publisher_echoes":  atomic.LoadInt64(&echoes),
		"closed_by_server":  atomic.LoadInt64(&closedByPeer),
		"close_codes":       codes,
		"fewest_received":   perSub[0],
		"window":            W,
		"rate":              *flagRate,
		"window_stalls":     stalls,
		"client_cpu_s":      round(cpu1-cpu0, 3),
	}
	if secs > 0 {
		res["delivered_per_s"] = round(float64(dl)/secs, 0)
	}
	if writeErr != nil {
		res["publisher_error"] = writeErr.Error()
	}
	out, _ := json.Marshal(res)
	fmt.Println(string(out))
}

// cpuSecs is this process's user and system CPU time so far.
func cpuSecs() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func round(v float64, d int) float64 {
	p := 1.0
	for i := 0; i < d; i++ {
		p *= 10
	}
	return float64(int64(v*p+0.5)) / p
}
