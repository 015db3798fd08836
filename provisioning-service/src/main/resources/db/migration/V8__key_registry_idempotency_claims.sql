-- Issue 13 (parts 3 and 4): one public key, one device; and Idempotency-Key claimed before the work.
-- Same dialect rules as V1: H2 and PostgreSQL alike, BYTEA, UTC timestamps, no vendor functions.

-- Every public key (SHA-256 of its SubjectPublicKeyInfo DER) ever bound to a device, made by the service or
-- on the device. The primary key lets a key be bound to one device only; rows are never deleted, so a key
-- that was revoked or rotated out is never bound again, not even to the same device. Written in the same
-- transaction as the credential that carries the key.
CREATE TABLE device_public_keys (
    spki_sha256   BYTEA  NOT NULL,
    device_id     BIGINT NOT NULL,
    registered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_device_public_keys PRIMARY KEY (spki_sha256),
    CONSTRAINT fk_device_public_keys_device FOREIGN KEY (device_id) REFERENCES devices (id)
);
CREATE INDEX ix_device_public_keys_device ON device_public_keys (device_id);

-- Keys of existing credentials are registered too. Data written before this version may hold one key on
-- several devices: the key is registered once, to the device of its oldest credential, so this migration
-- never fails on such data. The duplicate credentials stay as they are (nothing is revoked behind an
-- administrator's back); the device endpoint treats a key found on more than one device as unknown, so
-- neither device authenticates with it until an administrator rotates or revokes them.
INSERT INTO device_public_keys (spki_sha256, device_id, registered_at)
SELECT c.public_key_sha256, c.device_id, c.created_at FROM device_credentials c
WHERE c.public_key_sha256 IS NOT NULL
  AND c.id = (SELECT MIN(o.id) FROM device_credentials o WHERE o.public_key_sha256 = c.public_key_sha256);

-- An Idempotency-Key is claimed (committed at once) before the request's work starts: claim_id is set while
-- the work runs and cleared when the answer is stored in the work's own transaction. A concurrent request
-- with the same key sees the claim and answers "in progress, retry"; a claim older than the service's claim
-- timeout (its request died) is taken over.
ALTER TABLE idempotency_keys ADD COLUMN claim_id VARCHAR(36);
ALTER TABLE idempotency_keys ALTER COLUMN status DROP NOT NULL;
ALTER TABLE idempotency_keys ALTER COLUMN sealed_body DROP NOT NULL;
ALTER TABLE idempotency_keys ADD CONSTRAINT ck_idempotency_keys_claim_or_answer
    CHECK ((claim_id IS NULL AND status IS NOT NULL AND sealed_body IS NOT NULL)
        OR (claim_id IS NOT NULL AND status IS NULL AND sealed_body IS NULL));
