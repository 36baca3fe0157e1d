#!/usr/bin/env bash
# generate.sh OUTDIR — writes the three SQL workloads bench/sql/run.sh loads:
#   inserts.sql  50,000 single-row INSERTs after a CREATE TABLE: per-statement
#                round-trip cost dominates (the worst case for a client that
#                sends statements one by one).  Some string literals contain
#                ';' and '' to exercise the statement splitter.          ~4.8 MB
#   ddl.sql      ~3,000 DDL statements: tables, indexes, COMMENT ON ... IS
#                '...;...', plpgsql functions with $$ / $fn$ bodies that contain
#                semicolons, views, DO blocks: splitter-heavy.          ~0.44 MB
#   dump.sql     a real plain-format pg_dump (PostgreSQL 15) of a ~500,000-row
#                database (4 tables, COPY blocks, PK/FK/unique/check
#                constraints, indexes, a view), built on a throw-away
#                server and dumped with /usr/lib/postgresql/15/bin/pg_dump.  ~19 MB
# Sizes above are for the full run; QUICK=1 writes 1,000 inserts, ~100 DDL
# statements and a ~5,000-row dump.  Override with INSERTS=, DDL=, ROWS=.
set -euo pipefail
OUTDIR=${1:?usage: generate.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)

if [ "${QUICK:-0}" = 1 ]; then
  INSERTS=${INSERTS:-1000}; DDL=${DDL:-100}; ROWS=${ROWS:-5000}
else
  INSERTS=${INSERTS:-50000}; DDL=${DDL:-3000}; ROWS=${ROWS:-500000}
fi

python3 - "$OUTDIR" "$INSERTS" "$DDL" <<'PY'
import sys, os
out, n_ins, n_ddl = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

# (a) inserts
with open(os.path.join(out, "inserts.sql"), "w") as f:
    f.write("create table t (id int primary key, name text, n numeric, at timestamptz);\n")
    for i in range(1, n_ins + 1):
        if i % 100 == 0:
            name = f"it''s row {i}; with a semicolon"
        else:
            name = f"row {i}"
        s, m, h = i % 60, (i // 60) % 60, (i // 3600) % 24
        f.write(f"insert into t (id, name, n, at) values ({i}, '{name}', {i * 1.25:.2f}, "
                f"'2024-01-{1 + i % 28:02d} {h:02d}:{m:02d}:{s:02d}+00');\n")

# (b) ddl: groups of 6 statements, plus an occasional DO block
with open(os.path.join(out, "ddl.sql"), "w") as f:
    w = f.write
    count, g = 0, 0
    while count < n_ddl:
        w(f"create table d{g} (id bigint generated always as identity primary key, "
          f"code text not null unique, qty int check (qty >= 0), note text, "
          f"created timestamptz not null default now());\n")
        w(f"create index d{g}_created_idx on d{g} (created desc) where note is not null;\n")
        w(f"comment on table d{g} is 'table {g}; it''s for the DDL benchmark; keep';\n")
        tag = "$$" if g % 2 == 0 else "$fn$"
        w(f"create or replace function d{g}_add(p_code text, p_qty int) returns bigint\n"
          f"language plpgsql as {tag}\n"
          f"declare\n  v_id bigint; -- a comment; with semicolons\n"
          f"begin\n  if p_qty < 0 then\n    raise exception 'negative qty; got %', p_qty;\n  end if;\n"
          f"  insert into d{g} (code, qty, note) values (p_code, p_qty, 'via d{g}_add; ok')\n"
          f"    returning id into v_id;\n  return v_id;\nend;\n{tag};\n")
        w(f"create view d{g}_v as select id, code, qty * 2 as double_qty, "
          f"';' as semi from d{g} where qty > 0;\n")
        w(f"comment on column d{g}.note is 'free text /* not a comment */ -- nor this;';\n")
        count += 6
        if g % 25 == 24 and count < n_ddl:
            w(f"do $do$ begin perform d{g}_add('x;y', 1); delete from d{g}; end $do$;\n")
            count += 1
        g += 1
print(f"inserts.sql: {n_ins + 1} statements; ddl.sql: {count} statements")
PY

# (c) dump: build the database on a temporary server, pg_dump it, stop the server
trap pg_temp_stop EXIT
pg_temp_start
pg_psql -d postgres -c "create database dumpsrc"
C=$(( ROWS / 10 )); P=$(( ROWS / 50 )); O=$(( ROWS * 3 / 10 )); I=$(( ROWS - C - P - O ))
pg_psql -d dumpsrc -v ON_ERROR_STOP=1 <<SQL
create table customers (
  id int primary key, email text not null unique, name text not null,
  created timestamptz not null default now(), active boolean not null default true);
create table products (
  id int primary key, sku text not null unique, title text not null,
  price numeric(10,2) not null check (price >= 0), tags text[]);
create table orders (
  id int primary key, customer_id int not null references customers(id),
  placed timestamptz not null, status text not null
    check (status in ('new','paid','shipped','cancelled')), note text);
create table order_items (
  order_id int not null references orders(id) on delete cascade,
  line int not null, product_id int not null references products(id),
  qty int not null check (qty > 0), price numeric(10,2) not null,
  primary key (order_id, line));
insert into customers select i, 'user' || i || '@example.com', 'Customer ' || i || E' \\\\ tab\there',
  timestamptz '2020-01-01' + i * interval '1 minute', i % 13 <> 0 from generate_series(1, $C) i;
insert into products select i, 'SKU-' || i, 'Product ' || i || '; "quoted"', (i % 997) + 0.99,
  array['t' || (i % 7), 't' || (i % 11)] from generate_series(1, $P) i;
insert into orders select i, 1 + (i::bigint * 7919) % $C, timestamptz '2022-01-01' + i * interval '37 seconds',
  (array['new','paid','shipped','cancelled'])[1 + i % 4], case when i % 5 = 0 then 'gift; wrap it' end
  from generate_series(1, $O) i;
insert into order_items select 1 + (i - 1) / 2 % $O, i, 1 + (i::bigint * 104729) % $P, 1 + i % 5, (i % 500) + 0.5
  from generate_series(1, $I) i;
create index orders_customer_idx on orders (customer_id);
create index orders_placed_idx on orders (placed);
create index order_items_product_idx on order_items (product_id);
create index customers_active_idx on customers (created) where active;
create view order_totals as
  select o.id, sum(i.qty * i.price) as total from orders o join order_items i on i.order_id = o.id group by o.id;
SQL
"$PGBIN/pg_dump" -h 127.0.0.1 -p "$PGPORT" -U postgres -Fp -f "$OUTDIR/dump.sql" dumpsrc
pg_temp_stop

for f in inserts ddl dump; do
  printf '%-12s %8s bytes  %s\n' "$f.sql" "$(stat -c %s "$OUTDIR/$f.sql")" \
    "$( [ $f = dump ] && echo "$ROWS rows (customers $C, products $P, orders $O, order_items $I)" \
        || echo "$(wc -l < "$OUTDIR/$f.sql") lines")"
done
