package io.freehold.sdk;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * What a take of an auction's lot would buy and cost at one moment ({@link
 * Auction#previewTake(BigInteger, Instant)}), computed offline with the auction contract's own
 * rule: {@code bought = min(requested, lot)}, {@code paid = ⌈bought × price / 10^36⌉}, and when
 * that is more than the debt, {@code paid = debt} and {@code bought = ⌈debt × 10^36 / price⌉}.
 *
 * <pre>{@code
 * TakePreview p = auction.previewTake(new BigInteger("50000000000000000000"), at);  // 50 tokens
 * p.paid();        // loan-token base units the taker pays
 * p.bought();      // collateral base units the taker gets
 * }</pre>
 *
 * @param at the moment (a block timestamp) the take is priced at
 * @param price the auction's price then, × 10<sup>36</sup>: pass it (or more) as the take's {@code
 *     maxPrice}
 * @param bought collateral-token base units the take would receive
 * @param paid loan-token base units it would pay (all of it repaying the borrower's debt)
 * @param closesDebt it would pay the whole debt, ending the auction (the rest of the lot goes back
 *     to the borrower)
 */
public record TakePreview(
        Instant at, BigInteger price, BigInteger bought, BigInteger paid, boolean closesDebt) {

    public TakePreview {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(bought, "bought");
        Objects.requireNonNull(paid, "paid");
    }
}
