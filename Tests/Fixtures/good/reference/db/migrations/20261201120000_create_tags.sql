-- migrate:up
create table if not exists public.tags (name text primary key);

-- migrate:down
drop table public.tags;
