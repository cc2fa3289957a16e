#!/usr/bin/env bash
# Make sure the PostgreSQL server named by a database URL accepts us.
#
#   PYTHON=.venv/bin/python scripts/ensure-postgres.sh postgres://USER:PW@HOST:PORT/NAME
#
# Exit 0 when it does (possibly after starting a local server), 1 when not.
# The caller decides whether "not" is an error (CI) or a skip.
#
# It starts or configures nothing but a Debian cluster on this machine, and
# only the one that owns the URL's port (pg_lsclusters); when something
# already listens on that port it starts nothing. Only when no cluster exists
# and the URL names the standard local port 5432 does it install Debian's
# postgresql package, which creates cluster <version>/main on that port.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

url=${1:?usage: ensure-postgres.sh DATABASE_URL}
python=${PYTHON:-.venv/bin/python}

# Split the URL the way the settings do (dj-database-url).
parsed=$("$python" - "$url" <<'PY'
import shlex, sys
import dj_database_url
config = dj_database_url.parse(sys.argv[1])
if "postgresql" not in config["ENGINE"]:
    sys.exit(f"ERROR: not a PostgreSQL URL: {config['ENGINE']}")
for key in ("HOST", "PORT", "USER", "PASSWORD", "NAME"):
    print(f"pg_{key.lower()}={shlex.quote(str(config.get(key) or ''))}")
PY
)
eval "$parsed"
port=${pg_port:-5432}
where="${pg_user:-(default user)}@${pg_host:-localhost}:$port/$pg_name"  # no password

# Can we log in? Django's test runner creates the test database from the
# maintenance database "postgres", falling back to the named one: either
# will do. Prints the server's reason when neither works.
reachable() {
    "$python" - "$url" <<'PY'
import sys
import dj_database_url, psycopg
config = dj_database_url.parse(sys.argv[1])
params = {
    "host": config["HOST"] or None,
    "port": config["PORT"] or None,
    "user": config["USER"] or None,
    "password": config["PASSWORD"] or None,
    "connect_timeout": 3,
}
if "sslmode" in config.get("OPTIONS", {}):
    params["sslmode"] = config["OPTIONS"]["sslmode"]
for dbname in ("postgres", config["NAME"]):
    try:
        psycopg.connect(dbname=dbname, **params).close()
        sys.exit(0)
    except psycopg.Error as exc:
        reason = (str(exc).strip().splitlines() or ["?"])[-1]
print(f"   ({reason})", file=sys.stderr)
sys.exit(1)
PY
}

listening() {  # is anything listening on the local TCP port?
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
}

cluster_on_port() {  # "VERSION NAME STATUS" of the Debian cluster on $port, or nothing
    if command -v pg_lsclusters >/dev/null; then
        pg_lsclusters --no-header 2>/dev/null | awk -v p="$port" '$3 == p { print $1, $2, $4; exit }'
    fi
}

# A fresh Debian cluster lets local OS user postgres in over the socket
# (peer auth) but asks a password over TCP, and role postgres has none: give
# it the URL's password. Only for role postgres on our own cluster.
set_postgres_password() {
    [[ $pg_user == postgres && -n $pg_password && -n $(cluster_on_port) ]] || return 1
    echo "== setting the password of role postgres (port $port) to the one in the URL"
    (cd / && as_root runuser -u postgres -- \
        psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres -v pw="$pg_password") <<'SQL'
ALTER ROLE postgres PASSWORD :'pw';
SQL
}

if reachable 2>/dev/null; then
    exit 0
fi

case $pg_host in
    "" | localhost | 127.0.0.1 | ::1 | /*) ;;
    *)
        echo "PostgreSQL at $where is not reachable:" >&2
        reachable || true
        echo "   It is not on this machine, so nothing is started." >&2
        exit 1
        ;;
esac

if ! listening; then
    if [[ -z $(cluster_on_port) && $port == 5432 ]]; then
        bash "$(dirname "$0")/ensure-system-packages.sh" postgresql
    fi
    read -r version name status <<<"$(cluster_on_port)" || true
    if [[ -z ${version:-} ]]; then
        echo "PostgreSQL at $where is not reachable: nothing listens on port $port" >&2
        echo "   and no Debian cluster (pg_lsclusters) uses that port, so nothing is started." >&2
        exit 1
    fi
    if [[ $status != online* ]]; then
        echo "== starting PostgreSQL cluster $version/$name on port $port"
        # Without systemd (containers, CI) pg_ctlcluster would try to hand
        # over to systemctl; this flag makes it start the server itself.
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start
        for _ in $(seq 30); do
            listening && break
            sleep 1
        done
    fi
fi

if reachable 2>/dev/null || { set_postgres_password && reachable 2>/dev/null; }; then
    exit 0
fi
echo "PostgreSQL at $where is not reachable:" >&2
reachable || true
exit 1
