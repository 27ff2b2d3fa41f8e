package io.freehold.node.liquidation.decide;

import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.transact.FeeEstimator;
import io.freehold.node.liquidation.transact.Fees;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.utils.Numeric;

/**
 * The gas side of every preflight, whatever the protocol and the kind of call: the first fees under
 * {@code max-fee-per-gas-cap}, {@code eth_estimateGas} of the call within {@code gas-limit}, and
 * the liquidator's native balance enough for the worst case (gas limit × the max fee, what a node
 * that bumps to the cap may spend). Written once so that Freehold's liquidations, its keeper calls
 * and Aave's {@code liquidationCall} refuse alike; pricing the gas in a profit's unit is the
 * protocol's ({@link LiquidationProtocol#gasCost}).
 */
public final class GasCheck {

    private final LiquidatorConfiguration config;
    private final LiquidatorRpc rpc;
    private final FeeEstimator feeEstimator;
    private final Address liquidator;

    /** What a reverting estimate means to the protocol that asked: a skip reason and its words. */
    @FunctionalInterface
    public interface RevertReading {
        Refusal read(long block, LiquidatorRpc.CallResult estimate);
    }

    /** Why the call is not sent, in the attempt's words. */
    public record Refusal(SkipReason reason, String message) {}

    /**
     * A refusal, or the first fees and the estimate to plan with.
     *
     * @param estimate gas units ({@code eth_estimateGas}); zero when refused before it was asked
     */
    public record Outcome(Optional<Refusal> refusal, Fees fees, long estimate) {

        /** The estimate at the expected price per gas, in wei: what the call should cost. */
        public BigInteger expectedWei() {
            return BigInteger.valueOf(estimate).multiply(fees.expectedPricePerGas());
        }
    }

    public GasCheck(
            LiquidatorConfiguration config,
            LiquidatorRpc rpc,
            FeeEstimator feeEstimator,
            Address liquidator) {
        this.config = config;
        this.rpc = rpc;
        this.feeEstimator = feeEstimator;
        this.liquidator = liquidator;
    }

    /**
     * Checks {@code calldata} sent to {@code to} from the liquidator, priced at {@code head}.
     *
     * @param onRevert how the protocol reads a reverting estimate (Freehold decodes its custom
     *     errors into their skip reasons)
     * @throws io.freehold.node.liquidation.LiquidatorRpcException if the chain could not be asked
     */
    public Outcome check(
            LiquidatorRpc.Head head, Address to, String calldata, RevertReading onRevert) {
        long b = head.number();
        Fees fees = feeEstimator.initial(head.baseFeePerGas());
        if (!FeeEstimator.includable(fees)) {
            return refused(
                    SkipReason.FEE_CAP_TOO_LOW,
                    "base fee "
                            + fees.baseFeePerGas()
                            + " plus tip "
                            + fees.maxPriorityFeePerGas()
                            + " wei is above max-fee-per-gas-cap "
                            + config.maxFeePerGasCap(),
                    fees,
                    0);
        }
        LiquidatorRpc.CallResult estimate = rpc.estimateGas(liquidator, to, calldata);
        if (estimate.reverted()) {
            return new Outcome(Optional.of(onRevert.read(b, estimate)), fees, 0);
        }
        long gas = Numeric.decodeQuantity(estimate.returnData()).longValueExact();
        if (gas > config.gasLimit()) {
            return refused(
                    SkipReason.WOULD_REVERT,
                    "the call needs about " + gas + " gas, above gas-limit " + config.gasLimit(),
                    fees,
                    gas);
        }
        BigInteger worstGasCost =
                BigInteger.valueOf(config.gasLimit()).multiply(fees.maxFeePerGas());
        BigInteger gasFunds = rpc.balance(liquidator, b);
        if (gasFunds.compareTo(worstGasCost) < 0) {
            return refused(
                    SkipReason.INSUFFICIENT_GAS_FUNDS,
                    "liquidator "
                            + liquidator
                            + " holds "
                            + gasFunds
                            + " wei, needs "
                            + worstGasCost
                            + " (gas-limit "
                            + config.gasLimit()
                            + " at max fee "
                            + fees.maxFeePerGas()
                            + ")",
                    fees,
                    gas);
        }
        return new Outcome(Optional.empty(), fees, gas);
    }

    private static Outcome refused(SkipReason reason, String message, Fees fees, long gas) {
        return new Outcome(Optional.of(new Refusal(reason, message)), fees, gas);
    }
}
