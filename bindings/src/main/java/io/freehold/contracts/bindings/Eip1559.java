package io.freehold.contracts.bindings;

import java.math.BigInteger;

/**
 * The EIP-1559 fee rule every Freehold sender uses (the node's liquidator and the SDK's pool
 * helper).
 */
public final class Eip1559 {

    private Eip1559() {}

    /**
     * The most to pay per gas: twice the base fee plus the tip. The base fee can rise by at most
     * 12.5% a block, so twice today's still covers six full blocks in a row before the transaction
     * is priced out, and what is not used of it is never paid.
     */
    public static BigInteger maxFeePerGas(
            BigInteger baseFeePerGas, BigInteger maxPriorityFeePerGas) {
        return baseFeePerGas.shiftLeft(1).add(maxPriorityFeePerGas);
    }
}
