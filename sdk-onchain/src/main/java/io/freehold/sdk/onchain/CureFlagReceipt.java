package io.freehold.sdk.onchain;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A mined {@code flag} or {@code clearFlag} of the pool, as its {@code CureFlagged} or {@code
 * CureFlagCleared} event reported it.
 *
 * <pre>{@code
 * CureFlagReceipt r = pool.auctions().flag(marketId, borrower);
 * r.windowEndsAt();  // unix seconds: from then on startAuction accepts the position
 * }</pre>
 *
 * @param marketId the market
 * @param borrower the flagged (or cleared) position's owner
 * @param transactionHash 0x-hex
 * @param blockNumber the block it was mined in
 * @param gasUsed gas the transaction used
 * @param flaggedAt unix seconds the window started (an earlier start when the flag held under the
 *     appraisal, see contracts/README.md, "The cure window"); 0 after {@code clearFlag}
 * @param windowEndsAt {@code flaggedAt} + the market's cure window; 0 after {@code clearFlag}
 */
public record CureFlagReceipt(
        MarketId marketId,
        Address borrower,
        String transactionHash,
        long blockNumber,
        BigInteger gasUsed,
        long flaggedAt,
        long windowEndsAt) {

    public CureFlagReceipt {
        Objects.requireNonNull(marketId, "marketId");
        Objects.requireNonNull(borrower, "borrower");
        Objects.requireNonNull(transactionHash, "transactionHash");
        Objects.requireNonNull(gasUsed, "gasUsed");
    }

    /** Whether the position is flagged after the transaction (false after {@code clearFlag}). */
    public boolean flagged() {
        return flaggedAt != 0;
    }
}
