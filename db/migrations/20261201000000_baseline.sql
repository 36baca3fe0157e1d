-- The schema as db/schema.sql creates it, as the first migration: `cruddur db:prepare`
-- builds a new database from migrations alone, and on a database db:setup (or the old
-- scripts) already built, every statement finds its object there and changes nothing, so
-- the baseline is recorded as applied without touching data. Next: `cruddur new migration NAME`.
-- migrate:up
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE TABLE IF NOT EXISTS public.users (
  uuid UUID DEFAULT uuid_generate_v4() PRIMARY KEY,
  display_name text NOT NULL,
  handle text NOT NULL,
  email text NOT NULL,
  cognito_user_id text NOT NULL,
  created_at TIMESTAMP default current_timestamp NOT NULL
);

CREATE TABLE IF NOT EXISTS public.activities (
  uuid UUID DEFAULT uuid_generate_v4() PRIMARY KEY,
  user_uuid UUID NOT NULL,
  message text NOT NULL,
  replies_count integer DEFAULT 0,
  reposts_count integer DEFAULT 0,
  likes_count integer DEFAULT 0,
  reply_to_activity_uuid integer,
  expires_at TIMESTAMP,
  created_at TIMESTAMP default current_timestamp NOT NULL
);

-- migrate:down
DROP TABLE public.activities;
DROP TABLE public.users;
