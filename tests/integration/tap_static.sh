#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Static content the nginx way, over net_tap with curl: gzip and brotli
# variants made at start and .gz siblings, negotiated by Accept-Encoding
# (406 when nothing is acceptable); ETag and Last-Modified, 304 and 412;
# byte ranges (206, 416, If-Range) that reassemble into the file. No body
# byte is copied; connections and mbufs return to their baseline.
. "$(dirname "$0")/lib.sh"

site=$IT_TMP/site
mkdir -p "$site"
# 100 KB of JavaScript that compresses, as a bundle does.
for i in $(seq 1 2000); do
	echo "export function f$i(a, b) { return a * $i + b - $((i * 7 % 13)); }"
done >"$site/app.js"
truncate -s 102400 "$site/app.js"
echo '{"answer": 42}' >"$site/small.json"
# Text that does not compress: served as it is, with no Vary.
head -c 8192 /dev/urandom >"$site/noise.txt"
# A precompressed sibling, made by gzip with the name in it (libdeflate
# never writes one): its bytes tell it from a variant made at start.
for i in $(seq 1 300); do echo ".c$i { margin: ${i}px; color: #$((i * 37 % 999)); }"; done \
	>"$site/pre.css"
cp "$site/pre.css" "$site/named.css"
gzip -9 -N -c "$site/named.css" >"$site/pre.css.gz"
# A stale one, older than its file: not used.
cp "$site/pre.css" "$site/stale.css"
gzip -9 -N -c "$site/named.css" >"$site/stale.css.gz"
touch -d '2020-01-01' "$site/stale.css.gz"
touch -d '2021-06-15 12:34:56 UTC' "$site/stale.css"
head -c 1048576 /dev/urandom >"$site/big.bin"
# Another name of a file: its body is held once.
ln "$site/noise.txt" "$site/noise-link.txt"

cfg=$IT_TMP/static.ini
cat >"$cfg" <<'EOF'
[tcp]
time_wait_ms = 1000
EOF

it_start_tap --root "$site" -c "$cfg"
base_mbufs=$(tel /fastpath/stats mbufs_in_use)
base_conns=$(tel /fastpath/stats tcp_conns)
URL=http://$FP_IP

count() { tel /fastpath/stats "$1"; }

# Hugepage memory: each file once, however many names it has (a hard link,
# a .gz sibling that is also served under its own path), and the variants
# made at start.
check "hugepage memory holds each file once, and the variants made" "$FP_PY" - \
	"$site" "$IT_LOG" "$(tel /fastpath/routes)" <<'PY'
import json, os, re, sys
site, log, routes = sys.argv[1], open(sys.argv[2]).read(), json.loads(sys.argv[3])
got = int(re.search(r"routes, (\d+) bytes of content", log).group(1))
inodes = {}
for d, _, files in os.walk(site):
    for f in files:
        st = os.stat(os.path.join(d, f))
        inodes[(st.st_dev, st.st_ino)] = st.st_size
want = sum(inodes.values())
rows = [v for k, v in routes.items() if k.isdigit()]
want += sum(r.get("gzip_size", 0) + r.get("br_size", 0) for r in rows)
# pre.css's gzip variant is pre.css.gz itself, counted once above.
want -= os.path.getsize(os.path.join(site, "pre.css.gz"))
print("content bytes", got, "want", want)
sys.exit(got != want)
PY
# --- Compression ---------------------------------------------------------
gz0=$(count http_gzip)
br0=$(count http_br)
c -D "$IT_TMP/h" -o "$IT_TMP/app.gz" -H 'Accept-Encoding: gzip' "$URL/app.js" || true
check_eq "gzip asked: 200" 200 "$(status "$IT_TMP/h")"
check_eq "gzip asked: Content-Encoding" gzip "$(hdr "$IT_TMP/h" Content-Encoding)"
check_eq "gzip asked: Vary" Accept-Encoding "$(hdr "$IT_TMP/h" Vary)"
check_eq "gzip: Content-Length is the variant's" "$(stat -c %s "$IT_TMP/app.gz")" \
	"$(hdr "$IT_TMP/h" Content-Length)"
check "gzip: the body decompresses to the file" \
	sh -c "gzip -dc <'$IT_TMP/app.gz' | cmp -s - '$site/app.js'"
check "gzip: at most 90% of the file" \
	test "$(stat -c %s "$IT_TMP/app.gz")" -le $((102400 * 9 / 10))
etag_gz=$(hdr "$IT_TMP/h" ETag)
check_eq "gzip answers counted" $((gz0 + 1)) "$(count http_gzip)"

c -D "$IT_TMP/h" -o "$IT_TMP/app.dec" --compressed -H 'Accept-Encoding: br' "$URL/app.js" ||
	true
check_eq "br asked: Content-Encoding" br "$(hdr "$IT_TMP/h" Content-Encoding)"
check "br: curl --compressed decodes it to the file" cmp -s "$site/app.js" "$IT_TMP/app.dec"
etag_br=$(hdr "$IT_TMP/h" ETag)
check_eq "br answers counted" $((br0 + 1)) "$(count http_br)"

c -D "$IT_TMP/h" -o "$IT_TMP/app.dec" --compressed "$URL/app.js" || true
check_eq "curl --compressed (deflate, gzip, br, zstd): br wins the tie" br \
	"$(hdr "$IT_TMP/h" Content-Encoding)"
check "curl --compressed: byte-exact" cmp -s "$site/app.js" "$IT_TMP/app.dec"
c -D "$IT_TMP/h" -o "$IT_TMP/app.dec" --compressed -H 'Accept-Encoding: br;q=0.5, gzip' \
	"$URL/app.js" || true
check_eq "br;q=0.5, gzip: gzip" gzip "$(hdr "$IT_TMP/h" Content-Encoding)"
check "br;q=0.5, gzip: byte-exact" cmp -s "$site/app.js" "$IT_TMP/app.dec"

c -D "$IT_TMP/h" -o "$IT_TMP/app.id" "$URL/app.js" || true
check_eq "no Accept-Encoding: no Content-Encoding" "" "$(hdr "$IT_TMP/h" Content-Encoding)"
check_eq "no Accept-Encoding: Vary all the same" Accept-Encoding "$(hdr "$IT_TMP/h" Vary)"
check "no Accept-Encoding: the file" cmp -s "$site/app.js" "$IT_TMP/app.id"
check_eq "Accept-Ranges" bytes "$(hdr "$IT_TMP/h" Accept-Ranges)"
etag_id=$(hdr "$IT_TMP/h" ETag)
check "ETag strong and quoted ($etag_id)" grep -Eq '^"[0-9a-f]{16}"$' <<<"$etag_id"
check "each variant its own ETag" test "$etag_id" != "$etag_gz" -a "$etag_gz" != "$etag_br" \
	-a -n "$etag_gz" -a -n "$etag_br"
lm=$(hdr "$IT_TMP/h" Last-Modified)
check_eq "Last-Modified is the file's mtime" "$(date -u -r "$site/app.js" \
	'+%a, %d %b %Y %H:%M:%S GMT')" "$lm"

# HEAD: GET's headers.
c -I -D "$IT_TMP/hh" -o /dev/null -H 'Accept-Encoding: gzip' "$URL/app.js" || true
for f in Content-Encoding Content-Length ETag Vary Last-Modified; do
	c -D "$IT_TMP/h" -o /dev/null -H 'Accept-Encoding: gzip' "$URL/app.js" || true
	check_eq "HEAD: $f as GET's" "$(hdr "$IT_TMP/h" $f)" "$(hdr "$IT_TMP/hh" $f)"
done

n406=$(count http_406)
check_eq "identity;q=0, gzip;q=0, br;q=0: 406" 406 "$(c -o /dev/null -w '%{http_code}' \
	-H 'Accept-Encoding: identity;q=0, gzip;q=0, br;q=0' "$URL/app.js" || true)"
check_eq "*;q=0: 406" 406 "$(c -o /dev/null -w '%{http_code}' \
	-H 'Accept-Encoding: *;q=0' "$URL/app.js" || true)"
check_eq "406s counted" $((n406 + 2)) "$(count http_406)"
check_eq "a malformed Accept-Encoding is ignored: 200 identity" "200 " "$(c -D "$IT_TMP/h" \
	-o /dev/null -w '%{http_code} ' -H 'Accept-Encoding: gzip;q=2' "$URL/app.js" || true)"
check_eq "a malformed Accept-Encoding: no Content-Encoding" "" \
	"$(hdr "$IT_TMP/h" Content-Encoding)"

c -D "$IT_TMP/h" -o "$IT_TMP/b" -H 'Accept-Encoding: gzip, br' "$URL/small.json" || true
check_eq "below compress_min: identity" "" "$(hdr "$IT_TMP/h" Content-Encoding)"
check_eq "below compress_min: no Vary" "" "$(hdr "$IT_TMP/h" Vary)"
c -D "$IT_TMP/h" -o "$IT_TMP/b" -H 'Accept-Encoding: gzip, br' "$URL/noise.txt" || true
check_eq "compressed not smaller: served identity" "" "$(hdr "$IT_TMP/h" Content-Encoding)"
check "compressed not smaller: the file" cmp -s "$site/noise.txt" "$IT_TMP/b"
check_eq "identity;q=0 on a resource without variants: 200 (not negotiated)" 200 \
	"$(c -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: identity;q=0' \
	"$URL/noise.txt" || true)"

c -D "$IT_TMP/h" -o "$IT_TMP/pre.gz" -H 'Accept-Encoding: gzip' "$URL/pre.css" || true
check "a fresh .gz sibling is served as it is" cmp -s "$site/pre.css.gz" "$IT_TMP/pre.gz"
# A variant's ETag is of its own bytes: the sibling's, served under its own
# path too, with the coding said.
pre_tag=$(hdr "$IT_TMP/h" ETag)
c -D "$IT_TMP/h" -o /dev/null "$URL/pre.css.gz" || true
check_eq "the gzip variant's ETag is its bytes' (those of /pre.css.gz)" \
	"$(hdr "$IT_TMP/h" ETag | sed 's/"$/-gz"/')" "$pre_tag"
c -o "$IT_TMP/stale.gz" -H 'Accept-Encoding: gzip' "$URL/stale.css" || true
check "a stale .gz sibling is not" test "$(cmp -s "$site/stale.css.gz" "$IT_TMP/stale.gz";
	echo $?)" = 1
check "the variant made instead decompresses to the file" \
	sh -c "gzip -dc <'$IT_TMP/stale.gz' | cmp -s - '$site/stale.css'"

# --- Conditional requests ------------------------------------------------
n304=$(count http_304)
rm -f "$IT_TMP/b"
c -D "$IT_TMP/h" -o "$IT_TMP/b" -H "If-None-Match: $etag_id" "$URL/app.js" || true
check_eq "If-None-Match with the ETag: 304" 304 "$(status "$IT_TMP/h")"
check "304: no body" test ! -s "$IT_TMP/b"
check_eq "304: its ETag" "$etag_id" "$(hdr "$IT_TMP/h" ETag)"
check_eq "304: Vary" Accept-Encoding "$(hdr "$IT_TMP/h" Vary)"
check_eq "304: no Content-Length" "" "$(hdr "$IT_TMP/h" Content-Length)"
check_eq "If-None-Match of the gzip variant, gzip asked: 304" 304 \
	"$(c -o /dev/null -w '%{http_code}' -H "If-None-Match: \"x\", $etag_gz" \
	-H 'Accept-Encoding: gzip' "$URL/app.js" || true)"
check_eq "If-None-Match of the gzip variant, identity asked: 200" 200 \
	"$(c -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag_gz" "$URL/app.js" || true)"
check_eq "If-None-Match: W/ (weak comparison): 304" 304 \
	"$(c -o /dev/null -w '%{http_code}' -H "If-None-Match: W/$etag_id" "$URL/app.js" || true)"
check_eq "If-None-Match: *: 304" 304 \
	"$(c -o /dev/null -w '%{http_code}' -H 'If-None-Match: *' "$URL/app.js" || true)"
c -D "$IT_TMP/h" -o /dev/null -z "$(date -u -R -d "$lm + 1 day")" "$URL/app.js" || true
check_eq "curl -z (If-Modified-Since) a day after the mtime: 304" 304 "$(status "$IT_TMP/h")"
check_eq "curl -z a day before: 200" 200 \
	"$(c -o /dev/null -w '%{http_code}' -z "$(date -u -R -d "$lm - 1 day")" \
	"$URL/app.js" || true)"
# Not with -z: curl turns a 200 older than its date into a 304 of its own.
c -D "$IT_TMP/h" -o /dev/null -H 'If-None-Match: "other"' \
	-H "If-Modified-Since: $(date -u -d "$lm + 1 day" '+%a, %d %b %Y %H:%M:%S GMT')" \
	"$URL/app.js" || true
check_eq "If-None-Match wins over If-Modified-Since" 200 "$(status "$IT_TMP/h")"
check_eq "304s counted" $((n304 + 5)) "$(count http_304)"
check_eq "If-Match another tag: 412" 412 \
	"$(c -o /dev/null -w '%{http_code}' -H 'If-Match: "other"' "$URL/app.js" || true)"
check_eq "If-Match its tag: 200" 200 \
	"$(c -o /dev/null -w '%{http_code}' -H "If-Match: $etag_id" "$URL/app.js" || true)"
check_eq "If-Unmodified-Since before the mtime: 412" 412 \
	"$(c -o /dev/null -w '%{http_code}' -H "If-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT" \
	"$URL/app.js" || true)"
check_eq "If-Modified-Since that is no date: ignored, 200" 200 \
	"$(c -o /dev/null -w '%{http_code}' -H 'If-Modified-Since: yesterday' \
	"$URL/app.js" || true)"

# --- Ranges --------------------------------------------------------------
big_etag=$(c -I "$URL/big.bin" | tr -d '\r' | sed -n 's/^ETag: //Ip')
: >"$IT_TMP/parts"
for r in 0-262143 262144-524287 524288-786431 -262144; do
	c -D "$IT_TMP/h" -o "$IT_TMP/part" -H "Range: bytes=$r" "$URL/big.bin" || true
	check_eq "Range bytes=$r: 206" 206 "$(status "$IT_TMP/h")"
	cat "$IT_TMP/part" >>"$IT_TMP/parts"
done
check_eq "the four ranges reassemble into the file" "$(sha256sum <"$site/big.bin")" \
	"$(sha256sum <"$IT_TMP/parts")"
c -D "$IT_TMP/h" -o "$IT_TMP/part" -r 1000- "$URL/big.bin" || true
check_eq "open-ended range: Content-Range" "bytes 1000-1048575/1048576" \
	"$(hdr "$IT_TMP/h" Content-Range)"
check_eq "open-ended range: Content-Length" 1047576 "$(hdr "$IT_TMP/h" Content-Length)"
check "open-ended range: the file's tail" \
	sh -c "tail -c +1001 '$site/big.bin' | cmp -s - '$IT_TMP/part'"
c -D "$IT_TMP/h" -o "$IT_TMP/part" -r 2000000- "$URL/big.bin" || true
check_eq "unsatisfiable range: 416" 416 "$(status "$IT_TMP/h")"
check_eq "416: Content-Range bytes */LEN" "bytes */1048576" "$(hdr "$IT_TMP/h" Content-Range)"
c -D "$IT_TMP/h" -o "$IT_TMP/part" -r 0-9,100-109 "$URL/big.bin" || true
check_eq "two ranges apart: the whole file, 200" 200 "$(status "$IT_TMP/h")"
check "two ranges apart: the whole file" cmp -s "$site/big.bin" "$IT_TMP/part"
c -D "$IT_TMP/h" -o "$IT_TMP/part" -r 0-9,5-19 "$URL/big.bin" || true
check_eq "overlapping ranges merge: one 206" "bytes 0-19/1048576" \
	"$(hdr "$IT_TMP/h" Content-Range)"
many=0-1048575$(printf ',0-1048575%.0s' $(seq 15))
c -o "$IT_TMP/part" -r "$many" "$URL/big.bin" || true
check_eq "16 overlapping whole ranges send the file once" 1048576 "$(stat -c %s "$IT_TMP/part")"
check_eq "If-Range with the ETag: 206" 206 "$(c -o /dev/null -w '%{http_code}' -r 0-9 \
	-H "If-Range: $big_etag" "$URL/big.bin" || true)"
check_eq "If-Range with another ETag: 200" 200 "$(c -o /dev/null -w '%{http_code}' -r 0-9 \
	-H 'If-Range: "old"' "$URL/big.bin" || true)"
check_eq "If-Range with the Last-Modified: 206" 206 "$(c -o /dev/null -w '%{http_code}' \
	-r 0-9 -H "If-Range: $(date -u -r "$site/big.bin" '+%a, %d %b %Y %H:%M:%S GMT')" \
	"$URL/big.bin" || true)"
c -D "$IT_TMP/h" -o "$IT_TMP/part" -r 10-19 -H 'Accept-Encoding: gzip' "$URL/app.js" || true
check_eq "a range of the gzip variant: its bytes" "$(head -c 20 "$IT_TMP/app.gz" |
	tail -c 10 | od -An -tx1)" "$(od -An -tx1 <"$IT_TMP/part")"
check_eq "a range of the gzip variant: Content-Encoding" gzip \
	"$(hdr "$IT_TMP/h" Content-Encoding)"
check_eq "HEAD ignores Range: 200" 200 \
	"$(c -I -o /dev/null -w '%{http_code}' -r 0-9 "$URL/big.bin" || true)"

check_eq "no body byte copied for want of chained TX: every variant and range" 0 \
	"$(count tcp_tx_copied_bytes)"
check "connections back to the baseline of $base_conns" it_stat_back_to tcp_conns "$base_conns" 10
check "mbufs in use back to the baseline of $base_mbufs" it_mbufs_back_to "$base_mbufs"
check "SIGINT stops fastpath with status 0" it_stop_fastpath
