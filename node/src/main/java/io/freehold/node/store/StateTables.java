package io.freehold.node.store;

import static io.freehold.node.store.Column.bool;
import static io.freehold.node.store.Column.int64;
import static io.freehold.node.store.Column.text;
import static io.freehold.node.store.Column.uint;

import io.freehold.contracts.math.AuctionTerms;
import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.node.state.AuctionRecord;
import io.freehold.node.state.AuctionTermsRecord;
import io.freehold.node.state.CureFlagRecord;
import io.freehold.node.state.FrozenAccount;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.node.state.LiquidationTermsRecord;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.node.state.VerifiedAccount;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The state tables of V1__state.sql (and the later migrations that add to it: V12 the liquidation
 * terms, cure flags and auctions) and how each maps to its record. Column order = key first.
 */
final class StateTables {

    private StateTables() {}

    static final StateTable<MarketRecord> MARKET =
            new StateTable<>(
                    "market",
                    List.of(
                            text("market_id"),
                            text("collateral_token"),
                            text("loan_token"),
                            text("oracle"),
                            uint("lltv"),
                            uint("max_ltv"),
                            uint("liquidation_incentive"),
                            uint("base_rate_per_year"),
                            uint("slope1_per_year"),
                            uint("slope2_per_year"),
                            uint("kink_utilization"),
                            uint("supply_cap"),
                            uint("borrow_cap"),
                            uint("min_leftover_debt"),
                            uint("total_supply_assets"),
                            uint("total_supply_shares"),
                            uint("total_borrow_assets"),
                            uint("total_borrow_shares"),
                            uint("total_collateral"),
                            int64("last_update")),
                    1,
                    m -> {
                        MarketTerms p = m.params();
                        MarketState t = m.totals();
                        return new Object[] {
                            m.id().hex(),
                            p.collateralToken().hex(),
                            p.loanToken().hex(),
                            p.oracle().hex(),
                            p.lltv(),
                            p.maxLtv(),
                            p.liquidationIncentive(),
                            p.baseRatePerYear(),
                            p.slope1PerYear(),
                            p.slope2PerYear(),
                            p.kinkUtilization(),
                            p.supplyCap(),
                            p.borrowCap(),
                            p.minLeftoverDebt(),
                            t.totalSupplyAssets(),
                            t.totalSupplyShares(),
                            t.totalBorrowAssets(),
                            t.totalBorrowShares(),
                            t.totalCollateral(),
                            t.lastUpdate()
                        };
                    },
                    v ->
                            new MarketRecord(
                                    new MarketId((String) v[0]),
                                    new MarketTerms(
                                            addr(v[1]),
                                            addr(v[2]),
                                            addr(v[3]),
                                            big(v[4]),
                                            big(v[5]),
                                            big(v[6]),
                                            big(v[7]),
                                            big(v[8]),
                                            big(v[9]),
                                            big(v[10]),
                                            big(v[11]),
                                            big(v[12]),
                                            big(v[13])),
                                    new MarketState(
                                            big(v[14]),
                                            big(v[15]),
                                            big(v[16]),
                                            big(v[17]),
                                            big(v[18]),
                                            (Long) v[19])));

    static final StateTable<PositionRecord> POSITION =
            new StateTable<>(
                    "position",
                    List.of(
                            text("market_id"),
                            text("account"),
                            uint("supply_shares"),
                            uint("borrow_shares"),
                            uint("collateral"),
                            uint("rent_index_paid"),
                            uint("rent_accrued")),
                    2,
                    p ->
                            new Object[] {
                                p.marketId().hex(),
                                p.account().hex(),
                                p.supplyShares(),
                                p.borrowShares(),
                                p.collateral(),
                                p.rentIndexPaid(),
                                p.rentAccrued()
                            },
                    v ->
                            new PositionRecord(
                                    new MarketId((String) v[0]),
                                    addr(v[1]),
                                    big(v[2]),
                                    big(v[3]),
                                    big(v[4]),
                                    big(v[5]),
                                    big(v[6])));

    static final StateTable<PriceFeedRecord> PRICE_FEED =
            new StateTable<>(
                    "price_feed",
                    List.of(
                            text("token"),
                            uint("price"),
                            int64("updated_at"),
                            uint("max_age"),
                            int64("max_move_bps"),
                            int64("appraisal_count")),
                    1,
                    f ->
                            new Object[] {
                                f.token().hex(),
                                f.price(),
                                f.updatedAt(),
                                f.maxAge(),
                                f.maxMoveBps(),
                                f.appraisalCount()
                            },
                    v ->
                            new PriceFeedRecord(
                                    addr(v[0]),
                                    big(v[1]),
                                    (Long) v[2],
                                    big(v[3]),
                                    (Long) v[4],
                                    (Long) v[5]));

    static final StateTable<TokenRecord> TOKEN =
            new StateTable<>(
                    "token_state",
                    List.of(
                            text("token"),
                            bool("paused"),
                            uint("rent_per_token"),
                            uint("pool_rent_index"),
                            uint("pool_total_collateral"),
                            uint("pool_rent_per_token_paid")),
                    1,
                    t ->
                            new Object[] {
                                t.token().hex(),
                                t.paused(),
                                t.rentPerToken(),
                                t.poolRentIndex(),
                                t.poolTotalCollateral(),
                                t.poolRentPerTokenPaid()
                            },
                    v ->
                            new TokenRecord(
                                    addr(v[0]),
                                    (Boolean) v[1],
                                    big(v[2]),
                                    big(v[3]),
                                    big(v[4]),
                                    big(v[5])));

    static final StateTable<FrozenAccount> FROZEN =
            new StateTable<>(
                    "frozen_account",
                    List.of(text("token"), text("account")),
                    2,
                    f -> new Object[] {f.token().hex(), f.account().hex()},
                    v -> new FrozenAccount(addr(v[0]), addr(v[1])));

    static final StateTable<VerifiedAccount> VERIFIED =
            new StateTable<>(
                    "verified_account",
                    List.of(text("account")),
                    1,
                    a -> new Object[] {a.account().hex()},
                    v -> new VerifiedAccount(addr(v[0])));

    /** History rather than state: written and journaled like the rest, never loaded into memory. */
    static final StateTable<LiquidationRecord> LIQUIDATION =
            new StateTable<>(
                    "liquidation",
                    List.of(
                            int64("block_number"),
                            int64("log_index"),
                            text("market_id"),
                            text("liquidator"),
                            text("borrower"),
                            text("receiver"),
                            uint("repaid_assets"),
                            uint("repaid_shares"),
                            uint("seized_collateral"),
                            uint("bad_debt_assets"),
                            uint("bad_debt_shares"),
                            text("transaction_hash"),
                            int64("block_timestamp")),
                    2,
                    l ->
                            new Object[] {
                                l.blockNumber(),
                                l.logIndex(),
                                l.marketId().hex(),
                                l.liquidator().hex(),
                                l.borrower().hex(),
                                l.receiver().hex(),
                                l.repaidAssets(),
                                l.repaidShares(),
                                l.seizedCollateral(),
                                l.badDebtAssets(),
                                l.badDebtShares(),
                                l.transactionHash(),
                                l.timestamp()
                            },
                    v ->
                            new LiquidationRecord(
                                    (Long) v[0],
                                    (Long) v[1],
                                    new MarketId((String) v[2]),
                                    addr(v[3]),
                                    addr(v[4]),
                                    addr(v[5]),
                                    big(v[6]),
                                    big(v[7]),
                                    big(v[8]),
                                    big(v[9]),
                                    big(v[10]),
                                    (String) v[11],
                                    (Long) v[12]));

    static final StateTable<LiquidationTermsRecord> LIQUIDATION_TERMS =
            new StateTable<>(
                    "liquidation_terms",
                    List.of(
                            text("market_id"),
                            text("auction"),
                            int64("cure_window"),
                            uint("hard_floor_health")),
                    1,
                    t ->
                            new Object[] {
                                t.marketId().hex(),
                                t.terms().auction().hex(),
                                t.terms().cureWindowSeconds(),
                                t.terms().hardFloorHealth()
                            },
                    v ->
                            new LiquidationTermsRecord(
                                    new MarketId((String) v[0]),
                                    new LiquidationTerms(addr(v[1]), (Long) v[2], big(v[3]))));

    static final StateTable<AuctionTermsRecord> AUCTION_TERMS =
            new StateTable<>(
                    "auction_terms",
                    List.of(
                            text("market_id"),
                            uint("start_premium"),
                            uint("floor_ratio"),
                            int64("duration"),
                            uint("penalty"),
                            uint("keeper_flat_fee"),
                            uint("keeper_fee_rate"),
                            uint("keeper_fee_cap"),
                            int64("max_paid_restarts")),
                    1,
                    r -> {
                        AuctionTerms t = r.terms();
                        return new Object[] {
                            r.marketId().hex(),
                            t.startPremium(),
                            t.floorRatio(),
                            t.durationSeconds(),
                            t.penalty(),
                            t.keeperFlatFee(),
                            t.keeperFeeRate(),
                            t.keeperFeeCap(),
                            (long) t.maxPaidRestarts()
                        };
                    },
                    v ->
                            new AuctionTermsRecord(
                                    new MarketId((String) v[0]),
                                    new AuctionTerms(
                                            big(v[1]),
                                            big(v[2]),
                                            (Long) v[3],
                                            big(v[4]),
                                            big(v[5]),
                                            big(v[6]),
                                            big(v[7]),
                                            Math.toIntExact((Long) v[8]))));

    static final StateTable<CureFlagRecord> CURE_FLAG =
            new StateTable<>(
                    "cure_flag",
                    List.of(
                            text("market_id"),
                            text("borrower"),
                            int64("flagged_at"),
                            uint("appraisal_seq"),
                            uint("price"),
                            bool("in_auction")),
                    2,
                    f ->
                            new Object[] {
                                f.marketId().hex(),
                                f.borrower().hex(),
                                f.flag().flaggedAt(),
                                f.flag().appraisalSeq(),
                                f.flag().price(),
                                f.flag().inAuction()
                            },
                    v ->
                            new CureFlagRecord(
                                    new MarketId((String) v[0]),
                                    addr(v[1]),
                                    new CureFlagState(
                                            (Long) v[2], big(v[3]), big(v[4]), (Boolean) v[5])));

    static final StateTable<AuctionRecord> AUCTION =
            new StateTable<>(
                    "auction",
                    List.of(
                            int64("auction_id"),
                            text("market_id"),
                            text("borrower"),
                            int64("started_at"),
                            int64("ends_at"),
                            int64("restarts"),
                            bool("active"),
                            uint("start_price"),
                            uint("floor_price")),
                    1,
                    a ->
                            new Object[] {
                                a.auctionId(),
                                a.marketId().hex(),
                                a.borrower().hex(),
                                a.startedAt(),
                                a.endsAt(),
                                (long) a.restarts(),
                                a.active(),
                                a.startPrice(),
                                a.floorPrice()
                            },
                    v ->
                            new AuctionRecord(
                                    (Long) v[0],
                                    new MarketId((String) v[1]),
                                    addr(v[2]),
                                    (Long) v[3],
                                    (Long) v[4],
                                    Math.toIntExact((Long) v[5]),
                                    (Boolean) v[6],
                                    big(v[7]),
                                    big(v[8])));

    static final List<StateTable<?>> ALL =
            List.of(
                    MARKET,
                    POSITION,
                    PRICE_FEED,
                    TOKEN,
                    FROZEN,
                    VERIFIED,
                    LIQUIDATION,
                    LIQUIDATION_TERMS,
                    AUCTION_TERMS,
                    CURE_FLAG,
                    AUCTION);

    private static final Map<String, StateTable<?>> BY_NAME =
            ALL.stream()
                    .collect(Collectors.toUnmodifiableMap(StateTable::name, Function.identity()));

    /** The table a journal entry names. */
    static StateTable<?> named(String name) {
        StateTable<?> table = BY_NAME.get(name);
        if (table == null) {
            throw new StateStoreException("corrupt journal: unknown table '" + name + "'");
        }
        return table;
    }

    private static Address addr(Object value) {
        return new Address((String) value);
    }

    private static BigInteger big(Object value) {
        return (BigInteger) value;
    }
}
