package io.freehold.node.liquidation.decide;

import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The protocol-specific part of the liquidator: how a candidate is planned and preflighted, in
 * which unit its profit (and so its gas) is counted, and how a mined transaction is proven to have
 * done its job. Everything else — attempts recorded before sending, nonces, fee bumps,
 * re-broadcasts, finality and orphaning by reorg, the lease — is the executor's ({@code transact}),
 * written once for every protocol.
 *
 * <p>Freehold's pool: {@link FreeholdProtocol}; an Aave v3 pool: {@code
 * io.freehold.node.aave.AaveLiquidationProtocol}.
 */
public interface LiquidationProtocol {

    /**
     * Plans the candidate's transaction and checks it against the chain: a plan to send, or why
     * not.
     *
     * @param head the latest block, whose base fee prices the first transaction
     * @param committedFunds repayment already promised to attempts in flight, not yet paid (the
     *     protocol decides whether its balance check can use it)
     */
    PreflightResult check(
            LiquidationCandidate candidate, LiquidatorRpc.Head head, BigInteger committedFunds);

    /** Where seized collateral goes. */
    Address receiver();

    /** {@code wei} of gas in the unit the protocol's profits are counted in (rounded up). */
    BigInteger gasCost(BigInteger wei);

    /**
     * The proof that a successful receipt of {@code attempt} did its job (its event, for its
     * borrower, by its liquidator), with the figures the chain recorded; empty when the receipt has
     * no such event (the attempt then fails on chain).
     *
     * @param gasCost the transaction's gas, already in the profit's unit ({@link #gasCost})
     */
    Optional<Proof> prove(Attempt attempt, TransactionReceipt receipt, BigInteger gasCost);

    /**
     * What a mined transaction did, from its event.
     *
     * @param repaidAssets debt paid, base units of the debt asset (zero for the keeper's calls)
     * @param seizedCollateral collateral received, base units of the collateral asset
     * @param badDebtAssets debt written off by the same call
     * @param profit what it earned, in the profit's unit, net of {@code gasCost}
     * @param description the attempt's final reason, in words with the numbers
     */
    record Proof(
            BigInteger repaidAssets,
            BigInteger seizedCollateral,
            BigInteger badDebtAssets,
            BigInteger profit,
            String description) {}
}
