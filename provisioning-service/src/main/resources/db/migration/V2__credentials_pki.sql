-- Fleetkey schema, version 2: credentials in all three modes, rotation and revocation, and the
-- registries that keep certificate serials and PSK identities unique across the fleet and restarts.

-- Every certificate serial a CA has used (issuer = RFC 2253 subject of the CA, serial in lower-case hex).
CREATE TABLE certificate_serials (
    issuer      VARCHAR(512) NOT NULL,
    serial      VARCHAR(64)  NOT NULL,
    reserved_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_certificate_serials PRIMARY KEY (issuer, serial)
);

-- Every PSK identity ever handed out, claimed before the credential row exists; never released, so an
-- identity is not reused even after its credential is revoked.
CREATE TABLE psk_identities (
    identity    BYTEA NOT NULL,
    reserved_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_psk_identities PRIMARY KEY (identity)
);

-- Raw public key and certificate credentials. key_origin: SERVICE (the service made the key pair and
-- holds it sealed in sealed_secret until it may discard it) or DEVICE (a submitted public key or CSR).
-- valid_until: the end of a rotation's overlap; NULL while the credential is the current one.
ALTER TABLE device_credentials ADD COLUMN public_key BYTEA;
ALTER TABLE device_credentials ADD COLUMN public_key_sha256 BYTEA;
ALTER TABLE device_credentials ADD COLUMN certificate BYTEA;
ALTER TABLE device_credentials ADD COLUMN certificate_serial VARCHAR(64);
ALTER TABLE device_credentials ADD COLUMN key_origin VARCHAR(8);
ALTER TABLE device_credentials ADD COLUMN secret_discarded_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE device_credentials ADD COLUMN valid_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE device_credentials ADD COLUMN revocation_reason VARCHAR(256);
ALTER TABLE device_credentials ADD CONSTRAINT ck_device_credentials_key_origin
    CHECK (key_origin IS NULL OR key_origin IN ('SERVICE', 'DEVICE'));
ALTER TABLE device_credentials ADD CONSTRAINT ck_device_credentials_public_key
    CHECK (mode = 'PSK' OR (public_key IS NOT NULL AND public_key_sha256 IS NOT NULL AND key_origin IS NOT NULL));
ALTER TABLE device_credentials ADD CONSTRAINT ck_device_credentials_certificate
    CHECK (mode <> 'X509' OR (certificate IS NOT NULL AND certificate_serial IS NOT NULL));
CREATE INDEX ix_device_credentials_public_key_sha256 ON device_credentials (public_key_sha256);
CREATE INDEX ix_device_credentials_certificate_serial ON device_credentials (certificate_serial);

-- PSK identities issued before version 2 are claimed too.
INSERT INTO psk_identities (identity, reserved_at)
    SELECT psk_identity, created_at FROM device_credentials WHERE psk_identity IS NOT NULL;
