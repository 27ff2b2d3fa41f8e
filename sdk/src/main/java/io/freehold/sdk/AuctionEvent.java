package io.freehold.sdk;

import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.util.Objects;
import java.util.Optional;

/**
 * What an auction watch delivers ({@link FreeholdClient#watchAuctions(MarketId)}): the Dutch
 * auctions of positions, as they start, change and end. Built by the SDK from the position watch
 * ({@link PositionEvent}), so it resumes by itself the same way: a {@link Started} for each auction
 * running when the watch opens and one {@link InSync}, then a {@link Started}, {@link Changed} or
 * {@link Ended} for every change the node reports. Every event carries the {@link Cursor} to resume
 * after.
 *
 * <p>The node reports a position when something about it changes (a take, a restart, interest on a
 * new block it values), not every second: the price between two events follows from the auction
 * itself ({@link Auction#previewTake(java.math.BigInteger, java.time.Instant)} at any moment).
 *
 * <pre>{@code
 * try (Watch<AuctionEvent> auctions = client.watchAuctions(marketId)) {
 *     while (auctions.hasNext()) {
 *         AuctionEvent e = auctions.next();
 *         if (e instanceof AuctionEvent.Started s) {
 *             System.out.println("for sale: " + s.auction().lotLeft());
 *         } else if (e instanceof AuctionEvent.Changed c) {
 *             System.out.println("left: " + c.auction().lotLeft());
 *         } else if (e instanceof AuctionEvent.Ended end) {
 *             System.out.println("over: auction " + end.last().auctionId());
 *         }
 *     }
 * }
 * }</pre>
 */
public sealed interface AuctionEvent {

    /** Resume after this. */
    Cursor cursor();

    /**
     * An auction the watch had not seen: just started, or running when the watch opened (or resumed
     * from a cursor of another process).
     *
     * @param position the position in auction, as of the event
     * @param auction its auction ({@code position.actionability().auction()})
     */
    record Started(Position position, Auction auction, Cursor cursor) implements AuctionEvent {
        public Started {
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(auction, "auction");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /** A running auction moved: a take, a restart, or a newer block's price, lot and tab. */
    record Changed(Position position, Auction auction, Cursor cursor) implements AuctionEvent {
        public Changed {
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(auction, "auction");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /**
     * The auction is over (its debt paid or its lot gone), or its position left the watch.
     *
     * @param last the auction as last reported
     * @param position the position after it, when the node still reports it
     */
    record Ended(
            MarketId marketId,
            Address account,
            Auction last,
            Optional<Position> position,
            Cursor cursor)
            implements AuctionEvent {
        public Ended {
            Objects.requireNonNull(marketId, "marketId");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(last, "last");
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /** The initial snapshot is complete, with {@code auctions} running; changes follow. */
    record InSync(long auctions, Cursor cursor) implements AuctionEvent {
        public InSync {
            Objects.requireNonNull(cursor, "cursor");
        }
    }
}
