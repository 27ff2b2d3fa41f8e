package io.freehold.sdk.onchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.freehold.contracts.bindings.ContractError;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.contracts.math.AuctionTake;
import io.freehold.contracts.math.Auctions;
import io.freehold.contracts.math.CureFlagState;
import io.freehold.sdk.TokenAmount;
import io.freehold.sdk.math.PositionMath;
import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * The cure window and the Dutch auction through {@link FreeholdPool} and {@link FreeholdAuction},
 * against the real contracts on anvil (the local system's auction market: a one-day window, hard
 * floor 0.9, prices from 120% to 60% of the appraisal over six hours): every receipt is compared
 * with the chain's balances and views to the wei, every bad input comes back as its own decoded
 * revert.
 */
class FreeholdAuctionTest {

    private static PoolChain chain;
    private Credentials keeper;
    private Credentials taker;
    private Address borrower;

    @BeforeAll
    static void startChain() throws Exception {
        chain = PoolChain.startWithAuctionMarket();
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @BeforeEach
    void reset() throws Exception {
        chain.reset();
        keeper = chain.admin; // verified, holds the stablecoin
        taker = chain.anvil.credentials(3); // the deployment's liquidator: verified, 250,000 mUSD
        borrower = PoolChain.address(chain.borrower);
    }

    private static TokenAmount tokens(long whole) {
        return TokenAmount.of(LocalSystem.tokens(whole), 18);
    }

    private static TokenAmount usd(long whole) {
        return TokenAmount.of(LocalSystem.usd(whole), 6);
    }

    /**
     * 400 tokens at $55.60 back 14,000 mUSD; at $46 they back 13,800 at the LLTV: health 0.9857,
     * unhealthy but above the hard floor, so the window applies.
     */
    private void dip() throws Exception {
        try (FreeholdPool b = chain.pool(chain.borrower)) {
            b.lockCollateral(chain.market, tokens(400));
            b.borrow(chain.market, usd(14_000));
        }
        chain.forcePrice(LocalSystem.priceOfCents(4_600));
    }

    /** Flags the position, lets its window pass and starts its auction, as the keeper. */
    private AuctionStartReceipt started(FreeholdPool asKeeper) throws Exception {
        dip();
        asKeeper.flag(chain.market, borrower);
        chain.advance(Duration.ofSeconds(LocalSystem.AUCTION_CURE_WINDOW_SECONDS + 1));
        return asKeeper.auction(chain.market).startAuction(chain.market, borrower);
    }

    private static ContractRevert refused(ThrowingCallable call) {
        ContractRevertException e = catchThrowableOfType(call, ContractRevertException.class);
        assertThat(e).as("a ContractRevertException").isNotNull();
        return e.revert();
    }

    private BigInteger usdOf(Credentials who) throws Exception {
        return chain.stablecoin(who).balanceOf(who.getAddress()).send();
    }

    private BigInteger tokensOf(Credentials who) throws Exception {
        return chain.propertyToken(who).balanceOf(who.getAddress()).send();
    }

    @Test
    void aFlaggedPositionIsAuctionedAfterItsWindowAndTakenInTwoPartsToTheWei() throws Exception {
        dip();
        try (FreeholdPool asKeeper = chain.pool(keeper);
                FreeholdPool asTaker = chain.pool(taker);
                FreeholdPool asBorrower = chain.pool(chain.borrower)) {
            FreeholdAuction auction = asKeeper.auction(chain.market);
            assertThat(auction.address())
                    .isEqualTo(PoolChain.address(chain.deployment.dutchAuction()));
            assertThat(refused(() -> auction.startAuction(chain.market, borrower)).error())
                    .isEqualTo(ContractError.NOT_FLAGGED);

            // The flag starts the window; the auction waits for its end.
            CureFlagReceipt flagged = asKeeper.flag(chain.market, borrower);
            assertThat(flagged.flaggedAt()).isEqualTo(chain.timestamp(flagged.blockNumber()));
            assertThat(flagged.windowEndsAt())
                    .isEqualTo(flagged.flaggedAt() + LocalSystem.AUCTION_CURE_WINDOW_SECONDS);
            assertThat(asKeeper.cureFlag(chain.market, borrower).flaggedAt())
                    .isEqualTo(flagged.flaggedAt());
            assertThat(asKeeper.isActionable(chain.market, borrower)).isFalse();
            long keeperNonce = chain.nonce(keeper);
            ContractRevert open = refused(() -> auction.startAuction(chain.market, borrower));
            assertThat(open.error()).isEqualTo(ContractError.CURE_WINDOW_OPEN);
            assertThat(open.uint("deadline")).isEqualTo(BigInteger.valueOf(flagged.windowEndsAt()));
            assertThat(chain.nonce(keeper)).as("nothing sent").isEqualTo(keeperNonce);

            chain.advance(Duration.ofSeconds(LocalSystem.AUCTION_CURE_WINDOW_SECONDS + 1));
            assertThat(asKeeper.isActionable(chain.market, borrower)).isTrue();
            BigInteger keeperUsd = usdOf(keeper);
            AuctionStartReceipt started = auction.startAuction(chain.market, borrower);

            assertThat(started.keeper()).isEqualTo(PoolChain.address(keeper));
            assertThat(started.borrower()).isEqualTo(borrower);
            assertThat(started.restarts()).isZero();
            assertThat(started.keeperReward().baseUnits()).isPositive();
            assertThat(usdOf(keeper)).isEqualTo(keeperUsd.add(started.keeperReward().baseUnits()));
            assertThat(started.lot()).isEqualTo(tokens(400));
            assertThat(started.tab().baseUnits())
                    .isEqualTo(chain.view(borrower, started.blockNumber()).debt);
            assertThat(started.startedAt()).isEqualTo(chain.timestamp(started.blockNumber()));
            assertThat(started.endsAt() - started.startedAt())
                    .isEqualTo(auction.auctionTerms(chain.market).durationSeconds());
            assertThat(asKeeper.cureFlag(chain.market, borrower).inAuction()).isTrue();

            ChainAuction read = auction.activeAuction(chain.market, borrower).orElseThrow();
            assertThat(read.auctionId()).isEqualTo(started.auctionId());
            assertThat(read.active()).isTrue();
            assertThat(read.auction().startPrice()).isEqualTo(started.startPrice());
            assertThat(read.auction().floorPrice()).isEqualTo(started.floorPrice());
            assertThat(read.auction().lotLeft()).isEqualTo(started.lot().baseUnits());
            assertThat(read.auction().tabLeft())
                    .isEqualTo(chain.view(borrower, read.blockNumber()).debt);
            assertThat(read.auction().currentPrice())
                    .contains(auction.priceAt(started.auctionId(), read.timestamp()));
            assertThat(auction.priceNow(started.auctionId()))
                    .isEqualTo(auction.priceAt(started.auctionId(), chain.timestamp(chain.head())));

            // Each bad take is its own decoded revert, and nothing is sent for it.
            FreeholdAuction takes = asTaker.auction(chain.market);
            long id = started.auctionId();
            BigInteger maxPrice = started.startPrice(); // the price only falls from there
            long takerNonce = chain.nonce(taker);
            ContractRevert tooMuch = refused(() -> takes.take(id, tokens(401), maxPrice));
            assertThat(tooMuch.error()).isEqualTo(ContractError.TAKE_EXCEEDS_LOT);
            assertThat(tooMuch.uint("requested")).isEqualTo(LocalSystem.tokens(401));
            assertThat(tooMuch.uint("lot")).isEqualTo(LocalSystem.tokens(400));
            BigInteger belowFloor = started.floorPrice().subtract(BigInteger.ONE);
            ContractRevert tooCheap = refused(() -> takes.take(id, tokens(50), belowFloor));
            assertThat(tooCheap.error()).isEqualTo(ContractError.PRICE_ABOVE_LIMIT);
            assertThat(tooCheap.uint("maxPrice")).isEqualTo(belowFloor);
            assertThat(tooCheap.uint("price")).isGreaterThan(belowFloor);
            Address stranger = PoolChain.address(chain.anvil.credentials(5)); // never verified
            ContractRevert unverified =
                    refused(() -> takes.take(id, tokens(50), maxPrice, stranger));
            assertThat(unverified.error()).isEqualTo(ContractError.TAKER_NOT_ALLOWED);
            assertThat(unverified.address("account")).isEqualTo(stranger);
            assertThat(chain.nonce(taker)).as("nothing sent").isEqualTo(takerNonce);

            // A part: 50 tokens at the price of its block.
            BigInteger takerUsd = usdOf(taker);
            BigInteger takerTokens = tokensOf(taker);
            TakeReceipt part = takes.take(id, tokens(50), maxPrice);
            BigInteger price =
                    Auctions.priceAt(
                            auction.auctionTerms(chain.market),
                            started.startPrice(),
                            started.floorPrice(),
                            started.startedAt(),
                            chain.timestamp(part.blockNumber()));
            assertThat(part.approvalTransactionHash()).as("the first take approves").isPresent();
            assertThat(part.price()).isEqualTo(price);
            assertThat(part.taker()).isEqualTo(PoolChain.address(taker));
            assertThat(part.receiver()).isEqualTo(PoolChain.address(taker));
            assertThat(part.bought()).isEqualTo(tokens(50));
            assertThat(part.paid().baseUnits())
                    .isEqualTo(
                            Auctions.take(
                                            LocalSystem.tokens(400),
                                            Uint256.MAX,
                                            LocalSystem.tokens(50),
                                            price)
                                    .paid());
            assertThat(part.ended()).isFalse();
            assertThat(usdOf(taker)).isEqualTo(takerUsd.subtract(part.paid().baseUnits()));
            assertThat(tokensOf(taker)).isEqualTo(takerTokens.add(part.bought().baseUnits()));
            assertThat(chain.shares(borrower).collateral)
                    .isEqualTo(part.lotLeft().baseUnits())
                    .isEqualTo(LocalSystem.tokens(350));
            assertThat(chain.view(borrower, part.blockNumber()).debt)
                    .isEqualTo(part.debtLeft().baseUnits());

            // The rest: as much as the debt needs; what it does not need goes back to the
            // borrower.
            BigInteger owedBefore =
                    PositionMath.of(
                                    asTaker.positionInputs(
                                            chain.market, borrower, part.blockNumber()))
                            .debt()
                            .baseUnits();
            BigInteger borrowerTokens = tokensOf(chain.borrower);
            takerUsd = usdOf(taker);
            TakeReceipt rest = takes.takeAll(id, maxPrice);
            long t = chain.timestamp(rest.blockNumber());
            BigInteger restPrice =
                    Auctions.priceAt(
                            auction.auctionTerms(chain.market),
                            started.startPrice(),
                            started.floorPrice(),
                            started.startedAt(),
                            t);
            BigInteger owed =
                    PositionMath.of(
                                    asTaker.positionInputs(
                                            chain.market, borrower, part.blockNumber()))
                            .at(t)
                            .debt()
                            .baseUnits();
            assertThat(owed).isGreaterThanOrEqualTo(owedBefore);
            assertThat(rest.price()).isEqualTo(restPrice);
            assertThat(new AuctionTake(rest.bought().baseUnits(), rest.paid().baseUnits(), true))
                    .isEqualTo(
                            Auctions.take(
                                    part.lotLeft().baseUnits(), owed, Uint256.MAX, restPrice));
            assertThat(rest.ended()).isTrue();
            assertThat(rest.debtLeft().isZero()).isTrue();
            assertThat(rest.badDebt().isZero()).isTrue();
            assertThat(rest.lotLeft().baseUnits())
                    .isEqualTo(LocalSystem.tokens(350).subtract(rest.bought().baseUnits()))
                    .isEqualTo(chain.shares(borrower).collateral)
                    .isPositive();
            assertThat(usdOf(taker)).isEqualTo(takerUsd.subtract(owed));
            assertThat(chain.view(borrower, rest.blockNumber()).debt).isZero();
            assertThat(asKeeper.cureFlag(chain.market, borrower)).isEqualTo(CureFlagState.NONE);
            assertThat(auction.activeAuction(chain.market, borrower)).isEmpty();
            assertThat(auction.auction(id).orElseThrow().active()).isFalse();

            // The rest is the borrower's again, free to take out.
            asBorrower.withdrawCollateral(chain.market, rest.lotLeft());
            assertThat(tokensOf(chain.borrower))
                    .isEqualTo(borrowerTokens.add(rest.lotLeft().baseUnits()));
            assertThat(refused(() -> takes.take(id, tokens(1), maxPrice)).error())
                    .isEqualTo(ContractError.AUCTION_NOT_ACTIVE);
        }
    }

    @Test
    void afterItsFloorTimeAnAuctionNeedsARestartThenSellsAgain() throws Exception {
        try (FreeholdPool asKeeper = chain.pool(keeper);
                FreeholdPool asTaker = chain.pool(taker)) {
            AuctionStartReceipt started = started(asKeeper);
            FreeholdAuction auction = asKeeper.auction(chain.market);
            FreeholdAuction takes = asTaker.auction(chain.market);
            long id = started.auctionId();
            ContractRevert early = refused(() -> auction.restartAuction(id));
            assertThat(early.error()).isEqualTo(ContractError.AUCTION_NOT_STALE);
            assertThat(early.uint("endsAt")).isEqualTo(BigInteger.valueOf(started.endsAt()));

            chain.advance(Duration.ofSeconds(started.endsAt() - started.startedAt() + 1));
            ContractRevert late = refused(() -> takes.take(id, tokens(10), started.startPrice()));
            assertThat(late.error()).isEqualTo(ContractError.AUCTION_NEEDS_RESTART);
            assertThat(late.uint("endsAt")).isEqualTo(BigInteger.valueOf(started.endsAt()));
            assertThat(refused(() -> auction.priceNow(id)).error())
                    .isEqualTo(ContractError.AUCTION_NEEDS_RESTART);
            ChainAuction stale = auction.auction(id).orElseThrow();
            assertThat(stale.auction().needsRestart()).isTrue();
            assertThat(stale.auction().currentPrice()).isEmpty();

            BigInteger keeperUsd = usdOf(keeper);
            AuctionStartReceipt again = auction.restartAuction(id);
            assertThat(again.auctionId()).isEqualTo(id);
            assertThat(again.restarts()).isEqualTo(1);
            assertThat(again.startedAt()).isEqualTo(chain.timestamp(again.blockNumber()));
            assertThat(again.keeperReward().baseUnits()).isPositive();
            assertThat(usdOf(keeper)).isEqualTo(keeperUsd.add(again.keeperReward().baseUnits()));
            assertThat(again.lot()).isEqualTo(tokens(400));

            TakeReceipt r = takes.take(id, tokens(10), again.startPrice());
            assertThat(r.bought()).isEqualTo(tokens(10));
            assertThat(r.price()).isLessThanOrEqualTo(again.startPrice());
        }
    }

    @Test
    void clearFlag_refusedWhileUnhealthy_theBorrowersCureClearsIt_aRecoveredFlagIsClearedByAnyone()
            throws Exception {
        dip();
        try (FreeholdPool asKeeper = chain.pool(keeper);
                FreeholdPool asBorrower = chain.pool(chain.borrower)) {
            assertThat(refused(() -> asKeeper.clearFlag(chain.market, borrower)).error())
                    .isEqualTo(ContractError.NOT_FLAGGED);
            asKeeper.flag(chain.market, borrower);
            ContractRevert unhealthy = refused(() -> asKeeper.clearFlag(chain.market, borrower));
            assertThat(unhealthy.error()).isEqualTo(ContractError.POSITION_UNHEALTHY);

            // The borrower cures: the repay that makes it healthy clears the flag itself.
            asBorrower.repay(chain.market, usd(2_000));
            assertThat(asKeeper.cureFlag(chain.market, borrower)).isEqualTo(CureFlagState.NONE);
            assertThat(refused(() -> asKeeper.clearFlag(chain.market, borrower)).error())
                    .isEqualTo(ContractError.NOT_FLAGGED);
            assertThat(refused(() -> asKeeper.flag(chain.market, borrower)).error())
                    .isEqualTo(ContractError.POSITION_HEALTHY);

            // A dip ($39: 11,700 against 12,000), a flag, then a recovery by appraisal: the flag
            // stays until someone clears it.
            chain.forcePrice(LocalSystem.priceOfCents(3_900));
            CureFlagReceipt flagged = asKeeper.flag(chain.market, borrower);
            assertThat(flagged.flagged()).isTrue();
            chain.forcePrice(LocalSystem.priceOfCents(4_600));
            assertThat(asKeeper.cureFlag(chain.market, borrower).flaggedAt())
                    .isEqualTo(flagged.flaggedAt());
            CureFlagReceipt cleared = asKeeper.clearFlag(chain.market, borrower);
            assertThat(cleared.flagged()).isFalse();
            assertThat(cleared.blockNumber()).isEqualTo(chain.head());
            assertThat(asKeeper.cureFlag(chain.market, borrower)).isEqualTo(CureFlagState.NONE);
        }
    }

    @Test
    void aFixedIncentiveMarketHasNoAuction() throws Exception {
        try (FreeholdPool pool = chain.pool(keeper)) {
            var fixed =
                    io.freehold.types.MarketId.fromHex(
                            chain.deployment.market(PoolChain.PROPERTY).id());
            assertThat(pool.liquidationTerms(fixed).isAuction()).isFalse();
            assertThat(
                            catchThrowableOfType(
                                    () -> pool.auction(fixed), IllegalArgumentException.class))
                    .hasMessageContaining("fixed incentive");
            assertThat(pool.liquidationTerms(chain.market).cureWindowSeconds())
                    .isEqualTo(LocalSystem.AUCTION_CURE_WINDOW_SECONDS);
        }
    }
}
