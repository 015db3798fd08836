-- First-start key setup happens once per database, whichever instance starts first: every instance locks the one
-- row (SELECT ... FOR UPDATE) while it opens or creates the CA hierarchy, the bundle signer and the key-encryption
-- key, so a second instance starting at the same moment waits and then finds the keys in the shared token.
-- The row also records which hierarchy the database belongs to (SHA-256 of the device CA and bundle-signer
-- certificates): an instance whose key store holds other keys, or none, stops instead of making a second hierarchy.
CREATE TABLE key_setup (
    id                   INT         NOT NULL,
    device_ca_sha256     VARCHAR(64),
    bundle_signer_sha256 VARCHAR(64),
    key_provider         VARCHAR(16),
    recorded_at          TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_key_setup PRIMARY KEY (id),
    CONSTRAINT ck_key_setup_one_row CHECK (id = 1)
);
INSERT INTO key_setup (id) VALUES (1);
