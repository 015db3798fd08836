-- Issue 13 part 5: the audit chain is keyed and anchored outside the database. H2 and PostgreSQL alike.

-- From chain position keyed_from_seq on, entry_hash is an HMAC-SHA256 under a key held by the key store
-- (alias fleetkey-audit-mac-1); entries before it were written under the plain SHA-256 chain and are
-- verified as before and reported as unkeyed. The service sets both columns when it creates the key:
-- keyed_from_mac is the HMAC over the position and the chain head at that moment, so neither the switch
-- point nor the unkeyed entries before it can be changed later without the key.
ALTER TABLE audit_chain_head ADD COLUMN keyed_from_seq BIGINT;
ALTER TABLE audit_chain_head ADD COLUMN keyed_from_mac VARCHAR(64);

-- Signed checkpoints of the chain head: CMS SignedData (by the bundle signer) over a small JSON body
-- naming the checkpoint number, the chain position, the entry MAC there and the time. Verification trusts
-- only the signed bytes; chain_seq and signed_at are copies for finding the newest one.
CREATE TABLE audit_checkpoints (
    checkpoint  BIGINT                   NOT NULL,
    chain_seq   BIGINT                   NOT NULL,
    signed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    signed_data BYTEA                    NOT NULL,
    CONSTRAINT pk_audit_checkpoints PRIMARY KEY (checkpoint),
    CONSTRAINT uq_audit_checkpoints_chain_seq UNIQUE (chain_seq)
);
