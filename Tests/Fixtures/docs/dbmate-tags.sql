-- migrate:up
create table tags (note_id bigint references notes (id), tag text not null);

-- migrate:down
drop table tags;
