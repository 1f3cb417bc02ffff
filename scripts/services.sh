#!/usr/bin/env bash
# Start the local PostgreSQL and Redis if they are installed but down. Never fails the build on
# its own: the integration tier reports what it could not reach.
set -u
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi
if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    mkdir -p /var/lib/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis || true
  fi
fi
for _ in $(seq 1 20); do
  pg_ok=0; redis_ok=0
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && pg_ok=1
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && redis_ok=1
  [ $pg_ok = 1 ] && [ $redis_ok = 1 ] && break
  sleep 0.5
done
echo "services: postgresql=$pg_ok redis=$redis_ok"
