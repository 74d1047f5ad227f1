#!/usr/bin/env bash
# Start the Debian PostgreSQL cluster and make the lessonkit test role + database (idempotent).
# Prints only `export LESSONKIT_TEST_PG=...` on stdout, so callers can: eval "$(bash .ci/pg-setup.sh)"
# Everything else goes to stderr. Runs as root on Debian (postgresql + postgresql-common installed).
set -euo pipefail

exec 3>&1 1>&2  # fd 3 = the caller's stdout; all chatter below goes to stderr
# Servers started below must not inherit fd 3 (or the caller's stdout): a postmaster holding the
# pipe open would make the caller's "$(...)" wait for ever. Hence `3>&- </dev/null` on them.

ROLE=lessonkit
PASSWORD=lessonkit
DB=lessonkit_test

if [ "$(id -u)" -ne 0 ]; then
    echo "pg-setup: run as root (it starts the cluster and runs psql as the postgres user)"
    exit 1
fi
if ! command -v pg_lsclusters >/dev/null; then
    echo "pg-setup: pg_lsclusters not found; install PostgreSQL: apt-get install -y postgresql"
    exit 1
fi

# The newest installed cluster named "main"; create one if there is none.
cluster_field() {  # $1 = version, $2 = awk field number (3 port, 4 status)
    pg_lsclusters -h | awk -v v="$1" -v f="$2" '$1 == v && $2 == "main" { print $f; exit }'
}
ver=$(pg_lsclusters -h | awk '$2 == "main" { print $1 }' | sort -V | tail -n 1)
if [ -z "$ver" ]; then
    ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    if [ -z "$ver" ]; then
        echo "pg-setup: no PostgreSQL server under /usr/lib/postgresql"
        exit 1
    fi
    echo "pg-setup: creating cluster $ver/main"
    pg_createcluster "$ver" main 3>&- </dev/null
fi

status=$(cluster_field "$ver" 4)
if [ "${status%%,*}" != "online" ]; then
    echo "pg-setup: starting cluster $ver/main (status: $status)"
    pg_ctlcluster "$ver" main start 3>&- </dev/null
fi
port=$(cluster_field "$ver" 3)

for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
    sleep 0.5
done
if ! pg_isready -h 127.0.0.1 -p "$port"; then
    echo "pg-setup: cluster $ver/main not accepting connections on port $port; see /var/log/postgresql/"
    exit 1
fi

# cd / so psql, running as postgres, does not warn about an unreadable working directory.
( cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres ) <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
    ELSE
        ALTER ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
    END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DB OWNER $ROLE'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB')
\gexec
SQL

echo "pg-setup: cluster $ver/main ready on port $port, database $DB owned by $ROLE"
echo "export LESSONKIT_TEST_PG=postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$port/$DB" >&3
