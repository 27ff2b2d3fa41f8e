package io.freehold.node.liquidation.transact;

import io.freehold.contracts.bindings.Eip1559;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorRpc;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * EIP-1559 fees from the current base fee.
 *
 * <p>A new transaction offers the configured tip (or the endpoint's {@code
 * eth_maxPriorityFeePerGas}) and a max fee of twice the latest base fee plus the tip: the base fee
 * can rise 12.5% per full block, so twice today's survives about six full blocks in a row before
 * the transaction stops being includable. Nothing ever offers more than {@code
 * max-fee-per-gas-cap}.
 *
 * <p>A replacement raises both the tip and the max fee by at least {@code fee-bump-percent}
 * (rounded up; nodes refuse a replacement that raises either by less), and keeps the max fee at
 * least twice the base fee now plus the new tip. When the cap leaves no room for a full bump there
 * is no replacement: the transaction waits at the fees it has.
 */
public final class FeeEstimator {

    /** What the tip falls back to when the endpoint cannot suggest one: 1 gwei. */
    static final BigInteger DEFAULT_TIP = BigInteger.valueOf(1_000_000_000L);

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final LiquidatorConfiguration config;
    private final LiquidatorRpc rpc;

    public FeeEstimator(LiquidatorConfiguration config, LiquidatorRpc rpc) {
        this.config = config;
        this.rpc = rpc;
    }

    /** Fees for a new transaction priced against {@code baseFee}, the latest block's. */
    public Fees initial(BigInteger baseFee) {
        BigInteger tip =
                config.priorityFeePerGas() != null
                        ? config.priorityFeePerGas()
                        : rpc.maxPriorityFeePerGas().orElse(DEFAULT_TIP);
        BigInteger cap = config.maxFeePerGasCap();
        tip = tip.min(cap);
        BigInteger max = Eip1559.maxFeePerGas(baseFee, tip).min(cap);
        return new Fees(baseFee, tip, max);
    }

    /**
     * Whether {@code fees} can be mined at their base fee: the cap did not cut the max fee below
     * base plus tip.
     */
    public static boolean includable(Fees fees) {
        return fees.maxFeePerGas().compareTo(fees.baseFeePerGas().add(fees.maxPriorityFeePerGas()))
                >= 0;
    }

    /**
     * The fees of a replacement for a transaction sent with {@code previous}, priced against {@code
     * baseFeeNow}; empty when the cap does not allow a full bump of both fees.
     */
    Optional<Fees> bump(Fees previous, BigInteger baseFeeNow) {
        BigInteger cap = config.maxFeePerGasCap();
        BigInteger tip = raise(previous.maxPriorityFeePerGas());
        BigInteger minimumMax = raise(previous.maxFeePerGas());
        BigInteger max = minimumMax.max(Eip1559.maxFeePerGas(baseFeeNow, tip)).min(cap);
        if (max.compareTo(minimumMax) < 0 || tip.compareTo(max) > 0) {
            return Optional.empty();
        }
        return Optional.of(new Fees(baseFeeNow, tip, max));
    }

    /** {@code value × (100 + bump) / 100}, rounded up. */
    private BigInteger raise(BigInteger value) {
        return new BigDecimal(value)
                .multiply(HUNDRED.add(config.feeBumpPercent()))
                .divide(HUNDRED, 0, RoundingMode.CEILING)
                .toBigIntegerExact();
    }
}
