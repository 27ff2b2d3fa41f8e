package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * Values positions as the pool's {@code position(id, account)} view does.
 *
 * <p>The market must be accrued to the moment of the valuation ({@link MarketState#accrueTo}); the
 * view accrues to its block's timestamp. The price is the oracle's latest, stale or not.
 */
public final class Valuation {

    private Valuation() {}

    /**
     * The position's fields as the {@code position(id, account)} view returns them at this price.
     */
    public static PositionValuation of(
            MarketTerms terms,
            MarketState accruedMarket,
            PositionState position,
            BigInteger price) {
        Uint256.check(price, "price");
        BigInteger supplyAssets = supplyAssets(accruedMarket, position);
        BigInteger debt = debt(accruedMarket, position);
        BigInteger value = Risk.collateralValue(position.collateral(), price);
        return new PositionValuation(
                position.supplyShares(),
                supplyAssets,
                position.borrowShares(),
                debt,
                position.collateral(),
                value,
                Risk.ltv(debt, value),
                Risk.healthFactor(value, terms.lltv(), debt),
                Risk.liquidationPrice(debt, position.collateral(), terms.lltv()),
                maxBorrowable(terms, accruedMarket, position, value, debt),
                price,
                Risk.isLiquidatable(debt, value, terms.lltv()));
    }

    /** What the position owes: its borrow shares in assets, rounded up. */
    public static BigInteger debt(MarketState market, PositionState position) {
        return Shares.toAssetsUp(
                position.borrowShares(), market.totalBorrowAssets(), market.totalBorrowShares());
    }

    /** What the lender's shares are worth: in assets, rounded down. */
    public static BigInteger supplyAssets(MarketState market, PositionState position) {
        return Shares.toAssetsDown(
                position.supplyShares(), market.totalSupplyAssets(), market.totalSupplyShares());
    }

    /**
     * The largest amount {@code borrow} accepts under maxLtv, ignoring liquidity and caps (the
     * contract's {@code _maxBorrowable}): the headroom maxDebt(value, maxLtv) − debt, unless
     * borrowing it would round the new debt one unit over; then one less. The contract simulates
     * the borrow to decide, and so does this.
     */
    static BigInteger maxBorrowable(
            MarketTerms terms,
            MarketState market,
            PositionState position,
            BigInteger value,
            BigInteger debt) {
        BigInteger allowed = Risk.maxDebt(value, terms.maxLtv());
        if (allowed.compareTo(debt) <= 0) {
            return BigInteger.ZERO;
        }
        BigInteger headroom = allowed.subtract(debt);
        BigInteger shares =
                Shares.toSharesUp(headroom, market.totalBorrowAssets(), market.totalBorrowShares());
        BigInteger debtAfter =
                Shares.toAssetsUp(
                        UintMath.add(position.borrowShares(), shares, "borrowShares + shares"),
                        UintMath.add(
                                market.totalBorrowAssets(),
                                headroom,
                                "totalBorrowAssets + headroom"),
                        UintMath.add(
                                market.totalBorrowShares(), shares, "totalBorrowShares + shares"));
        return debtAfter.compareTo(allowed) <= 0 ? headroom : headroom.subtract(BigInteger.ONE);
    }
}
