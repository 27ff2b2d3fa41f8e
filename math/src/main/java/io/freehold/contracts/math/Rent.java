package io.freehold.contracts.math;

import static io.freehold.contracts.math.FixedPoint.RENT_SCALE;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * Rent on locked collateral: the pool's {@code _pullRent}, {@code _settleRent} and {@code
 * _claimableRent}, and the property token's per-holder accrual they build on.
 *
 * <p>The pool is a holder of every property token it locks. Before every collateral change (and on
 * {@code claimRent}, {@code repayWithRent}, {@code liquidate}) it claims the rent the token owes it
 * and spreads it over the collateral it holds: {@code index += amount × 1e36 / totalCollateral}
 * (down). A position then settles {@code rentAccrued += collateral × (index − rentIndexPaid) /
 * 1e36} (down). Amounts are rent-token base units; indexes are × 1e36.
 */
public final class Rent {

    private Rent() {}

    /**
     * The result of a pull.
     *
     * @param rent the pool's bookkeeping after it
     * @param amount rent-token base units claimed from the token; {@code RentPulled} is emitted
     *     when above 0
     */
    public record Pull(PoolRent rent, BigInteger amount) {

        /** Whether the pool emits {@code RentPulled(token, amount, index)}. */
        public boolean emitsEvent() {
            return amount.signum() > 0;
        }
    }

    /**
     * The pool's {@code _pullRent}: nothing while no collateral is locked or nothing is owed;
     * otherwise the token pays {@code pending} and the index grows by pending × 1e36 /
     * totalCollateral (down).
     */
    public static Pull pull(PoolRent rent) {
        if (rent.totalCollateral().signum() == 0 || rent.pending().signum() == 0) {
            return new Pull(rent, BigInteger.ZERO);
        }
        BigInteger amount = rent.pending();
        BigInteger index =
                UintMath.add(
                        rent.index(),
                        FixedPoint.mulDivDown(amount, RENT_SCALE, rent.totalCollateral()),
                        "rentIndex + amount * RENT_SCALE / total");
        return new Pull(new PoolRent(index, rent.totalCollateral(), BigInteger.ZERO), amount);
    }

    /**
     * The pool's {@code _settleRent} at {@code index}: credits collateral × (index − rentIndexPaid)
     * / 1e36 (down) and records the index as paid.
     */
    public static PositionState settle(PositionState position, BigInteger index) {
        Uint256.check(index, "index");
        BigInteger growth = UintMath.sub(index, position.rentIndexPaid(), "index - rentIndexPaid");
        BigInteger accrued =
                UintMath.add(
                        position.rentAccrued(),
                        FixedPoint.mulDivDown(position.collateral(), growth, RENT_SCALE),
                        "rentAccrued + settled rent");
        return position.withRent(index, accrued);
    }

    /**
     * What {@code claimRent} would pay the position now, as the {@code claimableRent} field of the
     * {@code position} view: the settled rent plus its part of the next pull at the current
     * collateral.
     */
    public static BigInteger claimable(PoolRent rent, PositionState position) {
        BigInteger index = rent.index();
        if (rent.totalCollateral().signum() != 0) {
            index =
                    UintMath.add(
                            index,
                            FixedPoint.mulDivDown(
                                    rent.pending(), RENT_SCALE, rent.totalCollateral()),
                            "rentIndex + pending * RENT_SCALE / total");
        }
        BigInteger growth = UintMath.sub(index, position.rentIndexPaid(), "index - rentIndexPaid");
        return UintMath.add(
                position.rentAccrued(),
                FixedPoint.mulDivDown(position.collateral(), growth, RENT_SCALE),
                "rentAccrued + pending rent");
    }

    /**
     * The property token's {@code claimableRent(holder)}: owed + balance × (rentPerToken − paid) /
     * 1e36 (down). For the pool as holder, its balance is the collateral it holds.
     *
     * @param rentPerToken the token's accumulator (× 1e36)
     * @param rentPerTokenPaid the accumulator when the holder last settled (a balance change or a
     *     claim)
     * @param owed rent settled to the holder and not yet claimed
     */
    public static BigInteger holderClaimable(
            BigInteger balance,
            BigInteger rentPerToken,
            BigInteger rentPerTokenPaid,
            BigInteger owed) {
        Uint256.check(owed, "owed");
        BigInteger growth =
                UintMath.sub(
                        Uint256.check(rentPerToken, "rentPerToken"),
                        Uint256.check(rentPerTokenPaid, "rentPerTokenPaid"),
                        "rentPerToken - paid");
        return UintMath.add(
                owed, FixedPoint.mulDivDown(balance, growth, RENT_SCALE), "owed + pending rent");
    }

    /**
     * The token's accumulator after {@code depositRent(amount)}: rentPerToken + amount × 1e36 /
     * supply (down).
     */
    public static BigInteger rentPerTokenAfterDeposit(
            BigInteger rentPerToken, BigInteger amount, BigInteger supply) {
        Uint256.check(rentPerToken, "rentPerToken");
        return UintMath.add(
                rentPerToken,
                FixedPoint.mulDivDown(amount, RENT_SCALE, supply),
                "rentPerToken + amount * RENT_SCALE / supply");
    }
}
