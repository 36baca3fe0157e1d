-- Remove what has expired; keep the rest.
UPDATE public.activities SET message = '[expired]' WHERE expires_at < now();
WITH gone AS (DELETE FROM public.activities RETURNING 1) SELECT count(*) FROM gone;
DO $$ BEGIN EXECUTE format('DROP TABLE %I', 'old_' || to_char(now(), 'YYYY')); END $$;
SELECT archive_activities();
