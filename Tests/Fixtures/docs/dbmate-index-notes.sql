-- migrate:up transaction:false
alter table app.notes add column tag text;
create index concurrently notes_author on app.notes (author);
create index concurrently notes_tag on app.notes (tag);
