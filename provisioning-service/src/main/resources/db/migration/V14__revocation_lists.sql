-- Certificate revocation lists (RFC 5280) each issuing CA has published. ca: device or server; crl_number is
-- the CRL number extension, strictly increasing per CA and never reused (the primary key makes two instances
-- that issue at once collide instead of publishing one number twice). Old rows are kept: they are small.
CREATE TABLE revocation_lists (
    ca          VARCHAR(16) NOT NULL,
    crl_number  BIGINT      NOT NULL,
    this_update TIMESTAMP WITH TIME ZONE NOT NULL,
    next_update TIMESTAMP WITH TIME ZONE NOT NULL,
    der         BYTEA       NOT NULL,
    CONSTRAINT pk_revocation_lists PRIMARY KEY (ca, crl_number)
);
