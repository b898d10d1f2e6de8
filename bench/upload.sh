#!/usr/bin/env bash
# upload.sh: 1 GiB uploads to the command, PUT (curl -T) and multipart POST
# (curl -F), against dd writing the same bytes to the same file system;
# prints MB/s and the server's peak resident memory.
#
#   bench/upload.sh [DIR]   DIR: where the files go (default: a new directory under $TMPDIR)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
dir=${1:-$work/srv}
mkdir -p "$dir"
go build -o "$work/httpserver" ./cmd/httpserver
head -c $((1 << 30)) /dev/urandom >"$work/src.bin"
cat "$work/src.bin" >/dev/null # in the page cache: the client reads memory

"$work/httpserver" -b 127.0.0.1 -d "$dir" --upload 0 >"$work/out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q Serving "$work/out" && break; sleep 0.1; done
port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$work/out")

mbps() { awk -v b=$((1 << 30)) -v s="$1" 'BEGIN { printf "%.0f MB/s", b / s / 1e6 }'; }
for round in 1 2 3; do
  put=$(curl -s -o /dev/null -H 'Expect:' -w '%{time_total}' -T "$work/src.bin" "http://127.0.0.1:$port/put.bin")
  rm "$dir/put.bin"
  post=$(curl -s -o /dev/null -H 'Expect:' -w '%{time_total}' -F "files=@$work/src.bin;filename=post.bin" "http://127.0.0.1:$port/upload")
  rm "$dir/post.bin"
  start=$(date +%s.%N)
  dd if="$work/src.bin" of="$dir/dd.bin" bs=1M conv=fsync status=none
  dd=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  rm "$dir/dd.bin"
  echo "round $round: PUT $(mbps "$put"), POST $(mbps "$post"), dd conv=fsync $(mbps "$dd")"
done
grep VmHWM "/proc/$pid/status"
