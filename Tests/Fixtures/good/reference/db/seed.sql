insert into public.notes (body) values ('first');
