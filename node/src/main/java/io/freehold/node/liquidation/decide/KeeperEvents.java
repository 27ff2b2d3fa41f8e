package io.freehold.node.liquidation.decide;

import io.freehold.contracts.bindings.AuctionEvents;
import io.freehold.node.liquidation.attempts.AttemptKind;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The proof that a keeper's transaction did what it was sent for: its event in the receipt, for the
 * attempt's position, from the contract it was sent to ({@code CureFlagged} from the pool for a
 * flag, {@code AuctionStarted} / {@code AuctionRestarted} from the market's DutchAuction for a
 * start or restart). Decoded by bindings' {@link AuctionEvents}, as the follower and the SDK decode
 * them; a look-alike from another contract proves nothing. (A take is proven by the pool's {@code
 * Liquidate}, as a liquidation: {@link LiquidateEvents}.)
 */
public final class KeeperEvents {

    /**
     * What the event says.
     *
     * @param auctionId the auction started or restarted; 0 for a flag
     * @param keeperReward loan-token base units paid to the keeper; 0 for a flag
     */
    public record Proof(long auctionId, BigInteger keeperReward, String description) {}

    private KeeperEvents() {}

    /**
     * The event of {@code kind} for {@code borrower} in {@code marketId} emitted by {@code target}
     * (the pool for a flag, the auction for the others).
     */
    public static Optional<Proof> in(
            TransactionReceipt receipt,
            AttemptKind kind,
            Address target,
            MarketId marketId,
            Address borrower) {
        return switch (kind) {
            case FLAG ->
                    AuctionEvents.CURE_FLAGGED.from(receipt.getLogs(), target).stream()
                            .filter(f -> f.marketId().equals(marketId))
                            .filter(f -> f.borrower().equals(borrower))
                            .findFirst()
                            .map(
                                    f ->
                                            new Proof(
                                                    0,
                                                    BigInteger.ZERO,
                                                    "flagged at "
                                                            + f.flaggedAt()
                                                            + " under appraisal "
                                                            + f.appraisalSeq()));
            case START_AUCTION -> round(AuctionEvents.STARTED, receipt, target, marketId, borrower);
            case RESTART_AUCTION ->
                    round(AuctionEvents.RESTARTED, receipt, target, marketId, borrower);
            case LIQUIDATE, TAKE, AAVE_LIQUIDATION -> Optional.empty();
        };
    }

    private static Optional<Proof> round(
            io.freehold.contracts.bindings.AbiEvent<AuctionEvents.Round> event,
            TransactionReceipt receipt,
            Address target,
            MarketId marketId,
            Address borrower) {
        return event.from(receipt.getLogs(), target).stream()
                .filter(s -> s.marketId().equals(marketId))
                .filter(s -> s.borrower().equals(borrower))
                .findFirst()
                .map(
                        s ->
                                new Proof(
                                        s.auctionId(),
                                        s.keeperReward(),
                                        (s.restarts() == 0
                                                        ? "auction "
                                                        : "restart "
                                                                + s.restarts()
                                                                + " of auction ")
                                                + s.auctionId()
                                                + ": lot "
                                                + s.lot()
                                                + ", tab "
                                                + s.tab()
                                                + ", from "
                                                + s.startPrice()
                                                + " to "
                                                + s.floorPrice()
                                                + " until "
                                                + s.endsAt()
                                                + ", keeper reward "
                                                + s.keeperReward()));
    }
}
