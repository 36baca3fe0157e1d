-- migrate:up
alter table notes add column author text;

-- migrate:down
alter table notes drop column author;
