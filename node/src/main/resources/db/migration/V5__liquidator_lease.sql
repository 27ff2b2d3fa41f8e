-- Several replicas on one database, one liquidator. The replica holding this lease executes
-- liquidations; the others follow the chain and serve the API. A replica takes the lease when it is
-- free or expired and then raises the epoch: every write of the liquidator's record checks, in its own
-- transaction, that its writer still holds the lease at its epoch (a fencing token), so a replica that
-- lost the lease (paused, cut off, its lease taken over) can neither record nor send.
CREATE TABLE liquidator_lease (
    lease_name    VARCHAR(64)  PRIMARY KEY,
    holder        VARCHAR(200) NOT NULL,
    epoch         BIGINT       NOT NULL,
    expires_at_ms BIGINT       NOT NULL
);

-- The lease epoch of the replica that last wrote the attempt (NULL: a node without replicas).
ALTER TABLE liquidation_attempt ADD COLUMN epoch BIGINT;
