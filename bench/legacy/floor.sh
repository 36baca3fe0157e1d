#!/bin/sh
# The 2-session floor for db:setup: the least any client can do over the protocol with
# psql, one session on the maintenance database for DROP + CREATE (each its own
# statement: CREATE DATABASE cannot run in a transaction) and one on the new database
# loading schema and seed in one transaction. No shell wrapper scripts, no URL surgery.
set -e
psql -X -q "$MAINTENANCE_URL" -v ON_ERROR_STOP=1 -c 'drop database if exists cruddur with (force)' -c 'create database cruddur'
psql -X -q "$CONNECTION_URL" -v ON_ERROR_STOP=1 -1 -f db/schema.sql -f db/seed.sql
