package io.freehold.sdk.onchain;

import io.freehold.sdk.TokenAmount;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * A mined liquidation, as the pool's {@code Liquidate} event reported it.
 *
 * <pre>{@code
 * LiquidationReceipt r = pool.liquidate(marketId, borrower, maxRepay);
 * System.out.println("repaid " + r.repaidAssets().toDecimalString() + ", got " + r.seizedCollateral().toDecimalString());
 * }</pre>
 *
 * @param marketId the market
 * @param borrower whose debt was repaid
 * @param liquidator the signer, who also received the collateral
 * @param transactionHash 0x-hex
 * @param blockNumber the block it was mined in
 * @param gasUsed gas the transaction used
 * @param repaidAssets loan token repaid
 * @param repaidShares borrow shares burned
 * @param seizedCollateral collateral token received
 * @param badDebtAssets debt written off because the collateral ran out (usually zero)
 * @param approvalTransactionHash the {@code approve} sent first because the allowance was short, if
 *     any
 */
public record LiquidationReceipt(
        MarketId marketId,
        Address borrower,
        Address liquidator,
        String transactionHash,
        long blockNumber,
        BigInteger gasUsed,
        TokenAmount repaidAssets,
        BigInteger repaidShares,
        TokenAmount seizedCollateral,
        TokenAmount badDebtAssets,
        Optional<String> approvalTransactionHash) {

    public LiquidationReceipt {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        Objects.requireNonNull(transactionHash, "transactionHash");
        Objects.requireNonNull(repaidAssets, "repaidAssets");
        Objects.requireNonNull(seizedCollateral, "seizedCollateral");
    }
}
