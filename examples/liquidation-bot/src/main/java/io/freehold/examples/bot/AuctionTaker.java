package io.freehold.examples.bot;

import io.freehold.contracts.bindings.ContractError;
import io.freehold.examples.common.ExampleSettings;
import io.freehold.examples.common.Format;
import io.freehold.sdk.AuctionEvent;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.Market;
import io.freehold.sdk.TokenAmount;
import io.freehold.sdk.onchain.ContractRevertException;
import io.freehold.sdk.onchain.FreeholdAuction;
import io.freehold.sdk.onchain.FreeholdPool;
import io.freehold.sdk.onchain.OnchainException;
import io.freehold.sdk.onchain.TakeReceipt;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.io.PrintStream;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bot's side of auction markets: it keeps the Dutch auctions the node reports running ({@link
 * FreeholdClient#watchAuctions()}) and, on every tick, takes from each whose price on chain is at
 * or below its limit — the property's appraisal less {@code --auction-discount} — with that limit
 * as the take's {@code maxPrice}, as much of the lot as the loan tokens it holds pay for at the
 * limit. The price falls between the node's reports, so it is read from the auction itself ({@link
 * FreeholdAuction#priceNow}) each tick.
 */
final class AuctionTaker {

    private static final BigInteger WAD = BigInteger.TEN.pow(18);
    private static final BigInteger PRICE_SCALE = BigInteger.TEN.pow(36);

    /** A running auction as the watch reported it. */
    private record Lot(long auctionId, MarketId marketId, Address borrower) {}

    private final FreeholdClient node;
    private final FreeholdPool pool;
    private final ExampleSettings settings;
    private final BigInteger discount;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<Long, Lot> running = new LinkedHashMap<>();
    private final Map<Long, BigInteger> reportedWaiting = new LinkedHashMap<>();
    private int takes;
    private BigInteger paid = BigInteger.ZERO;

    /**
     * @param discount WAD: the limit is the appraisal × (1 − discount)
     */
    AuctionTaker(
            FreeholdClient node,
            FreeholdPool pool,
            ExampleSettings settings,
            BigInteger discount,
            PrintStream out,
            PrintStream err) {
        this.node = node;
        this.pool = pool;
        this.settings = settings;
        this.discount = discount;
        this.out = out;
        this.err = err;
    }

    void onEvent(AuctionEvent e) {
        if (e instanceof AuctionEvent.Started s) {
            running.put(
                    s.auction().auctionId(),
                    new Lot(
                            s.auction().auctionId(),
                            s.position().marketId(),
                            s.position().account()));
        } else if (e instanceof AuctionEvent.Ended end) {
            running.remove(end.last().auctionId());
            reportedWaiting.remove(end.last().auctionId());
        }
    }

    /** Considers every running auction once; true if it took anything. */
    boolean tick() {
        boolean took = false;
        for (Lot lot : running.values().toArray(Lot[]::new)) {
            took |= consider(lot);
        }
        return took;
    }

    int takes() {
        return takes;
    }

    BigInteger paid() {
        return paid;
    }

    /** The most the bot pays per collateral base unit in {@code market}: appraisal × (1 − d). */
    BigInteger limit(Market market) {
        return market.appraisal().price().multiply(WAD.subtract(discount)).divide(WAD);
    }

    private boolean consider(Lot lot) {
        String who = lot.borrower() + " in " + settings.property(lot.marketId());
        try {
            FreeholdAuction auction = pool.auction(lot.marketId());
            BigInteger limit = limit(node.market(lot.marketId()));
            BigInteger price = auction.priceNow(lot.auctionId());
            if (price.compareTo(limit) > 0) {
                if (!price.equals(reportedWaiting.put(lot.auctionId(), price))) {
                    out.printf(
                            "wait auction %d of %s: %s a token, above the limit %s%n",
                            lot.auctionId(), who, perToken(price), perToken(limit));
                }
                return false;
            }
            // Sized at the limit (the most any block can charge), so the loan tokens held pay for
            // it whatever the price when it is mined.
            TokenAmount cash = pool.loanBalance(lot.marketId());
            BigInteger affordable = cash.baseUnits().multiply(PRICE_SCALE).divide(limit);
            if (affordable.signum() == 0) {
                return false;
            }
            var state = auction.auction(lot.auctionId()).orElseThrow().auction();
            TakeReceipt r =
                    affordable.compareTo(state.lotLeft()) >= 0
                            ? auction.takeAll(lot.auctionId(), limit)
                            : auction.take(lot.auctionId(), TokenAmount.of(affordable, 18), limit);
            takes++;
            paid = paid.add(r.paid().baseUnits());
            out.printf(
                    "took %s of %s (auction %d) at %s a token (limit %s): paid %s (block %d, tx"
                            + " %s)%n",
                    Format.tokens(r.bought().baseUnits()),
                    who,
                    r.auctionId(),
                    perToken(r.price()),
                    perToken(limit),
                    Format.dollars(r.paid().baseUnits()),
                    r.blockNumber(),
                    r.transactionHash());
            if (r.ended()) {
                running.remove(lot.auctionId());
                out.printf(
                        "auction %d ended: %s back to the borrower, bad debt %s%n",
                        r.auctionId(),
                        Format.tokens(r.lotLeft().baseUnits()),
                        Format.dollars(r.badDebt().baseUnits()));
            }
            return true;
        } catch (ContractRevertException e) {
            if (e.revert().error() == ContractError.AUCTION_NEEDS_RESTART) {
                // Past its floor time: a keeper restarts it (said once, then waited for).
                if (!BigInteger.ZERO.equals(
                        reportedWaiting.put(lot.auctionId(), BigInteger.ZERO))) {
                    out.println(
                            "wait auction "
                                    + lot.auctionId()
                                    + " of "
                                    + who
                                    + ": it needs a restart");
                }
                return false;
            }
            out.println("not taken from " + who + ": the auction refused: " + e.revert());
            if (e.revert().error() == ContractError.AUCTION_NOT_ACTIVE) {
                running.remove(lot.auctionId());
            }
        } catch (OnchainException e) {
            err.println("could not take from " + who + ": " + e.getMessage());
        }
        return false;
    }

    /** A price (× 1e36, per base unit of an 18-decimal token) as dollars per whole token. */
    private static String perToken(BigInteger price) {
        return Format.dollars(price.multiply(WAD).divide(PRICE_SCALE));
    }
}
