package io.freehold.node.risk;

import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.CureWindow;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PoolRent;
import io.freehold.contracts.math.PositionValuation;
import io.freehold.contracts.math.Rent;
import io.freehold.contracts.math.Risk;
import io.freehold.contracts.math.Valuation;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.ingest.ContractMath;
import io.freehold.node.state.AuctionRecord;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything a market's valuations rest on at one block, copied out of {@link ChainState} between
 * two steps and never changed: readers value positions against it while the follower moves on.
 */
final class MarketSnapshot {

    final MarketRecord record;
    final MarketTerms terms;
    final MarketState accrued;
    final BigInteger price;
    final long priceUpdatedAt;
    final BigInteger priceMaxAge;
    final boolean paused;
    final Checkpoint asOf;
    final long appraisalAgeSeconds;
    final long ageHaircutBps;
    final BigInteger haircutPrice;
    final Map<MarketFlag, String> flags;
    final BigInteger warningHealthFactor;
    // The newest unconfirmed block that changed the market's totals, the feed or the token; -1 if
    // none.
    final long unconfirmedBlock;
    final Map<HealthBand, Integer> borrowers;
    // The pool's rent bookkeeping for the collateral token, with what the token owes the pool now.
    final PoolRent rent;
    // Valuations made for readers at this snapshot, so that a position or a page read again before
    // the next step is not valued again (clients poll the same pages between blocks). Bounded: past
    // READ_MEMO positions the rest are valued at each read.
    private final Map<TrackedPosition, PositionRisk> readMemo = new ConcurrentHashMap<>();

    /** The most valuations a snapshot keeps for readers (about 1 KB each). */
    static final int READ_MEMO = 10_000;

    // The market's liquidation terms, the oracle's appraisalCount of its collateral, and the
    // positions flagged or in auction with their active auctions (few: copied whole every step).
    final LiquidationTerms liquidationTerms;
    final BigInteger appraisalCount;
    final Map<Address, CureFlagState> cureFlags;
    final Map<Address, AuctionRecord> auctions;
    final Optional<AuctionTerms> auctionTerms;

    private MarketSnapshot(MarketSnapshot base, Map<HealthBand, Integer> borrowers) {
        this.record = base.record;
        this.terms = base.terms;
        this.accrued = base.accrued;
        this.price = base.price;
        this.priceUpdatedAt = base.priceUpdatedAt;
        this.priceMaxAge = base.priceMaxAge;
        this.paused = base.paused;
        this.asOf = base.asOf;
        this.appraisalAgeSeconds = base.appraisalAgeSeconds;
        this.ageHaircutBps = base.ageHaircutBps;
        this.haircutPrice = base.haircutPrice;
        this.flags = base.flags;
        this.warningHealthFactor = base.warningHealthFactor;
        this.unconfirmedBlock = base.unconfirmedBlock;
        this.rent = base.rent;
        this.liquidationTerms = base.liquidationTerms;
        this.appraisalCount = base.appraisalCount;
        this.cureFlags = base.cureFlags;
        this.auctions = base.auctions;
        this.auctionTerms = base.auctionTerms;
        this.borrowers = Map.copyOf(borrowers);
    }

    private MarketSnapshot(
            MarketRecord record,
            ChainState state,
            Checkpoint asOf,
            RiskConfiguration config,
            Address followedOracle) {
        this.record = record;
        this.terms = record.params();
        // The view accrues to its block's timestamp. A market's lastUpdate is never after the
        // checkpoint's
        // time, except in a state read while a block was being applied (a listener added mid-step):
        // the
        // next step corrects that, and meanwhile the valuation must not fail.
        this.accrued =
                ContractMath.accruedTo(
                        record, Math.max(asOf.timestamp(), record.totals().lastUpdate()));
        Address token = record.params().collateralToken();
        PriceFeedRecord feed = state.priceFeed(token).orElse(null);
        TokenRecord tokenRecord = state.token(token).orElse(null);
        this.price = feed == null ? BigInteger.ZERO : feed.price();
        this.priceUpdatedAt = feed == null ? 0 : feed.updatedAt();
        this.priceMaxAge = feed == null ? BigInteger.ZERO : feed.maxAge();
        this.paused = tokenRecord != null && tokenRecord.paused();
        this.asOf = asOf;
        this.appraisalAgeSeconds = AppraisalHaircut.ageSeconds(asOf.timestamp(), priceUpdatedAt);
        this.ageHaircutBps =
                AppraisalHaircut.bps(appraisalAgeSeconds, config.ageHaircutBpsPerYear());
        this.haircutPrice = AppraisalHaircut.price(price, ageHaircutBps);
        this.warningHealthFactor = config.warningHealthFactorWad();
        this.flags = flags(token, followedOracle, asOf.timestamp());
        long newest = -1;
        for (OptionalLong mark :
                new OptionalLong[] {
                    state.marketChangedUnconfirmed(record.id()),
                    state.priceChangedUnconfirmed(token),
                    state.tokenChangedUnconfirmed(token)
                }) {
            newest = Math.max(newest, mark.orElse(-1));
        }
        this.unconfirmedBlock = newest;
        this.rent =
                tokenRecord == null
                        ? PoolRent.NONE
                        : new PoolRent(
                                tokenRecord.poolRentIndex(),
                                tokenRecord.poolTotalCollateral(),
                                tokenRecord.poolPendingRent());
        this.liquidationTerms = state.liquidationTerms(record.id());
        this.appraisalCount = BigInteger.valueOf(feed == null ? 0 : feed.appraisalCount());
        Map<Address, CureFlagState> flagged = new HashMap<>();
        state.cureFlags(record.id()).forEach(f -> flagged.put(f.borrower(), f.flag()));
        this.cureFlags = Map.copyOf(flagged);
        Map<Address, AuctionRecord> inAuction = new HashMap<>();
        for (AuctionRecord a : state.activeAuctions()) {
            if (a.marketId().equals(record.id())) {
                inAuction.put(a.borrower(), a);
            }
        }
        this.auctions = Map.copyOf(inAuction);
        this.auctionTerms = state.auctionTerms(record.id());
        this.borrowers = Map.of();
    }

    /**
     * The market's inputs as {@code state} has them at {@code asOf}, before its positions are
     * counted.
     */
    static MarketSnapshot of(
            MarketRecord record,
            ChainState state,
            Checkpoint asOf,
            RiskConfiguration config,
            Address followedOracle) {
        return new MarketSnapshot(record, state, asOf, config, followedOracle);
    }

    /** This snapshot with its borrowers counted. */
    MarketSnapshot withBorrowers(Map<HealthBand, Integer> counts) {
        return new MarketSnapshot(this, counts);
    }

    /** The price and borrow index the positions' bands depend on. */
    MarketConditions conditions() {
        return new MarketConditions(
                price, accrued.totalBorrowAssets(), accrued.totalBorrowShares());
    }

    /** Values a position as the pool's view would at {@code asOf}. */
    /**
     * {@link #value}, made once per snapshot for the first {@link #READ_MEMO} positions read: for
     * readers, who may ask for the same position again before the next step.
     */
    PositionRisk valueForRead(TrackedPosition tracked) {
        PositionRisk risk = readMemo.get(tracked);
        if (risk == null) {
            risk = value(tracked);
            if (readMemo.size() < READ_MEMO) {
                readMemo.putIfAbsent(tracked, risk);
            }
        }
        return risk;
    }

    PositionRisk value(TrackedPosition tracked) {
        PositionValuation v = Valuation.of(terms, accrued, tracked.position().state(), price);
        BigInteger afterHaircut =
                Risk.healthFactor(
                        Risk.collateralValue(v.collateral(), haircutPrice), terms.lltv(), v.debt());
        long newest = Math.max(unconfirmedBlock, tracked.unconfirmedBlock());
        Address account = tracked.position().account();
        CureFlagState flag = cureFlags.getOrDefault(account, CureFlagState.NONE);
        HealthBand band = HealthBand.of(v.healthFactor(), warningHealthFactor);
        boolean liquidatable = band == HealthBand.LIQUIDATABLE && flags.isEmpty();
        return new PositionRisk(
                record.id(),
                tracked.position().account(),
                v,
                band,
                flags.keySet(),
                appraisalAgeSeconds,
                afterHaircut,
                asOf,
                newest < 0 ? OptionalLong.empty() : OptionalLong.of(newest),
                Rent.claimable(rent, tracked.position().state()),
                liquidationTerms,
                flag,
                CureWindow.flagHolds(flag, appraisalCount, price),
                liquidatable
                        && CureWindow.isOpen(
                                liquidationTerms,
                                flag,
                                v.healthFactor(),
                                appraisalCount,
                                price,
                                asOf.timestamp()),
                auction(account));
    }

    /** The account's active auction at {@code asOf}, if any. */
    private Optional<AuctionStanding> auction(Address account) {
        AuctionRecord a = auctions.get(account);
        if (a == null || auctionTerms.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(AuctionStanding.at(a, auctionTerms.get(), asOf.timestamp()));
    }

    MarketRisk risk() {
        return new MarketRisk(
                record.id(),
                record.params().collateralToken(),
                record.params().loanToken(),
                terms.lltv(),
                price,
                priceUpdatedAt,
                priceMaxAge,
                appraisalAgeSeconds,
                ageHaircutBps,
                haircutPrice,
                flags.containsKey(MarketFlag.NO_PRICE) || flags.containsKey(MarketFlag.PRICE_STALE),
                paused,
                flags,
                borrowers,
                asOf,
                unconfirmedBlock < 0 ? OptionalLong.empty() : OptionalLong.of(unconfirmedBlock),
                record);
    }

    boolean flagged() {
        return !flags.isEmpty();
    }

    private Map<MarketFlag, String> flags(Address token, Address followedOracle, long now) {
        Map<MarketFlag, String> raised = new EnumMap<>(MarketFlag.class);
        if (price.signum() == 0) {
            raised.put(MarketFlag.NO_PRICE, "the oracle has no price for token " + token);
        } else if (BigInteger.valueOf(now - priceUpdatedAt).compareTo(priceMaxAge) > 0) {
            // AppraisalOracle.isStale: block.timestamp - updatedAt > maxAge (updatedAt is never in
            // the future)
            raised.put(
                    MarketFlag.PRICE_STALE,
                    "the appraisal of token "
                            + token
                            + " made at "
                            + priceUpdatedAt
                            + " is "
                            + (now - priceUpdatedAt)
                            + " s old at block "
                            + asOf.number()
                            + ", more than its max age of "
                            + priceMaxAge
                            + " s");
        }
        if (paused) {
            raised.put(MarketFlag.TOKEN_PAUSED, "token " + token + " is paused");
        }
        if (!record.params().oracle().equals(followedOracle)) {
            raised.put(
                    MarketFlag.ORACLE_NOT_FOLLOWED,
                    "the market's oracle "
                            + record.params().oracle()
                            + " is not the oracle the node follows ("
                            + followedOracle
                            + ")");
        }
        return raised;
    }
}
