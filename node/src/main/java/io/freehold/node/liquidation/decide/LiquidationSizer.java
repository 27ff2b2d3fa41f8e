package io.freehold.node.liquidation.decide;

import io.freehold.contracts.math.FixedPoint;
import io.freehold.contracts.math.LiquidationPreview;
import io.freehold.contracts.math.Liquidations;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.PositionState;
import io.freehold.contracts.math.Risk;
import io.freehold.contracts.math.Valuation;
import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * How much to repay, and what that buys, with the pool's own math ({@link Liquidations#preview}) on
 * the chain's state at the preflight block.
 *
 * <p>The transaction asks for {@code type(uint256).max}: the most the close factor allows when it
 * is mined — the whole debt at or below health 0.95 (or for a small or underwater position), half
 * above it. Asking for a fixed amount instead would go wrong with time: interest accrued between
 * the preflight and inclusion would turn "the whole debt" into "all but a few units", which the
 * pool refuses as dust.
 *
 * <p>So the repayment at inclusion may be a little above the preview's. Balance and allowance are
 * checked against the preview's repayment grown by the interest of the next {@link
 * #FUNDS_HORIZON_SECONDS} at the market's current rate: enough for a transaction that waits through
 * several fee bumps.
 */
final class LiquidationSizer {

    /**
     * How long a liquidation may wait to be mined and still be covered by the funds preflight
     * demanded.
     */
    static final long FUNDS_HORIZON_SECONDS = 3_600;

    /**
     * The sizing of one liquidation.
     *
     * @param preview the pool's {@code liquidate} at the preflight block: amounts, or the revert
     * @param requestedRepay what the transaction asks to repay: {@code type(uint256).max}
     * @param requiredFunds loan-token base units the liquidator must hold and have approved
     * @param seizedValue the seized collateral at the appraisal, loan-token base units (rounded
     *     down)
     * @param incentive {@code seizedValue - repaid}: the liquidator's reward before gas (may be
     *     negative only through rounding)
     */
    record Sizing(
            LiquidationPreview preview,
            BigInteger requestedRepay,
            BigInteger requiredFunds,
            BigInteger seizedValue,
            BigInteger incentive) {}

    private LiquidationSizer() {}

    /**
     * @param accruedMarket the market as the {@code market(id)} view returns it at the preflight
     *     block
     * @param position the borrower's stored position at that block
     * @param price the appraisal (PRICE_SCALE); its freshness is preflight's check, not this
     * @param timestamp the preflight block's timestamp, the market's {@code lastUpdate}
     */
    static Sizing size(
            MarketTerms terms,
            MarketState accruedMarket,
            PositionState position,
            BigInteger price,
            long timestamp) {
        LiquidationPreview preview =
                Liquidations.preview(terms, accruedMarket, position, price, Uint256.MAX);
        if (preview.reverts()) {
            return new Sizing(
                    preview, Uint256.MAX, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO);
        }
        BigInteger repaid = preview.repaidAssets();
        BigInteger debtNow = Valuation.debt(accruedMarket, position);
        MarketState later =
                accruedMarket
                        .accrueTo(
                                terms,
                                Math.max(timestamp, accruedMarket.lastUpdate())
                                        + FUNDS_HORIZON_SECONDS)
                        .market();
        BigInteger debtLater = Valuation.debt(later, position);
        // The same share of a debt that grew: rounded up, the liquidator's side.
        BigInteger required =
                debtNow.signum() == 0 ? repaid : FixedPoint.mulDivUp(repaid, debtLater, debtNow);
        BigInteger seizedValue = Risk.collateralValue(preview.seizedCollateral(), price);
        return new Sizing(
                preview, Uint256.MAX, required, seizedValue, seizedValue.subtract(repaid));
    }
}
