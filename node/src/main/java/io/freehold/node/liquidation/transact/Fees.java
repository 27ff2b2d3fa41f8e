package io.freehold.node.liquidation.transact;

import java.math.BigInteger;
import java.util.Objects;

/**
 * EIP-1559 fees of one transaction, in wei per gas.
 *
 * @param baseFeePerGas the base fee of the block the fees were chosen against (for the record and
 *     the expected price; not part of the transaction)
 * @param maxPriorityFeePerGas the tip offered to the block producer
 * @param maxFeePerGas the most paid per gas, base fee included
 */
public record Fees(
        BigInteger baseFeePerGas, BigInteger maxPriorityFeePerGas, BigInteger maxFeePerGas) {

    public Fees {
        Objects.requireNonNull(baseFeePerGas, "baseFeePerGas");
        Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
        Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
        if (baseFeePerGas.signum() < 0 || maxPriorityFeePerGas.signum() < 0) {
            throw new IllegalArgumentException(
                    "fees must not be negative: " + baseFeePerGas + ", " + maxPriorityFeePerGas);
        }
        if (maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
            throw new IllegalArgumentException(
                    "tip " + maxPriorityFeePerGas + " above max fee " + maxFeePerGas);
        }
    }

    /**
     * What one gas is expected to cost if mined in the next block: min(max fee, base fee + tip).
     */
    public BigInteger expectedPricePerGas() {
        return maxFeePerGas.min(baseFeePerGas.add(maxPriorityFeePerGas));
    }

    @Override
    public String toString() {
        return "max "
                + maxFeePerGas
                + " wei/gas, tip "
                + maxPriorityFeePerGas
                + " (base "
                + baseFeePerGas
                + ")";
    }
}
