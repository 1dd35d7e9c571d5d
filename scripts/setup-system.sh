#!/usr/bin/env bash
# Machine setup for development and CI: Debian packages, Postgres 15 with
# pg_cron, cluster running. Idempotent; a no-op (well under a second) when
# everything is already in place. Runs as root (CI and developers are root);
# falls back to sudo when not root.
#
# Environment:
#   DATABASE_URL   when it points at a host other than localhost, every
#                  Postgres step is skipped (the server is someone else's).
#   SETUP_QUIET=1  print only what changed.
set -euo pipefail

PG_VERSION=15
PG_CLUSTER=main
PG_CONF_DIR=/etc/postgresql/$PG_VERSION/$PG_CLUSTER/conf.d
PG_CONF_FILE=$PG_CONF_DIR/60-queue-rebate-mall.conf
PACKAGES=(postgresql-15-pgtap postgresql-15-cron libtap-parser-sourcehandler-pgtap-perl chromium fonts-wqy-microhei fonts-noto-color-emoji)

say() { [ "${SETUP_QUIET:-}" = 1 ] || echo "setup: $*"; }
note() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
  as_root() { sudo -n "$@"; }
else
  as_root() { die "needs root (or sudo) to run: $*"; }
fi

# --- Debian packages -------------------------------------------------------
missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  note "installing ${missing[*]}"
  # Another apt run may hold the lock (e.g. a background install): wait for it.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
else
  say "packages present"
fi

# --- Postgres ----------------------------------------------------------------
db_host=""
if [ -n "${DATABASE_URL:-}" ]; then
  # postgres://user:pass@host:port/db -> host (brackets kept for IPv6).
  db_host=$(printf '%s' "$DATABASE_URL" | sed -E 's#^[a-z]+://##; s#/.*$##; s#^.*@##; s#:[0-9]+$##')
fi
case "$db_host" in
  "" | localhost | 127.0.0.1 | "[::1]" | ::1) ;;
  *)
    say "DATABASE_URL points at $db_host: skipping local Postgres setup"
    exit 0
    ;;
esac

command -v pg_ctlcluster >/dev/null 2>&1 || die "pg_ctlcluster not found: install postgresql-$PG_VERSION"
[ -d "$PG_CONF_DIR" ] || die "$PG_CONF_DIR missing: no Postgres $PG_VERSION cluster '$PG_CLUSTER'"

# pg_cron must be preloaded; it runs its jobs in background workers, which
# need worker slots beyond the default 8 (parallel query uses them too).
desired_conf="# Managed by scripts/setup-system.sh (queue-rebate-mall). Do not edit.
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 32
"
conf_changed=0
if [ "$(cat "$PG_CONF_FILE" 2>/dev/null || true)" != "$(printf '%s' "$desired_conf")" ]; then
  printf '%s' "$desired_conf" | as_root tee "$PG_CONF_FILE" >/dev/null
  as_root chmod 644 "$PG_CONF_FILE"
  conf_changed=1
  note "wrote $PG_CONF_FILE"
fi

cluster_online() {
  pg_lsclusters --no-header 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $4 }' | grep -q online
}

wait_ready() {
  for _ in $(seq 1 120); do
    pg_isready -q -h 127.0.0.1 -p 5432 && return 0
    sleep 0.5
  done
  die "Postgres did not answer on 127.0.0.1:5432 within 60 s (see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log)"
}

q() { psql -X -q -A -t -h 127.0.0.1 -p 5432 -U postgres -d postgres -c "$1"; }

# What the running server uses now; a restart is due only when it differs.
running_ok() {
  local got
  got=$(q "select current_setting('shared_preload_libraries') || '|' ||
                  coalesce(current_setting('cron.database_name', true), '') || '|' ||
                  coalesce(current_setting('cron.use_background_workers', true), '') || '|' ||
                  current_setting('max_worker_processes')" 2>/dev/null) || return 1
  case "$got" in
    *pg_cron*"|postgres|on|32") return 0 ;;
    *) return 1 ;;
  esac
}

if ! cluster_online; then
  note "starting Postgres $PG_VERSION/$PG_CLUSTER"
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start
fi
wait_ready

if ! running_ok; then
  [ "$conf_changed" = 1 ] && why="config changed" || why="running settings differ"
  note "restarting Postgres to load the pg_cron settings ($why)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" restart
  wait_ready
  running_ok || die "Postgres still lacks the pg_cron settings after a restart; another file in $PG_CONF_DIR or postgresql.auto.conf overrides $PG_CONF_FILE: $(q "select name || '=' || setting || ' (' || coalesce(sourcefile, '') || ')' from pg_settings where name in ('shared_preload_libraries', 'max_worker_processes')" | tr '\n' ' ')"
fi

# Extensions the test runners rely on must be installable.
avail=$(q "select count(*) from pg_available_extensions where name in ('pgtap', 'pg_cron')")
[ "$avail" = 2 ] || die "pgtap or pg_cron extension not available to Postgres $PG_VERSION"
say "Postgres $PG_VERSION ready on 127.0.0.1:5432 with pg_cron"
