package io.freehold.contracts.math;

import io.freehold.types.Uint256;
import java.math.BigInteger;

/**
 * The pool's fixed-point helpers ({@code MathLib.sol}) with their exact Solidity semantics.
 *
 * <p>Products go through OpenZeppelin's 512-bit {@code Math.mulDiv}, so no intermediate overflows;
 * only a result above 2^256 - 1 ({@code Panic(0x11)}) or a zero divisor ({@code Panic(0x12)})
 * reverts, and both throw {@link SolidityPanic} here. {@link #wTaylorCompounded} uses Solidity's
 * checked {@code *} and {@code +}, which do overflow in 256 bits, and mirrors that too.
 */
public final class FixedPoint {

    /** 1e18: LTVs, health factors, incentives, rates and utilization. */
    public static final BigInteger WAD = BigInteger.TEN.pow(18);

    /** 1e36: oracle prices, loan-token base units per collateral base unit. */
    public static final BigInteger PRICE_SCALE = BigInteger.TEN.pow(36);

    /** 1e36: rent accumulators, rent-token base units per token base unit. */
    public static final BigInteger RENT_SCALE = BigInteger.TEN.pow(36);

    private static final BigInteger TWO_WAD = WAD.shiftLeft(1);
    private static final BigInteger THREE_WAD = WAD.multiply(BigInteger.valueOf(3));

    private FixedPoint() {}

    /** floor(x × y / d), as {@code Math.mulDiv(x, y, d)}. */
    public static BigInteger mulDivDown(BigInteger x, BigInteger y, BigInteger d) {
        Uint256.check(x, "x");
        Uint256.check(y, "y");
        Uint256.check(d, "d");
        if (d.signum() == 0) {
            throw new SolidityPanic(
                    SolidityPanic.DIVISION_BY_ZERO, "mulDiv by zero: " + x + " × " + y + " / 0");
        }
        BigInteger result = x.multiply(y).divide(d);
        if (result.bitLength() > 256) {
            throw new SolidityPanic(
                    SolidityPanic.UNDER_OVERFLOW,
                    "mulDiv result above 2^256 - 1: " + x + " × " + y + " / " + d);
        }
        return result;
    }

    /**
     * ceil(x × y / d), as {@code Math.mulDiv(x, y, d, Math.Rounding.Ceil)}: the floor plus one when
     * there is a remainder, a checked addition that reverts when the floor is already 2^256 - 1.
     */
    public static BigInteger mulDivUp(BigInteger x, BigInteger y, BigInteger d) {
        BigInteger down = mulDivDown(x, y, d);
        if (x.multiply(y).mod(d).signum() == 0) {
            return down;
        }
        return UintMath.add(down, BigInteger.ONE, "mulDiv rounding up");
    }

    /** floor(x × y / 1e18). */
    public static BigInteger wMulDown(BigInteger x, BigInteger y) {
        return mulDivDown(x, y, WAD);
    }

    /** floor(x × 1e18 / y). */
    public static BigInteger wDivDown(BigInteger x, BigInteger y) {
        return mulDivDown(x, WAD, y);
    }

    /** ceil(x × 1e18 / y). */
    public static BigInteger wDivUp(BigInteger x, BigInteger y) {
        return mulDivUp(x, WAD, y);
    }

    /**
     * e^(rate × n) − 1 in WAD by three Taylor terms, each rounded down: with x = rate × n, x +
     * floor(x² / 2e18) + floor(floor(x² / 2e18) × x / 3e18). Slightly under continuous compounding.
     *
     * @param rate a per-second rate in WAD
     * @param n seconds
     * @throws SolidityPanic when {@code rate × n} or the sum of the terms overflows, as on chain
     */
    public static BigInteger wTaylorCompounded(BigInteger rate, BigInteger n) {
        Uint256.check(rate, "rate");
        Uint256.check(n, "n");
        BigInteger firstTerm = UintMath.mul(rate, n, "wTaylorCompounded: rate * n");
        BigInteger secondTerm = mulDivDown(firstTerm, firstTerm, TWO_WAD);
        BigInteger thirdTerm = mulDivDown(secondTerm, firstTerm, THREE_WAD);
        return UintMath.add(
                UintMath.add(firstTerm, secondTerm, "wTaylorCompounded: sum of terms"),
                thirdTerm,
                "wTaylorCompounded: sum of terms");
    }

    /** max(x − y, 0). */
    public static BigInteger zeroFloorSub(BigInteger x, BigInteger y) {
        Uint256.check(x, "x");
        Uint256.check(y, "y");
        return x.compareTo(y) > 0 ? x.subtract(y) : BigInteger.ZERO;
    }

    /** min(x, y). */
    public static BigInteger min(BigInteger x, BigInteger y) {
        Uint256.check(x, "x");
        Uint256.check(y, "y");
        return x.min(y);
    }
}
