-- Attempts of a node following an Aave v3 pool (freehold.node.protocol=aave-v3): liquidationCall on the
-- pool, kind AAVE_LIQUIDATION. They share everything with Freehold's attempts (the record written before
-- sending, one in flight per position and per nonce, finality and orphan columns, the transactions); the
-- market id is the pool's address left-padded to 32 bytes, `target` the pool and `calldata` the call, so a
-- restarted node re-signs the same liquidationCall at the same nonce. Amounts: requested_repay and
-- expected_repaid are debt-asset base units, expected_seized collateral-asset base units; expected_profit,
-- price and profit are in the pool's base currency (the oracle's unit, e.g. 1e8 per US dollar).
ALTER TABLE liquidation_attempt DROP CONSTRAINT liquidation_attempt_kind;
ALTER TABLE liquidation_attempt ADD CONSTRAINT liquidation_attempt_kind
    CHECK (kind IN ('LIQUIDATE', 'FLAG', 'START_AUCTION', 'RESTART_AUCTION', 'TAKE', 'AAVE_LIQUIDATION'));
