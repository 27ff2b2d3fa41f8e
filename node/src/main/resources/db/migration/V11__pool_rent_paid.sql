-- The property token's rent accumulator when the pool last settled its own rent as a holder: with it the
-- node reproduces the token's claimableRent(pool), hence each position's claimable rent, to the wei.
-- Rows written before this column existed start at the token's current accumulator (no rent pending for
-- the pool): they are exact again after the pool's next action on that token (a collateral move,
-- claimRent, repayWithRent or liquidate); resync from the deployment block for exact values at once.
ALTER TABLE token_state ADD COLUMN pool_rent_per_token_paid NUMERIC(78,0) NOT NULL DEFAULT 0;
UPDATE token_state SET pool_rent_per_token_paid = rent_per_token;
