-- Two limits of NOTIFY that the change feed of 0008 overran. A payload holds less than 8,000
-- bytes, but 50 keys of up to 128 characters (of up to four bytes each) may need 25,000: the
-- notification failed, and with it the write. A channel's name holds at most 63 bytes, so a
-- schema's name of 48 bytes or more failed every write to the feed's tables. Keys now go out as
-- many to a notification as fit in 7,000 bytes, and a schema whose channel's name would be too
-- long has one named after the md5 of its name; the listener asks paydiag_changes_channel().

CREATE FUNCTION paydiag_changes_channel() RETURNS text LANGUAGE sql STABLE
SET search_path FROM CURRENT AS $$
    SELECT CASE
        WHEN octet_length('paydiag_changes:' || current_schema()) < 64
            THEN 'paydiag_changes:' || current_schema()
        ELSE 'paydiag_changes:' || md5(current_schema())
    END
$$;

-- A key's chunk is the 7,000-byte stretch its line ends in: a chunk holds at most 7,000 bytes
-- and the line that crosses into it, and a line (a key of at most 128 characters) is far
-- shorter than 1,000 bytes.
CREATE OR REPLACE FUNCTION paydiag_notify_keys(keys TEXT[]) RETURNS void LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM pg_notify(paydiag_changes_channel(), string_agg(key, E'\n'))
    FROM (
        SELECT key, (sum(octet_length(key) + 1) OVER (ORDER BY key) - 1) / 7000 AS chunk
        FROM (SELECT DISTINCT unnest(keys) AS key) AS distinct_keys
    ) AS numbered
    GROUP BY chunk;
END
$$;
