-- Device endpoint (issues 16 and 18): every instance's coaps endpoint keeps the devices it authenticated in
-- memory, and learns from this table which devices changed (revoked, rotated, re-provisioned), on any instance.
-- Written in the transaction that makes the change. Sequence numbers come from the one counter row: a writer
-- holds its row lock until it commits, so changes commit in sequence order and a reader that has seen N has
-- seen everything before N (an identity column would not promise that on PostgreSQL).
CREATE TABLE endpoint_change_counter (
    id            INTEGER PRIMARY KEY,
    last_sequence BIGINT NOT NULL
);
INSERT INTO endpoint_change_counter (id, last_sequence) VALUES (1, 0);

CREATE TABLE endpoint_credential_changes (
    sequence_number BIGINT PRIMARY KEY,
    eui64           VARCHAR(23) NOT NULL, -- canonical form, 00-11-22-FF-FE-33-44-55
    changed_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_endpoint_credential_changes_time ON endpoint_credential_changes (changed_at);
