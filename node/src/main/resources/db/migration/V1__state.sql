-- The node's durable state: what an indexer rebuilds from the logs (contracts/README.md, "Events:
-- what an indexer can rebuild"), the checkpoint it was rebuilt to, and what is needed to undo the
-- blocks that may still be reorged away. Runs unchanged on H2 2.3 and PostgreSQL 15+.
--
-- Units: every amount is a uint256 in base units, NUMERIC(78,0) (2^256 - 1 has 78 digits).
-- Addresses, market ids and hashes are lowercase 0x hex. Times are unix seconds, BIGINT.

-- The last applied block. One row (id = 1), written in the same transaction as the state it covers.
CREATE TABLE checkpoint (
    id              SMALLINT    NOT NULL PRIMARY KEY CHECK (id = 1),
    block_number    BIGINT      NOT NULL,
    block_hash      VARCHAR(66) NOT NULL,
    block_timestamp BIGINT      NOT NULL
);

-- Headers of the recent blocks, for reorg detection by parent hash. journaled = the block's changes
-- have before-images in journal, so it can be rolled back. Pruned below the unconfirmed window.
CREATE TABLE block_header (
    block_number    BIGINT      NOT NULL PRIMARY KEY,
    block_hash      VARCHAR(66) NOT NULL,
    parent_hash     VARCHAR(66) NOT NULL,
    block_timestamp BIGINT      NOT NULL,
    journaled       BOOLEAN     NOT NULL
);

-- Isolated markets: the parameters fixed at creation, then the totals (contract structs
-- MarketParams and Market). Rates and ratios are WAD (1e18).
CREATE TABLE market (
    market_id             VARCHAR(66)   NOT NULL PRIMARY KEY,
    collateral_token      VARCHAR(42)   NOT NULL,
    loan_token            VARCHAR(42)   NOT NULL,
    oracle                VARCHAR(42)   NOT NULL,
    lltv                  NUMERIC(78,0) NOT NULL,
    max_ltv               NUMERIC(78,0) NOT NULL,
    liquidation_incentive NUMERIC(78,0) NOT NULL,
    base_rate_per_year    NUMERIC(78,0) NOT NULL,
    slope1_per_year       NUMERIC(78,0) NOT NULL,
    slope2_per_year       NUMERIC(78,0) NOT NULL,
    kink_utilization      NUMERIC(78,0) NOT NULL,
    supply_cap            NUMERIC(78,0) NOT NULL,
    borrow_cap            NUMERIC(78,0) NOT NULL,
    min_leftover_debt     NUMERIC(78,0) NOT NULL,
    total_supply_assets   NUMERIC(78,0) NOT NULL,
    total_supply_shares   NUMERIC(78,0) NOT NULL,
    total_borrow_assets   NUMERIC(78,0) NOT NULL,
    total_borrow_shares   NUMERIC(78,0) NOT NULL,
    total_collateral      NUMERIC(78,0) NOT NULL,
    last_update           BIGINT        NOT NULL
);

-- One row per (market, account) with anything in it. rent_index_paid is at RENT_SCALE (1e36).
CREATE TABLE position (
    market_id       VARCHAR(66)   NOT NULL,
    account         VARCHAR(42)   NOT NULL,
    supply_shares   NUMERIC(78,0) NOT NULL,
    borrow_shares   NUMERIC(78,0) NOT NULL,
    collateral      NUMERIC(78,0) NOT NULL,
    rent_index_paid NUMERIC(78,0) NOT NULL,
    rent_accrued    NUMERIC(78,0) NOT NULL,
    PRIMARY KEY (market_id, account)
);

-- The appraisal oracle's feed per property token. price is at PRICE_SCALE (1e36); max_age is a
-- uint256 on chain (huge values are allowed), max_move_bps at most 10,000.
CREATE TABLE price_feed (
    token        VARCHAR(42)   NOT NULL PRIMARY KEY,
    price        NUMERIC(78,0) NOT NULL,
    updated_at   BIGINT        NOT NULL,
    max_age      NUMERIC(78,0) NOT NULL,
    max_move_bps BIGINT        NOT NULL
);

-- Per property token: pause flag, its rent accumulator, and the pool's rent index and locked total.
CREATE TABLE token_state (
    token                 VARCHAR(42)   NOT NULL PRIMARY KEY,
    paused                BOOLEAN       NOT NULL,
    rent_per_token        NUMERIC(78,0) NOT NULL,
    pool_rent_index       NUMERIC(78,0) NOT NULL,
    pool_total_collateral NUMERIC(78,0) NOT NULL
);

-- Present = frozen by an agent in that token.
CREATE TABLE frozen_account (
    token   VARCHAR(42) NOT NULL,
    account VARCHAR(42) NOT NULL,
    PRIMARY KEY (token, account)
);

-- Present = verified by the identity registry.
CREATE TABLE verified_account (
    account VARCHAR(42) NOT NULL PRIMARY KEY
);

-- Undo log of the reversible blocks: for each row change, in order, the row as it was before
-- (before_image NULL = the row did not exist). row_key and before_image are the row's columns as
-- text, comma separated. Rolling back replays a block's entries in reverse sequence order.
CREATE TABLE journal (
    block_number BIGINT        NOT NULL,
    seq          INTEGER       NOT NULL,
    table_name   VARCHAR(32)   NOT NULL,
    row_key      VARCHAR(200)  NOT NULL,
    before_image VARCHAR(4000),
    PRIMARY KEY (block_number, seq)
);
