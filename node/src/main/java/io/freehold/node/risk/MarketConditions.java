package io.freehold.node.risk;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * What a market's health factors depend on besides the positions themselves: the appraisal and the
 * borrow totals accrued to the moment of valuation. The borrow share price {@code
 * (totalBorrowAssets + 1) / (totalBorrowShares + 1e6)} is the market's common borrow index:
 * interest raises it for every borrower alike.
 *
 * @param price the oracle's price (PRICE_SCALE 1e36), stale or not; 0 when there is none
 * @param totalBorrowAssets loan-token base units, accrued to the moment of valuation
 * @param totalBorrowShares the market's borrow shares
 */
public record MarketConditions(
        BigInteger price, BigInteger totalBorrowAssets, BigInteger totalBorrowShares) {

    public MarketConditions {
        Uint256.check(price, "price");
        Uint256.check(totalBorrowAssets, "totalBorrowAssets");
        Uint256.check(totalBorrowShares, "totalBorrowShares");
    }
}
