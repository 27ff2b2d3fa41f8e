-- The keeper's attempts beside liquidations: flagging a position (its cure window), starting and
-- restarting a Dutch auction, taking an auction's lot. They share the record, the one-in-flight-per-position
-- and one-per-nonce keys, the finality columns and the transactions table with liquidations; `kind` says
-- which (LIQUIDATE for every row written before). `target` is the contract the transaction goes to (NULL:
-- the pool, as every liquidation) and `calldata` its call data (NULL: a liquidation, rebuilt from
-- requested_repay and receiver as before), so a restarted node re-signs the same call at the same nonce.
-- For a TAKE, requested_repay holds the collateral asked for, expected_repaid the payment and
-- expected_seized the collateral bought.
ALTER TABLE liquidation_attempt ADD COLUMN kind VARCHAR(16) DEFAULT 'LIQUIDATE' NOT NULL;
ALTER TABLE liquidation_attempt ADD CONSTRAINT liquidation_attempt_kind
    CHECK (kind IN ('LIQUIDATE', 'FLAG', 'START_AUCTION', 'RESTART_AUCTION', 'TAKE'));
ALTER TABLE liquidation_attempt ADD COLUMN target VARCHAR(42);
ALTER TABLE liquidation_attempt ADD COLUMN calldata VARCHAR(1000);
