-- Auction liquidation and the cure window (contracts/README.md, "Liquidation terms: fixed incentive or
-- auction, and a cure window"). Journaled like every state table, so a rollback undoes them.

-- The oracle's appraisalCount(token): one more with every AppraisalUpdated. Rows written before this
-- column existed start at 0, so cure flags read against them are judged wrongly until a resync from the
-- deployment block (the node counts from its first block).
ALTER TABLE price_feed ADD COLUMN appraisal_count BIGINT NOT NULL DEFAULT 0;

-- A market's LiquidationTermsSet (markets without a row: fixed incentive, no window). auction is the
-- DutchAuction's address, or the zero address; cure_window in seconds; hard_floor_health WAD.
CREATE TABLE liquidation_terms (
    market_id         VARCHAR(66)   NOT NULL PRIMARY KEY,
    auction           VARCHAR(42)   NOT NULL,
    cure_window       BIGINT        NOT NULL,
    hard_floor_health NUMERIC(78,0) NOT NULL
);

-- An auction market's AuctionMarketConfigured: ratios WAD, duration seconds, fees loan-token base units.
CREATE TABLE auction_terms (
    market_id         VARCHAR(66)   NOT NULL PRIMARY KEY,
    start_premium     NUMERIC(78,0) NOT NULL,
    floor_ratio       NUMERIC(78,0) NOT NULL,
    duration          BIGINT        NOT NULL,
    penalty           NUMERIC(78,0) NOT NULL,
    keeper_flat_fee   NUMERIC(78,0) NOT NULL,
    keeper_fee_rate   NUMERIC(78,0) NOT NULL,
    keeper_fee_cap    NUMERIC(78,0) NOT NULL,
    max_paid_restarts BIGINT        NOT NULL
);

-- The pool's cureFlag(id, borrower): a row only while the position is flagged or locked in an auction.
-- flagged_at unix seconds (0: not flagged), appraisal_seq the appraisalCount it was confirmed under,
-- price PRICE_SCALE (1e36).
CREATE TABLE cure_flag (
    market_id     VARCHAR(66)   NOT NULL,
    borrower      VARCHAR(42)   NOT NULL,
    flagged_at    BIGINT        NOT NULL,
    appraisal_seq NUMERIC(78,0) NOT NULL,
    price         NUMERIC(78,0) NOT NULL,
    in_auction    BOOLEAN       NOT NULL,
    PRIMARY KEY (market_id, borrower)
);

-- The DutchAuction's auction(auctionId), ended ones kept (ids are never reused). Prices PRICE_SCALE,
-- times unix seconds; ends_at is when the price reaches the floor.
CREATE TABLE auction (
    auction_id  BIGINT        NOT NULL PRIMARY KEY,
    market_id   VARCHAR(66)   NOT NULL,
    borrower    VARCHAR(42)   NOT NULL,
    started_at  BIGINT        NOT NULL,
    ends_at     BIGINT        NOT NULL,
    restarts    BIGINT        NOT NULL,
    active      BOOLEAN       NOT NULL,
    start_price NUMERIC(78,0) NOT NULL,
    floor_price NUMERIC(78,0) NOT NULL
);
CREATE INDEX auction_position ON auction (market_id, borrower);
