package io.freehold.sdk.onchain;

import io.freehold.sdk.TokenAmount;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * A mined, successful pool transaction and what the contract reported in its event: the amount that
 * moved and the shares minted or burned.
 *
 * <pre>{@code
 * PoolReceipt r = pool.repayAll(marketId);
 * r.assets();           // the debt paid, in loan-token base units and decimals
 * r.shares();           // the borrow shares burned
 * r.transactionHash();  // "0x5c1e..."
 * }</pre>
 *
 * @param action what was done
 * @param marketId the market
 * @param account the signer: the position the action changed
 * @param transactionHash 0x-hex
 * @param blockNumber the block it was mined in
 * @param gasUsed gas the transaction used
 * @param assets the event's amount: loan token for supply, withdraw, borrow and repay; collateral
 *     token for the collateral actions. For {@code repayAll} and {@code withdrawAll} it is what the
 *     contract computed.
 * @param shares supply or borrow shares minted or burned (the pool's share units, 1e6 per asset in
 *     a fresh market); zero for the collateral actions, which have none
 * @param approvalTransactionHash the ERC-20 {@code approve} sent first because the allowance was
 *     short, if any
 */
public record PoolReceipt(
        PoolAction action,
        MarketId marketId,
        Address account,
        String transactionHash,
        long blockNumber,
        BigInteger gasUsed,
        TokenAmount assets,
        BigInteger shares,
        Optional<String> approvalTransactionHash) {

    public PoolReceipt {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(transactionHash, "transactionHash");
        Objects.requireNonNull(gasUsed, "gasUsed");
        Objects.requireNonNull(assets, "assets");
        Objects.requireNonNull(shares, "shares");
        Objects.requireNonNull(approvalTransactionHash, "approvalTransactionHash");
    }
}
