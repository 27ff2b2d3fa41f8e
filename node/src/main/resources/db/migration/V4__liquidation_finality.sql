-- Finality-aware attempts. A liquidation whose receipt is in a block that is not final yet stays held
-- (status IN_FLIGHT, position and nonce still reserved) with the provisional block recorded here; it ends
-- MINED only once that block is final. A reorg that orphans the block clears these columns and counts the
-- orphaning: the attempt is sent again at the same nonce. The API reads the two states from these columns
-- (MINED_UNCONFIRMED while included_* is set on an attempt in flight, ORPHANED_RETRIED while
-- orphaned_count > 0 and nothing is included), so the status CHECK of V2 does not change.
ALTER TABLE liquidation_attempt ADD COLUMN included_block_hash VARCHAR(66);
ALTER TABLE liquidation_attempt ADD COLUMN orphaned_count INTEGER DEFAULT 0 NOT NULL;
