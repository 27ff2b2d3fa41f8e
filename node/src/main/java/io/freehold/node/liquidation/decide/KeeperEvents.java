package io.freehold.node.liquidation.decide;

import io.freehold.node.config.ContractAddresses;
import io.freehold.node.ingest.EventDecoder;
import io.freehold.node.ingest.ProtocolEvent;
import io.freehold.node.liquidation.attempts.AttemptKind;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The proof that a keeper's transaction did what it was sent for: its event in the receipt, for the
 * attempt's position, from the contract it was sent to ({@code CureFlagged} from the pool for a
 * flag, {@code AuctionStarted} / {@code AuctionRestarted} from the market's DutchAuction for a
 * start or restart). Decoded by the follower's own {@link EventDecoder}, so the node reads these
 * events one way. (A take is proven by the pool's {@code Liquidate}, as a liquidation: {@link
 * LiquidateEvents}.)
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
            Address pool,
            Address target,
            MarketId marketId,
            Address borrower) {
        SortedSet<Address> noTokens = new TreeSet<>();
        EventDecoder decoder =
                new EventDecoder(
                        new ContractAddresses(
                                pool,
                                Address.ZERO,
                                Address.ZERO,
                                noTokens,
                                0,
                                Optional.of(target)));
        for (Log log : receipt.getLogs()) {
            Optional<ProtocolEvent> event = decoder.decode(log, token -> false);
            if (event.isEmpty()) {
                continue;
            }
            if (event.get() instanceof ProtocolEvent.CureFlagged f
                    && kind == AttemptKind.FLAG
                    && f.id().equals(marketId)
                    && f.borrower().equals(borrower)) {
                return Optional.of(
                        new Proof(
                                0,
                                BigInteger.ZERO,
                                "flagged at "
                                        + f.flaggedAt()
                                        + " under appraisal "
                                        + f.appraisalSeq()));
            }
            if (event.get() instanceof ProtocolEvent.AuctionStarted s
                    && (kind == AttemptKind.START_AUCTION && s.restarts() == 0
                            || kind == AttemptKind.RESTART_AUCTION && s.restarts() > 0)
                    && s.id().equals(marketId)
                    && s.borrower().equals(borrower)) {
                return Optional.of(
                        new Proof(
                                s.auctionId(),
                                s.keeperReward(),
                                (s.restarts() == 0
                                                ? "auction "
                                                : "restart " + s.restarts() + " of auction ")
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
        return Optional.empty();
    }
}
