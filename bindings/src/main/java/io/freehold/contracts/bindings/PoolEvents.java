package io.freehold.contracts.bindings;

import io.freehold.contracts.generated.LendingPool;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;

/**
 * The pool's events that more than one part of the project reads (the node's ingestion and its
 * liquidator, the SDK's receipts), decoded once from the ABI. Amounts in base units, shares in the
 * pool's share units.
 */
public final class PoolEvents {

    private PoolEvents() {}

    /**
     * Assets and shares moved for {@code onBehalf}'s position by a {@code Supply}, {@code
     * Withdraw}, {@code Borrow} or {@code Repay}.
     */
    public record AssetFlow(MarketId id, Address onBehalf, BigInteger assets, BigInteger shares) {}

    /**
     * Collateral locked or unlocked for {@code onBehalf}'s position by a {@code SupplyCollateral}
     * or {@code WithdrawCollateral}.
     */
    public record CollateralFlow(MarketId id, Address onBehalf, BigInteger assets) {}

    /** A {@code RentClaimed}: a position's accrued rent paid to {@code receiver}. */
    public record RentClaim(MarketId id, Address owner, Address receiver, BigInteger amount) {}

    /** A {@code Liquidate}: what the liquidator repaid and seized, and the bad debt written off. */
    public record Liquidation(
            MarketId id,
            Address liquidator,
            Address borrower,
            Address receiver,
            BigInteger repaidAssets,
            BigInteger repaidShares,
            BigInteger seizedCollateral,
            BigInteger badDebtAssets,
            BigInteger badDebtShares) {}

    // Where each parameter stands is the ABI's (contracts/src/interfaces/ILendingPool.sol): the
    // topic and word numbers below count the indexed and the other parameters in declaration
    // order, and EventWords refuses a number whose ABI type is not the one read.

    /** {@code Supply(id, caller, onBehalf, assets, shares)}; caller and onBehalf indexed. */
    public static final AbiEvent<AssetFlow> SUPPLY =
            AbiEvent.of(
                    LendingPool.SUPPLY_EVENT,
                    (w, log) ->
                            new AssetFlow(
                                    w.topicMarketId(0), w.topicAddress(2), w.uint(0), w.uint(1)));

    /** {@code Withdraw(id, caller, onBehalf, receiver, assets, shares)}; caller not indexed. */
    public static final AbiEvent<AssetFlow> WITHDRAW =
            AbiEvent.of(
                    LendingPool.WITHDRAW_EVENT,
                    (w, log) ->
                            new AssetFlow(
                                    w.topicMarketId(0), w.topicAddress(1), w.uint(1), w.uint(2)));

    /** {@code Borrow(id, caller, onBehalf, receiver, assets, shares)}; caller not indexed. */
    public static final AbiEvent<AssetFlow> BORROW =
            AbiEvent.of(
                    LendingPool.BORROW_EVENT,
                    (w, log) ->
                            new AssetFlow(
                                    w.topicMarketId(0), w.topicAddress(1), w.uint(1), w.uint(2)));

    /** {@code Repay(id, caller, onBehalf, assets, shares)}. */
    public static final AbiEvent<AssetFlow> REPAY =
            AbiEvent.of(
                    LendingPool.REPAY_EVENT,
                    (w, log) ->
                            new AssetFlow(
                                    w.topicMarketId(0), w.topicAddress(2), w.uint(0), w.uint(1)));

    /** {@code SupplyCollateral(id, caller, onBehalf, assets)}; caller and onBehalf indexed. */
    public static final AbiEvent<CollateralFlow> SUPPLY_COLLATERAL =
            AbiEvent.of(
                    LendingPool.SUPPLYCOLLATERAL_EVENT,
                    (w, log) ->
                            new CollateralFlow(w.topicMarketId(0), w.topicAddress(2), w.uint(0)));

    /** {@code WithdrawCollateral(id, caller, onBehalf, receiver, assets)}; caller not indexed. */
    public static final AbiEvent<CollateralFlow> WITHDRAW_COLLATERAL =
            AbiEvent.of(
                    LendingPool.WITHDRAWCOLLATERAL_EVENT,
                    (w, log) ->
                            new CollateralFlow(w.topicMarketId(0), w.topicAddress(1), w.uint(1)));

    /** {@code RentClaimed(id, owner, receiver, amount)}; all but the amount indexed. */
    public static final AbiEvent<RentClaim> RENT_CLAIMED =
            AbiEvent.of(
                    LendingPool.RENTCLAIMED_EVENT,
                    (w, log) ->
                            new RentClaim(
                                    w.topicMarketId(0),
                                    w.topicAddress(1),
                                    w.topicAddress(2),
                                    w.uint(0)));

    /**
     * {@code Liquidate(id, liquidator, borrower, receiver, repaidAssets, repaidShares,
     * seizedCollateral, badDebtAssets, badDebtShares)}; receiver and the amounts not indexed.
     */
    public static final AbiEvent<Liquidation> LIQUIDATE =
            AbiEvent.of(
                    LendingPool.LIQUIDATE_EVENT,
                    (w, log) ->
                            new Liquidation(
                                    w.topicMarketId(0),
                                    w.topicAddress(1),
                                    w.topicAddress(2),
                                    w.address(0),
                                    w.uint(1),
                                    w.uint(2),
                                    w.uint(3),
                                    w.uint(4),
                                    w.uint(5)));
}
