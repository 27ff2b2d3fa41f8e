package io.freehold.contracts.math;

import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.Objects;

/**
 * How a market liquidates, fixed at its creation: the pool's {@code LiquidationTerms}, from its
 * {@code LiquidationTermsSet} event or {@code liquidationTerms(id)} view. Markets made by {@code
 * createMarket} have {@link #FIXED}: the fixed incentive and no cure window.
 *
 * @param auction the {@code DutchAuction} that sells the market's collateral; {@link Address#ZERO}
 *     for the fixed incentive ({@code liquidate})
 * @param cureWindowSeconds how long a flagged position is left to its borrower; 0 for none
 * @param hardFloorHealth WAD: under this health factor the window does not apply (0 without one)
 */
public record LiquidationTerms(
        Address auction, long cureWindowSeconds, BigInteger hardFloorHealth) {

    /** The terms of every {@code createMarket} market. */
    public static final LiquidationTerms FIXED =
            new LiquidationTerms(Address.ZERO, 0, BigInteger.ZERO);

    public LiquidationTerms {
        Objects.requireNonNull(auction, "auction");
        if (cureWindowSeconds < 0) {
            throw new IllegalArgumentException(
                    "cureWindowSeconds is negative: " + cureWindowSeconds);
        }
        Uint256.check(hardFloorHealth, "hardFloorHealth");
    }

    /** Whether the market sells collateral by auction ({@code liquidate} is closed). */
    public boolean isAuction() {
        return !auction.equals(Address.ZERO);
    }

    /** Whether the market has a cure window. */
    public boolean hasCureWindow() {
        return cureWindowSeconds != 0;
    }
}
