-- Every Liquidate log of the pool, for the API's ListLiquidations (history, not state: the node never
-- loads it into memory). Rows of reversible blocks are journaled like state rows, so a reorg that
-- orphans a liquidation removes it. Units as in V1.
CREATE TABLE liquidation (
    block_number      BIGINT        NOT NULL,
    log_index         BIGINT        NOT NULL,
    market_id         VARCHAR(66)   NOT NULL,
    liquidator        VARCHAR(42)   NOT NULL,
    borrower          VARCHAR(42)   NOT NULL,
    receiver          VARCHAR(42)   NOT NULL,
    repaid_assets     NUMERIC(78,0) NOT NULL,
    repaid_shares     NUMERIC(78,0) NOT NULL,
    seized_collateral NUMERIC(78,0) NOT NULL,
    bad_debt_assets   NUMERIC(78,0) NOT NULL,
    bad_debt_shares   NUMERIC(78,0) NOT NULL,
    transaction_hash  VARCHAR(66)   NOT NULL,
    block_timestamp   BIGINT        NOT NULL,
    PRIMARY KEY (block_number, log_index)
);

-- Newest first, per market and per borrower.
CREATE INDEX liquidation_by_market ON liquidation (market_id, block_number, log_index);
CREATE INDEX liquidation_by_borrower ON liquidation (borrower, block_number, log_index);
