package io.freehold.node.liquidation.decide;

import io.freehold.node.liquidation.attempts.AttemptKind;
import io.freehold.node.liquidation.transact.Fees;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;

/**
 * A liquidation that passed preflight: what to send and what it is expected to do. Amounts are base
 * units of the token named (loan token unless said otherwise); expectations are as of {@code
 * block}.
 *
 * @param block the block every preflight read was pinned to
 * @param requestedRepay the repayment asked for in the calldata ({@code type(uint256).max}: the
 *     most allowed)
 * @param repaidAssets the repayment the simulation returned at {@code block}
 * @param seizedCollateral collateral-token base units the simulation seized
 * @param badDebtAssets debt the simulation wrote off against lenders
 * @param price the appraisal used (PRICE_SCALE)
 * @param seizedValue the seized collateral at that appraisal
 * @param requiredFunds balance and allowance preflight demanded (the repayment plus an hour of
 *     interest)
 * @param gasEstimate {@code eth_estimateGas} of the liquidation
 * @param fees the fees of the first transaction
 * @param gasCost the estimate times the expected gas price, in loan-token base units
 * @param expectedProfit {@code seizedValue - repaidAssets - gasCost}
 * @param calldata the call, 0x-hex: {@code liquidate}, or the keeper's call of {@code kind}
 * @param kind what the plan does; for {@link AttemptKind#TAKE} {@code requestedRepay} is the
 *     collateral asked for, {@code repaidAssets} the payment, {@code seizedCollateral} what it buys
 * @param target the contract the transaction goes to: the market's DutchAuction, or the pool; null
 *     for a liquidation (always the pool)
 */
public record LiquidationPlan(
        LiquidationCandidate candidate,
        long block,
        Address liquidator,
        Address receiver,
        Address loanToken,
        Address collateralToken,
        BigInteger requestedRepay,
        BigInteger repaidAssets,
        BigInteger seizedCollateral,
        BigInteger badDebtAssets,
        BigInteger price,
        BigInteger seizedValue,
        BigInteger requiredFunds,
        long gasEstimate,
        Fees fees,
        BigInteger gasCost,
        BigInteger expectedProfit,
        String calldata,
        AttemptKind kind,
        Address target) {

    /** A liquidation: {@code liquidate} on the pool (target null: the pool). */
    public LiquidationPlan(
            LiquidationCandidate candidate,
            long block,
            Address liquidator,
            Address receiver,
            Address loanToken,
            Address collateralToken,
            BigInteger requestedRepay,
            BigInteger repaidAssets,
            BigInteger seizedCollateral,
            BigInteger badDebtAssets,
            BigInteger price,
            BigInteger seizedValue,
            BigInteger requiredFunds,
            long gasEstimate,
            Fees fees,
            BigInteger gasCost,
            BigInteger expectedProfit,
            String calldata) {
        this(
                candidate,
                block,
                liquidator,
                receiver,
                loanToken,
                collateralToken,
                requestedRepay,
                repaidAssets,
                seizedCollateral,
                badDebtAssets,
                price,
                seizedValue,
                requiredFunds,
                gasEstimate,
                fees,
                gasCost,
                expectedProfit,
                calldata,
                AttemptKind.LIQUIDATE,
                null);
    }

    /** The contract the transaction goes to. */
    public Address to(Address pool) {
        return target == null ? pool : target;
    }

    public MarketId marketId() {
        return candidate.marketId();
    }

    public Address borrower() {
        return candidate.borrower();
    }

    @Override
    public String toString() {
        if (kind != AttemptKind.LIQUIDATE) {
            return kind
                    + " via "
                    + target
                    + (kind == AttemptKind.TAKE
                            ? ": buy "
                                    + seizedCollateral
                                    + " of "
                                    + collateralToken
                                    + " for "
                                    + repaidAssets
                            : "")
                    + ", gas ~"
                    + gasEstimate
                    + " at "
                    + fees
                    + " = "
                    + gasCost
                    + ", expected profit "
                    + expectedProfit
                    + " (block "
                    + block
                    + ")";
        }
        return "repay "
                + repaidAssets
                + " of "
                + loanToken
                + ", seize "
                + seizedCollateral
                + " of "
                + collateralToken
                + " worth "
                + seizedValue
                + ", gas ~"
                + gasEstimate
                + " at "
                + fees
                + " = "
                + gasCost
                + ", expected profit "
                + expectedProfit
                + " (block "
                + block
                + ")";
    }
}
