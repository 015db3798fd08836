-- Station quotas shared by every service instance on this database. H2 and PostgreSQL alike.

-- One row per station that has made a request: its token bucket as a "theoretical arrival time" (GCRA), in
-- nanoseconds since the epoch. A request at time now is allowed when GREATEST(tat, now) + interval - now stays
-- within one minute (interval = one minute / quota), and moves tat to GREATEST(tat, now) + interval; one
-- UPDATE does both, so instances racing for a station's last request cannot both get it. Stations are never
-- deleted (only disabled), so no foreign key is needed to clean up.
CREATE TABLE station_quota_buckets (
    station_id BIGINT NOT NULL,
    tat_nanos  BIGINT NOT NULL,
    CONSTRAINT pk_station_quota_buckets PRIMARY KEY (station_id)
);

-- Which instance runs a batch, and until when its claim holds unless renewed (it renews before each item). An
-- instance that dies leaves a claim that runs out, and another instance takes the batch over; a batch claimed
-- by a live instance is never run by a second one.
ALTER TABLE batches ADD COLUMN worker VARCHAR(64);
ALTER TABLE batches ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
