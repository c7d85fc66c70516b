#!/bin/sh
# Run by the postgres image once, when its data volume is created (docker-compose.yml mounts it into
# /docker-entrypoint-initdb.d): the image lets other hosts reach every database but not stream its changes, which
# the optional postgres-replica service (profile "replica") does as the same user and password.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
