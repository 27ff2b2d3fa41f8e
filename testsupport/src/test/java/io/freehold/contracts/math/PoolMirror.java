package io.freehold.contracts.math;

import io.freehold.contracts.bindings.PoolStructs;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.PropertyToken;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * The pool's state rebuilt from logs alone, as the node does (contracts/README.md, "Events: what an
 * indexer can rebuild"), with this package's math for what the events leave implicit: rent settled
 * on every collateral change, the pool's own rent as a holder of each property token, accrual
 * checked against every {@code AccrueInterest}.
 *
 * <p>Keys are lower-case: market ids as 0x-hex, tokens and accounts as addresses.
 */
final class PoolMirror {

    /** The pool's bookkeeping in one property token, as that token keeps it for any holder. */
    record Holder(BigInteger balance, BigInteger rentPerTokenPaid, BigInteger owed) {
        static final Holder NONE = new Holder(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO);
    }

    /** An oracle feed: the latest appraisal and the staleness rule. */
    record Feed(BigInteger price, long updatedAt, long maxAge) {
        boolean staleAt(long timestamp) {
            return price.signum() == 0 || timestamp - updatedAt > maxAge;
        }
    }

    private static final String MARKET_CREATED =
            EventEncoder.encode(LendingPool.MARKETCREATED_EVENT);
    private static final String ACCRUE_INTEREST =
            EventEncoder.encode(LendingPool.ACCRUEINTEREST_EVENT);
    private static final String SUPPLY = EventEncoder.encode(LendingPool.SUPPLY_EVENT);
    private static final String WITHDRAW = EventEncoder.encode(LendingPool.WITHDRAW_EVENT);
    private static final String SUPPLY_COLLATERAL =
            EventEncoder.encode(LendingPool.SUPPLYCOLLATERAL_EVENT);
    private static final String WITHDRAW_COLLATERAL =
            EventEncoder.encode(LendingPool.WITHDRAWCOLLATERAL_EVENT);
    private static final String BORROW = EventEncoder.encode(LendingPool.BORROW_EVENT);
    private static final String REPAY = EventEncoder.encode(LendingPool.REPAY_EVENT);
    private static final String LIQUIDATE = EventEncoder.encode(LendingPool.LIQUIDATE_EVENT);
    private static final String RENT_PULLED = EventEncoder.encode(LendingPool.RENTPULLED_EVENT);
    private static final String RENT_CLAIMED = EventEncoder.encode(LendingPool.RENTCLAIMED_EVENT);
    private static final String TOKEN_TRANSFER = EventEncoder.encode(PropertyToken.TRANSFER_EVENT);
    private static final String TOKEN_RENT_DEPOSITED =
            EventEncoder.encode(PropertyToken.RENTDEPOSITED_EVENT);
    private static final String TOKEN_RENT_CLAIMED =
            EventEncoder.encode(PropertyToken.RENTCLAIMED_EVENT);
    private static final String APPRAISAL_UPDATED =
            EventEncoder.encode(AppraisalOracle.APPRAISALUPDATED_EVENT);
    private static final String FEED_CONFIGURED =
            EventEncoder.encode(AppraisalOracle.FEEDCONFIGURED_EVENT);

    private final String pool;
    private final String oracle;
    final Map<String, MarketTerms> terms = new LinkedHashMap<>();
    final Map<String, MarketState> markets = new HashMap<>();
    private final Map<String, PositionState> positions = new HashMap<>();
    private final Map<String, BigInteger> rentIndex = new HashMap<>();
    private final Map<String, BigInteger> totalCollateralOf = new HashMap<>();
    private final Map<String, BigInteger> rentPerToken = new HashMap<>();
    private final Map<String, Holder> poolAsHolder = new HashMap<>();
    private final Map<String, Feed> feeds = new HashMap<>();

    PoolMirror(String pool, String oracle) {
        this.pool = lower(pool);
        this.oracle = lower(oracle);
    }

    static String key(String marketId, String account) {
        return lower(marketId) + "/" + lower(account);
    }

    MarketTerms terms(String marketId) {
        return terms.get(lower(marketId));
    }

    MarketState market(String marketId) {
        return markets.get(lower(marketId));
    }

    PositionState position(String marketId, String account) {
        return positions.getOrDefault(key(marketId, account), PositionState.EMPTY);
    }

    Feed feed(String token) {
        return feeds.get(lower(token));
    }

    /** The pool's rent bookkeeping for {@code token}, with what the token would pay it now. */
    PoolRent poolRent(String token) {
        String t = lower(token);
        Holder holder = poolAsHolder.getOrDefault(t, Holder.NONE);
        BigInteger pending =
                Rent.holderClaimable(
                        holder.balance(),
                        rentPerToken.getOrDefault(t, BigInteger.ZERO),
                        holder.rentPerTokenPaid(),
                        holder.owed());
        return new PoolRent(
                rentIndex.getOrDefault(t, BigInteger.ZERO),
                totalCollateralOf.getOrDefault(t, BigInteger.ZERO),
                pending);
    }

    /**
     * Applies one log of the pool, the oracle or a property token, mined in a block at {@code
     * timestamp}.
     */
    void apply(Log log, long timestamp) {
        String topic = log.getTopics().isEmpty() ? "" : log.getTopics().get(0);
        String address = lower(log.getAddress());
        if (address.equals(pool)) {
            applyPool(topic, log, timestamp);
        } else if (address.equals(oracle)) {
            applyOracle(topic, log);
        } else if (!isCollateralToken(address)) {
            return; // the stablecoin's transfers, say, share the ERC-20 Transfer topic
        } else if (topic.equals(TOKEN_RENT_DEPOSITED)) {
            rentPerToken.put(address, PropertyToken.getRentDepositedEventFromLog(log).rentPerToken);
        } else if (topic.equals(TOKEN_RENT_CLAIMED)) {
            var e = PropertyToken.getRentClaimedEventFromLog(log);
            if (lower(e.holder).equals(pool)) {
                Holder h = settlePoolAsHolder(address);
                if (!h.owed().equals(e.amount)) {
                    throw new AssertionError(
                            "token "
                                    + address
                                    + " paid the pool "
                                    + e.amount
                                    + ", mirror owed "
                                    + h.owed());
                }
                poolAsHolder.put(
                        address, new Holder(h.balance(), h.rentPerTokenPaid(), BigInteger.ZERO));
            }
        } else if (topic.equals(TOKEN_TRANSFER)) {
            var e = PropertyToken.getTransferEventFromLog(log);
            if (lower(e.from).equals(pool)) {
                Holder h = settlePoolAsHolder(address);
                poolAsHolder.put(
                        address,
                        new Holder(h.balance().subtract(e.value), h.rentPerTokenPaid(), h.owed()));
            }
            if (lower(e.to).equals(pool)) {
                Holder h = settlePoolAsHolder(address);
                poolAsHolder.put(
                        address,
                        new Holder(h.balance().add(e.value), h.rentPerTokenPaid(), h.owed()));
            }
        }
    }

    private boolean isCollateralToken(String address) {
        return terms.values().stream().anyMatch(t -> t.collateralToken().hex().equals(address));
    }

    private void applyOracle(String topic, Log log) {
        if (topic.equals(APPRAISAL_UPDATED)) {
            var e = AppraisalOracle.getAppraisalUpdatedEventFromLog(log);
            Feed old = feeds.get(lower(e.token));
            feeds.put(
                    lower(e.token),
                    new Feed(
                            e.price, e.updatedAt.longValueExact(), old == null ? 0 : old.maxAge()));
        } else if (topic.equals(FEED_CONFIGURED)) {
            var e = AppraisalOracle.getFeedConfiguredEventFromLog(log);
            Feed old = feeds.getOrDefault(lower(e.token), new Feed(BigInteger.ZERO, 0, 0));
            feeds.put(
                    lower(e.token),
                    new Feed(old.price(), old.updatedAt(), e.maxAge.longValueExact()));
        }
    }

    private void applyPool(String topic, Log log, long timestamp) {
        if (topic.equals(MARKET_CREATED)) {
            var e = LendingPool.getMarketCreatedEventFromLog(log);
            String id = hex(e.id);
            terms.put(id, PoolStructs.terms(e.params));
            markets.put(id, MarketState.created(timestamp));
        } else if (topic.equals(ACCRUE_INTEREST)) {
            var e = LendingPool.getAccrueInterestEventFromLog(log);
            String id = hex(e.id);
            Accrual expected = markets.get(id).accrueTo(terms.get(id), timestamp);
            if (!expected.borrowRate().equals(e.borrowRate)
                    || !expected.interest().equals(e.interest)
                    || !expected.market().totalSupplyAssets().equals(e.totalSupplyAssets)
                    || !expected.market().totalBorrowAssets().equals(e.totalBorrowAssets)) {
                throw new AssertionError(
                        "AccrueInterest at "
                                + timestamp
                                + " in "
                                + id
                                + ": chain rate "
                                + e.borrowRate
                                + " interest "
                                + e.interest
                                + " supply "
                                + e.totalSupplyAssets
                                + " borrow "
                                + e.totalBorrowAssets
                                + "; Java "
                                + expected);
            }
            MarketState m = markets.get(id);
            markets.put(
                    id,
                    new MarketState(
                            e.totalSupplyAssets,
                            m.totalSupplyShares(),
                            e.totalBorrowAssets,
                            m.totalBorrowShares(),
                            m.totalCollateral(),
                            timestamp));
        } else if (topic.equals(SUPPLY)) {
            var e = LendingPool.getSupplyEventFromLog(log);
            String id = hex(e.id);
            MarketState m = markets.get(id);
            markets.put(
                    id,
                    m.withSupply(
                            m.totalSupplyAssets().add(e.assets),
                            m.totalSupplyShares().add(e.shares)));
            PositionState p = position(id, e.onBehalf);
            putPosition(id, e.onBehalf, p.withSupplyShares(p.supplyShares().add(e.shares)));
        } else if (topic.equals(WITHDRAW)) {
            var e = LendingPool.getWithdrawEventFromLog(log);
            String id = hex(e.id);
            MarketState m = markets.get(id);
            markets.put(
                    id,
                    m.withSupply(
                            m.totalSupplyAssets().subtract(e.assets),
                            m.totalSupplyShares().subtract(e.shares)));
            PositionState p = position(id, e.onBehalf);
            putPosition(id, e.onBehalf, p.withSupplyShares(p.supplyShares().subtract(e.shares)));
        } else if (topic.equals(SUPPLY_COLLATERAL)) {
            var e = LendingPool.getSupplyCollateralEventFromLog(log);
            moveCollateral(hex(e.id), e.onBehalf, e.assets);
        } else if (topic.equals(WITHDRAW_COLLATERAL)) {
            var e = LendingPool.getWithdrawCollateralEventFromLog(log);
            moveCollateral(hex(e.id), e.onBehalf, e.assets.negate());
        } else if (topic.equals(BORROW)) {
            var e = LendingPool.getBorrowEventFromLog(log);
            String id = hex(e.id);
            MarketState m = markets.get(id);
            markets.put(
                    id,
                    m.withBorrow(
                            m.totalBorrowAssets().add(e.assets),
                            m.totalBorrowShares().add(e.shares)));
            PositionState p = position(id, e.onBehalf);
            putPosition(id, e.onBehalf, p.withBorrowShares(p.borrowShares().add(e.shares)));
        } else if (topic.equals(REPAY)) {
            var e = LendingPool.getRepayEventFromLog(log);
            String id = hex(e.id);
            MarketState m = markets.get(id);
            markets.put(
                    id,
                    m.withBorrow(
                            FixedPoint.zeroFloorSub(m.totalBorrowAssets(), e.assets),
                            m.totalBorrowShares().subtract(e.shares)));
            PositionState p = position(id, e.onBehalf);
            putPosition(id, e.onBehalf, p.withBorrowShares(p.borrowShares().subtract(e.shares)));
        } else if (topic.equals(LIQUIDATE)) {
            applyLiquidate(LendingPool.getLiquidateEventFromLog(log));
        } else if (topic.equals(RENT_PULLED)) {
            var e = LendingPool.getRentPulledEventFromLog(log);
            rentIndex.put(lower(e.token), e.rentIndex);
        } else if (topic.equals(RENT_CLAIMED)) {
            // Emitted by claimRent (even when it pays 0) and repayWithRent, both after _pullRent.
            var e = LendingPool.getRentClaimedEventFromLog(log);
            String id = hex(e.id);
            String token = terms.get(id).collateralToken().hex();
            settlePulledPool(token);
            PositionState p =
                    Rent.settle(
                            position(id, e.owner), rentIndex.getOrDefault(token, BigInteger.ZERO));
            putPosition(
                    id, e.owner, p.withRent(p.rentIndexPaid(), p.rentAccrued().subtract(e.amount)));
        }
    }

    private void applyLiquidate(LendingPool.LiquidateEventResponse e) {
        String id = hex(e.id);
        String token = terms.get(id).collateralToken().hex();
        MarketState m = markets.get(id);
        m =
                m.withBorrow(
                        FixedPoint.zeroFloorSub(m.totalBorrowAssets(), e.repaidAssets),
                        m.totalBorrowShares().subtract(e.repaidShares));
        m = m.withCollateral(m.totalCollateral().subtract(e.seizedCollateral));
        m =
                m.withBorrow(
                                m.totalBorrowAssets().subtract(e.badDebtAssets),
                                m.totalBorrowShares().subtract(e.badDebtShares))
                        .withSupply(
                                FixedPoint.zeroFloorSub(m.totalSupplyAssets(), e.badDebtAssets),
                                m.totalSupplyShares());
        markets.put(id, m);
        PositionState p =
                Rent.settle(
                        position(id, e.borrower), rentIndex.getOrDefault(token, BigInteger.ZERO));
        p =
                p.withBorrowShares(
                                p.borrowShares().subtract(e.repaidShares).subtract(e.badDebtShares))
                        .withCollateral(p.collateral().subtract(e.seizedCollateral));
        putPosition(id, e.borrower, p);
        totalCollateralOf.merge(token, e.seizedCollateral.negate(), BigInteger::add);
    }

    private void moveCollateral(String id, String account, BigInteger delta) {
        String token = terms.get(id).collateralToken().hex();
        PositionState p =
                Rent.settle(position(id, account), rentIndex.getOrDefault(token, BigInteger.ZERO));
        putPosition(id, account, p.withCollateral(p.collateral().add(delta)));
        MarketState m = markets.get(id);
        markets.put(id, m.withCollateral(m.totalCollateral().add(delta)));
        totalCollateralOf.merge(token, delta, BigInteger::add);
    }

    /**
     * The pool's {@code _pullRent} called the token's {@code claimRent} whenever it held
     * collateral. That settles the pool as a holder even when it pays nothing, and then the token
     * emits nothing (its own zero claim stays silent: the node does not track per-holder token
     * rent), so it is applied here. When the token did pay, its {@code RentClaimed} was applied
     * already and settling again changes nothing.
     */
    private void settlePulledPool(String token) {
        if (totalCollateralOf.getOrDefault(token, BigInteger.ZERO).signum() == 0) {
            return;
        }
        Holder h = settlePoolAsHolder(token);
        if (h.owed().signum() != 0) {
            throw new AssertionError(
                    "the pool pulled its rent from "
                            + token
                            + ", yet the mirror has it owed "
                            + h.owed());
        }
    }

    /**
     * The token's {@code _settleRent(pool)}: what the pool's balance earned since it last settled
     * becomes owed.
     */
    private Holder settlePoolAsHolder(String token) {
        Holder h = poolAsHolder.getOrDefault(token, Holder.NONE);
        BigInteger perToken = rentPerToken.getOrDefault(token, BigInteger.ZERO);
        Holder settled =
                new Holder(
                        h.balance(),
                        perToken,
                        Rent.holderClaimable(
                                h.balance(), perToken, h.rentPerTokenPaid(), h.owed()));
        poolAsHolder.put(token, settled);
        return settled;
    }

    private void putPosition(String id, String account, PositionState p) {
        positions.put(key(id, account), p);
    }

    private static String hex(byte[] id) {
        return Numeric.toHexString(id).toLowerCase(Locale.ROOT);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
