package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Optional;

/**
 * What a liquidation would do ({@link Liquidations#preview}): the numbers of its {@code Liquidate}
 * event and the state after it, or why it would revert.
 *
 * <p>A reverted liquidation changes nothing: when {@link #revert()} is present the amounts are zero
 * and {@code market}, {@code position} and {@code rent} are the inputs.
 *
 * @param revert the contract's custom error, if the liquidation would revert
 * @param repaidAssets loan-token base units the liquidator pays
 * @param repaidShares borrow shares burned for them
 * @param seizedCollateral collateral-token base units sent to the receiver
 * @param badDebtAssets debt written off against lenders when no collateral is left (loan-token base
 *     units)
 * @param badDebtShares borrow shares written off with it
 * @param market the market after the liquidation
 * @param position the borrower's position after it
 * @param rent the pool's rent bookkeeping for the collateral token after it, when it was given
 * @param rentPulled rent the pool claimed from the property token ({@code RentPulled} when above 0)
 * @param rentRepaidAssets the borrower's rent that repaid debt before any write-off (its {@code
 *     RentClaimed} to the pool and {@code Repay} by the pool, when above 0)
 * @param rentRepaidShares borrow shares that rent burned
 */
public record LiquidationPreview(
        Optional<Revert<LiquidationRevert>> revert,
        BigInteger repaidAssets,
        BigInteger repaidShares,
        BigInteger seizedCollateral,
        BigInteger badDebtAssets,
        BigInteger badDebtShares,
        MarketState market,
        PositionState position,
        Optional<PoolRent> rent,
        BigInteger rentPulled,
        BigInteger rentRepaidAssets,
        BigInteger rentRepaidShares) {

    public LiquidationPreview {
        if (revert == null || market == null || position == null || rent == null) {
            throw new IllegalArgumentException(
                    "no component of a preview may be null; use Optional.empty()");
        }
        Uint256.check(repaidAssets, "repaidAssets");
        Uint256.check(repaidShares, "repaidShares");
        Uint256.check(seizedCollateral, "seizedCollateral");
        Uint256.check(badDebtAssets, "badDebtAssets");
        Uint256.check(badDebtShares, "badDebtShares");
        Uint256.check(rentPulled, "rentPulled");
        Uint256.check(rentRepaidAssets, "rentRepaidAssets");
        Uint256.check(rentRepaidShares, "rentRepaidShares");
    }

    static LiquidationPreview reverted(
            Revert<LiquidationRevert> revert,
            MarketState market,
            PositionState position,
            Optional<PoolRent> rent) {
        BigInteger zero = BigInteger.ZERO;
        return new LiquidationPreview(
                Optional.of(revert),
                zero,
                zero,
                zero,
                zero,
                zero,
                market,
                position,
                rent,
                zero,
                zero,
                zero);
    }

    /** Whether the liquidation would revert. */
    public boolean reverts() {
        return revert.isPresent();
    }

    /** The revert's reason, if it would revert. */
    public Optional<LiquidationRevert> revertReason() {
        return revert.map(Revert::reason);
    }
}
