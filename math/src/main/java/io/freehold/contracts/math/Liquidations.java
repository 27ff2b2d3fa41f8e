package io.freehold.contracts.math;

import static io.freehold.contracts.math.FixedPoint.PRICE_SCALE;
import static io.freehold.contracts.math.FixedPoint.WAD;
import static io.freehold.contracts.math.LiquidationRevert.HEALTH_WOULD_WORSEN;
import static io.freehold.contracts.math.LiquidationRevert.MUST_NOT_LEAVE_DUST;
import static io.freehold.contracts.math.LiquidationRevert.POSITION_HEALTHY;
import static io.freehold.contracts.math.LiquidationRevert.ZERO_AMOUNT;
import static io.freehold.contracts.math.LiquidationRevert.ZERO_SHARES;

import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Optional;

/**
 * The pool's {@code liquidate}: how much debt is repaid, how much collateral is seized, what is
 * written off, in the contract's order of checks ({@code _sizeLiquidation}, {@code
 * _realizeBadDebt}, {@code _requireSoundRemainder}).
 *
 * <pre>
 *   closeFactor = 100%  if hf ≤ 0.95, or debt &lt; 2 × minLeftoverDebt, or value &lt; ⌈debt × incentive⌉
 *               = 50%   otherwise                          (maxRepay = ⌈debt × 0.5⌉)
 *   repaid = min(requested, maxRepay)
 *   seized = ⌊⌊repaid × incentive / 1e18⌋ × 1e36 / price⌋
 *   if seized &gt; collateral: seized = collateral; repaid = min(repaid, ⌈⌈seized × price / 1e36⌉ × 1e18 / incentive⌉)
 *   if no collateral is left and debt is: the borrower's settled rent (when paid in the loan token) repays
 *     min(rent, debt) (toSharesDown, or every share when it covers the debt), then the rest is bad debt
 * </pre>
 *
 * <p>The caller checks what is not the math's (see {@link LiquidationRevert}): a fresh price, the
 * token not paused, a receiver verified and not frozen in the property token, the liquidator's
 * balance and allowance.
 */
public final class Liquidations {

    /** Health factor at or below which a liquidation may close the whole debt: 0.95 (WAD). */
    public static final BigInteger CLOSE_FACTOR_HF_THRESHOLD = new BigInteger("950000000000000000");

    /** Share of the debt a liquidation may close above that threshold: 0.5 (WAD). */
    public static final BigInteger DEFAULT_CLOSE_FACTOR = new BigInteger("500000000000000000");

    private static final BigInteger TWO = BigInteger.TWO;

    private Liquidations() {}

    /**
     * Previews {@code liquidate(id, borrower, requestedRepayAssets, receiver)} without rent: exact
     * except the borrower's {@code rentIndexPaid} and {@code rentAccrued}, left as they were.
     *
     * @param accruedMarket the market accrued to the liquidation's block timestamp ({@link
     *     MarketState#accrueTo}); the liquidation accrues first, so this is exact
     * @param price the oracle's (fresh) price, PRICE_SCALE
     * @param requestedRepayAssets the most the liquidator will repay; {@link Uint256#MAX} for the
     *     most allowed
     */
    public static LiquidationPreview preview(
            MarketTerms terms,
            MarketState accruedMarket,
            PositionState position,
            BigInteger price,
            BigInteger requestedRepayAssets) {
        return preview(
                terms, accruedMarket, position, price, requestedRepayAssets, Optional.empty());
    }

    /**
     * As {@link #preview(MarketTerms, MarketState, PositionState, BigInteger, BigInteger)},
     * settling rent exactly, for a property whose rent is paid in the market's loan token (then a
     * defaulted borrower's rent repays debt before any write-off).
     */
    public static LiquidationPreview preview(
            MarketTerms terms,
            MarketState accruedMarket,
            PositionState position,
            BigInteger price,
            BigInteger requestedRepayAssets,
            PoolRent rent) {
        return preview(
                terms,
                accruedMarket,
                position,
                price,
                requestedRepayAssets,
                Optional.of(rent),
                true);
    }

    /**
     * As the overload with {@link PoolRent}; {@code rentInLoanToken} says whether the property's
     * rent token is the market's loan token (only then does the pool apply rent to debt before
     * writing it off).
     */
    public static LiquidationPreview preview(
            MarketTerms terms,
            MarketState accruedMarket,
            PositionState position,
            BigInteger price,
            BigInteger requestedRepayAssets,
            PoolRent rent,
            boolean rentInLoanToken) {
        return preview(
                terms,
                accruedMarket,
                position,
                price,
                requestedRepayAssets,
                Optional.of(rent),
                rentInLoanToken);
    }

    private static LiquidationPreview preview(
            MarketTerms terms,
            MarketState market,
            PositionState position,
            BigInteger price,
            BigInteger requested,
            Optional<PoolRent> rent) {
        // Without the pool's rent the settled rent is unknown: the position's stored rentAccrued is
        // used.
        return preview(terms, market, position, price, requested, rent, true);
    }

    private static LiquidationPreview preview(
            MarketTerms terms,
            MarketState market,
            PositionState position,
            BigInteger price,
            BigInteger requested,
            Optional<PoolRent> rent,
            boolean rentInLoanToken) {
        if (Uint256.check(requested, "requestedRepayAssets").signum() == 0) {
            return LiquidationPreview.reverted(Revert.of(ZERO_AMOUNT), market, position, rent);
        }
        Uint256.check(price, "price");
        BigInteger debt = Valuation.debt(market, position);
        BigInteger value = Risk.collateralValue(position.collateral(), price);
        BigInteger healthFactor = Risk.healthFactor(value, terms.lltv(), debt);
        if (healthFactor.compareTo(WAD) >= 0) {
            return LiquidationPreview.reverted(
                    Revert.of(POSITION_HEALTHY, healthFactor), market, position, rent);
        }

        // _sizeLiquidation
        boolean fullClose =
                healthFactor.compareTo(CLOSE_FACTOR_HF_THRESHOLD) <= 0
                        || debt.compareTo(
                                        UintMath.mul(
                                                TWO,
                                                terms.minLeftoverDebt(),
                                                "2 * minLeftoverDebt"))
                                < 0
                        || value.compareTo(
                                        FixedPoint.mulDivUp(
                                                debt, terms.liquidationIncentive(), WAD))
                                < 0;
        BigInteger maxRepay =
                fullClose ? debt : FixedPoint.mulDivUp(debt, DEFAULT_CLOSE_FACTOR, WAD);
        BigInteger repaid = requested.min(maxRepay);
        BigInteger seized =
                FixedPoint.mulDivDown(
                        FixedPoint.wMulDown(repaid, terms.liquidationIncentive()),
                        PRICE_SCALE,
                        price);
        if (seized.compareTo(position.collateral()) > 0) {
            seized = position.collateral();
            BigInteger fairRepay =
                    FixedPoint.wDivUp(
                            FixedPoint.mulDivUp(seized, price, PRICE_SCALE),
                            terms.liquidationIncentive());
            repaid = repaid.min(fairRepay);
        }
        BigInteger repaidShares;
        if (repaid.compareTo(debt) >= 0) {
            repaid = debt;
            repaidShares = position.borrowShares();
        } else {
            repaidShares =
                    Shares.toSharesDown(
                            repaid, market.totalBorrowAssets(), market.totalBorrowShares());
            if (repaidShares.signum() == 0) {
                return LiquidationPreview.reverted(Revert.of(ZERO_SHARES), market, position, rent);
            }
        }

        PositionState p =
                position.withBorrowShares(
                        UintMath.sub(
                                position.borrowShares(),
                                repaidShares,
                                "borrowShares - repaidShares"));
        MarketState m =
                market.withBorrow(
                        FixedPoint.zeroFloorSub(market.totalBorrowAssets(), repaid),
                        UintMath.sub(
                                market.totalBorrowShares(),
                                repaidShares,
                                "totalBorrowShares - repaidShares"));

        BigInteger rentPulled = BigInteger.ZERO;
        Optional<PoolRent> rentAfter = rent;
        if (rent.isPresent()) {
            Rent.Pull pull = Rent.pull(rent.get());
            p = Rent.settle(p, pull.rent().index());
            rentPulled = pull.amount();
            BigInteger total =
                    UintMath.sub(
                            pull.rent().totalCollateral(), seized, "totalCollateralOf - seized");
            rentAfter = Optional.of(pull.rent().withTotalCollateral(total));
        }
        p = p.withCollateral(UintMath.sub(p.collateral(), seized, "collateral - seized"));
        m = m.withCollateral(UintMath.sub(m.totalCollateral(), seized, "totalCollateral - seized"));

        BigInteger badDebtAssets = BigInteger.ZERO;
        BigInteger badDebtShares = BigInteger.ZERO;
        BigInteger rentRepaidAssets = BigInteger.ZERO;
        BigInteger rentRepaidShares = BigInteger.ZERO;
        if (p.borrowShares().signum() != 0
                && p.collateral().signum() == 0
                && rentInLoanToken
                && p.rentAccrued().signum() != 0) {
            // _applyRentToDebt: the borrower's own rent pays before lenders lose anything.
            BigInteger owed = Valuation.debt(m, p);
            BigInteger assets = p.rentAccrued().min(owed);
            BigInteger shares =
                    assets.equals(owed)
                            ? p.borrowShares()
                            : Shares.toSharesDown(
                                    assets, m.totalBorrowAssets(), m.totalBorrowShares());
            if (shares.signum() != 0) {
                rentRepaidAssets = assets;
                rentRepaidShares = shares;
                p =
                        p.withRent(p.rentIndexPaid(), p.rentAccrued().subtract(assets))
                                .withBorrowShares(p.borrowShares().subtract(shares));
                m =
                        m.withBorrow(
                                FixedPoint.zeroFloorSub(m.totalBorrowAssets(), assets),
                                UintMath.sub(
                                        m.totalBorrowShares(),
                                        shares,
                                        "totalBorrowShares - rent shares"));
            }
        }
        if (p.borrowShares().signum() != 0) {
            if (p.collateral().signum() == 0) {
                // _realizeBadDebt: written off against lenders at once.
                badDebtShares = p.borrowShares();
                badDebtAssets =
                        Shares.toAssetsUp(
                                        badDebtShares, m.totalBorrowAssets(), m.totalBorrowShares())
                                .min(m.totalBorrowAssets());
                p = p.withBorrowShares(BigInteger.ZERO);
                m =
                        m.withBorrow(
                                        m.totalBorrowAssets().subtract(badDebtAssets),
                                        UintMath.sub(
                                                m.totalBorrowShares(),
                                                badDebtShares,
                                                "totalBorrowShares - badDebtShares"))
                                .withSupply(
                                        FixedPoint.zeroFloorSub(
                                                m.totalSupplyAssets(), badDebtAssets),
                                        m.totalSupplyShares());
            } else {
                // _requireSoundRemainder
                BigInteger remainingDebt = Valuation.debt(m, p);
                BigInteger remainingValue = Risk.collateralValue(p.collateral(), price);
                if (remainingDebt.compareTo(terms.minLeftoverDebt()) < 0
                        || remainingValue.compareTo(terms.minLeftoverDebt()) < 0) {
                    return LiquidationPreview.reverted(
                            Revert.of(MUST_NOT_LEAVE_DUST, remainingDebt, remainingValue),
                            market,
                            position,
                            rent);
                }
                BigInteger healthAfter =
                        Risk.healthFactor(remainingValue, terms.lltv(), remainingDebt);
                if (healthAfter.compareTo(healthFactor) < 0) {
                    return LiquidationPreview.reverted(
                            Revert.of(HEALTH_WOULD_WORSEN, healthFactor, healthAfter),
                            market,
                            position,
                            rent);
                }
            }
        }
        return new LiquidationPreview(
                Optional.empty(),
                repaid,
                repaidShares,
                seized,
                badDebtAssets,
                badDebtShares,
                m,
                p,
                rentAfter,
                rentPulled,
                rentRepaidAssets,
                rentRepaidShares);
    }
}
