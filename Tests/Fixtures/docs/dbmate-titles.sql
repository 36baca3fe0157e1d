-- migrate:up
alter table notes add column title text;

-- migrate:down
alter table notes drop column title;
