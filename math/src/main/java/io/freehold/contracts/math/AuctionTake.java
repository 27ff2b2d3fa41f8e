package io.freehold.contracts.math;

import java.math.BigInteger;

/**
 * What one take buys and pays ({@link Auctions#take}).
 *
 * @param bought collateral base units the taker receives
 * @param paid loan-token base units the taker pays, all of it repaying the position's debt
 * @param closesDebt whether {@code paid} is the whole debt (the auction then ends, the rest of the
 *     lot staying the borrower's)
 */
public record AuctionTake(BigInteger bought, BigInteger paid, boolean closesDebt) {}
