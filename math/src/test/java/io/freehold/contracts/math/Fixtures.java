package io.freehold.contracts.math;

import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * The market of the Foundry unit tests' PoolFixture, for hand-computed cases: LLTV 75%, max LTV
 * 65%, 2% / 6% / 80% with the kink at 80%, incentive maxLiquidationIncentive(0.75) =
 * 1.081081081081081081, minLeftoverDebt 10 mUSD (6 decimals), no caps. Collateral has 18 decimals.
 */
final class Fixtures {

    static final BigInteger WAD = FixedPoint.WAD;
    static final BigInteger INCENTIVE = new BigInteger("1081081081081081081");
    static final BigInteger MAX = Uint256.MAX;

    /** 1,000,000 mUSD supplied. */
    static final BigInteger LIQUIDITY = usd(1_000_000);

    static final long T0 = 1_767_225_600L;

    private Fixtures() {}

    static MarketTerms terms() {
        return terms(BigInteger.ZERO, BigInteger.ZERO);
    }

    static MarketTerms terms(BigInteger supplyCap, BigInteger borrowCap) {
        return new MarketTerms(
                Address.of("0x00000000000000000000000000000000000000C0"),
                Address.of("0x00000000000000000000000000000000000000a1"),
                Address.of("0x00000000000000000000000000000000000000b2"),
                wad("0.75"),
                wad("0.65"),
                INCENTIVE,
                wad("0.02"),
                wad("0.06"),
                wad("0.80"),
                wad("0.80"),
                supplyCap,
                borrowCap,
                usd(10));
    }

    /**
     * A market where {@code liquidity} was supplied and {@code debt} borrowed in the same second,
     * so shares are exactly 1e6 per asset: supply shares liquidity × 1e6, borrow shares debt × 1e6.
     */
    static MarketState market(BigInteger liquidity, BigInteger debt, BigInteger collateral) {
        return new MarketState(
                liquidity,
                liquidity.multiply(Shares.VIRTUAL_SHARES),
                debt,
                debt.multiply(Shares.VIRTUAL_SHARES),
                collateral,
                T0);
    }

    /** The borrower of {@link #market}: all of its debt and {@code collateral}. */
    static PositionState borrower(BigInteger debt, BigInteger collateral) {
        return new PositionState(
                BigInteger.ZERO,
                debt.multiply(Shares.VIRTUAL_SHARES),
                collateral,
                BigInteger.ZERO,
                BigInteger.ZERO);
    }

    /**
     * The price at which {@code collateral} base units are worth exactly {@code value} loan-token
     * base units.
     */
    static BigInteger priceFor(BigInteger value, BigInteger collateral) {
        return value.multiply(FixedPoint.PRICE_SCALE).divide(collateral);
    }

    /**
     * US dollars per whole token to PRICE_SCALE units (6-decimal loan token, 18-decimal
     * collateral).
     */
    static BigInteger dollarsPerToken(long dollars) {
        return usd(dollars).multiply(FixedPoint.PRICE_SCALE).divide(tokens(1));
    }

    static BigInteger usd(long whole) {
        return BigInteger.valueOf(whole).multiply(BigInteger.TEN.pow(6));
    }

    static BigInteger tokens(long whole) {
        return BigInteger.valueOf(whole).multiply(BigInteger.TEN.pow(18));
    }

    static BigInteger wad(String decimal) {
        return new java.math.BigDecimal(decimal)
                .multiply(new java.math.BigDecimal(WAD))
                .toBigIntegerExact();
    }

    static BigInteger n(String digits) {
        return new BigInteger(digits.replace("_", ""));
    }
}
