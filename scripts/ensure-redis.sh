#!/usr/bin/env bash
# Make sure a Redis server answers at the test URL's host and port.
#
#   scripts/ensure-redis.sh [redis://127.0.0.1:6379/15]
#
# The worker tests queue tasks through a real Redis. A server already
# listening is used as it is; on this machine's loopback a missing one is
# installed (Debian's redis-server) and started without persistence. A remote
# server is never touched. Exits non-zero when none answers.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

url=${1:-redis://127.0.0.1:6379/15}
hostport=${url#redis://}
hostport=${hostport%%/*}
hostport=${hostport##*@}
host=${hostport%%:*}
port=${hostport##*:}
[[ $port == "$hostport" ]] && port=6379

answers() {
    # PING over plain TCP: no client library or redis-cli needed.
    { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
    printf 'PING\r\n' >&3
    local reply
    read -r -t 2 reply <&3 || reply=""
    exec 3>&-
    [[ $reply == +PONG* ]]
}

answers && exit 0
case $host in
    127.0.0.1 | localhost) ;;
    *)
        echo "Redis at $host:$port does not answer, and it is not on this machine." >&2
        exit 1
        ;;
esac

if ! command -v redis-server >/dev/null; then
    bash "$(dirname "$0")/ensure-system-packages.sh" redis-server
fi
echo "== starting redis-server on 127.0.0.1:$port"
as_root redis-server --daemonize yes --bind 127.0.0.1 --port "$port" \
    --save "" --appendonly no --dir /tmp
for _ in $(seq 1 50); do
    answers && exit 0
    sleep 0.1
done
echo "Redis did not start on 127.0.0.1:$port." >&2
exit 1
