package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * Conversions between assets and shares ({@code SharesLib.sol}), with Morpho Blue's virtual shares
 * and assets: every market behaves as if 1e6 shares backed by 1 asset were there from the start.
 *
 * <pre>
 *   shares = assets × (totalShares + 1e6) / (totalAssets + 1)
 *   assets = shares × (totalAssets + 1) / (totalShares + 1e6)
 * </pre>
 *
 * The caller picks the rounding, always towards the protocol: supply shares and withdrawn assets
 * down, borrow shares, debt and shares burned on a withdrawal up. The two additions are Solidity's
 * checked {@code +}.
 */
public final class Shares {

    /** 1e6 shares that exist in every market from the start. */
    public static final BigInteger VIRTUAL_SHARES = BigInteger.TEN.pow(6);

    /** 1 base unit of assets that backs them. */
    public static final BigInteger VIRTUAL_ASSETS = BigInteger.ONE;

    private Shares() {}

    /** Shares worth {@code assets}, rounded down (supply, a partial repay, a liquidation). */
    public static BigInteger toSharesDown(
            BigInteger assets, BigInteger totalAssets, BigInteger totalShares) {
        return FixedPoint.mulDivDown(
                assets, virtualShares(totalShares), virtualAssets(totalAssets));
    }

    /** Shares worth {@code assets}, rounded up (borrow, withdraw). */
    public static BigInteger toSharesUp(
            BigInteger assets, BigInteger totalAssets, BigInteger totalShares) {
        return FixedPoint.mulDivUp(assets, virtualShares(totalShares), virtualAssets(totalAssets));
    }

    /** Assets {@code shares} are worth, rounded down (a lender's supply, withdraw all). */
    public static BigInteger toAssetsDown(
            BigInteger shares, BigInteger totalAssets, BigInteger totalShares) {
        return FixedPoint.mulDivDown(
                shares, virtualAssets(totalAssets), virtualShares(totalShares));
    }

    /** Assets {@code shares} are worth, rounded up (a borrower's debt). */
    public static BigInteger toAssetsUp(
            BigInteger shares, BigInteger totalAssets, BigInteger totalShares) {
        return FixedPoint.mulDivUp(shares, virtualAssets(totalAssets), virtualShares(totalShares));
    }

    private static BigInteger virtualShares(BigInteger totalShares) {
        return UintMath.add(
                Uint256.check(totalShares, "totalShares"),
                VIRTUAL_SHARES,
                "totalShares + VIRTUAL_SHARES");
    }

    private static BigInteger virtualAssets(BigInteger totalAssets) {
        return UintMath.add(
                Uint256.check(totalAssets, "totalAssets"),
                VIRTUAL_ASSETS,
                "totalAssets + VIRTUAL_ASSETS");
    }
}
