package io.freehold.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.math.CureFlagState;
import io.freehold.contracts.math.LiquidationTerms;
import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.node.ingest.ProtocolEvent.AppraisalUpdated;
import io.freehold.node.ingest.ProtocolEvent.AuctionEnded;
import io.freehold.node.ingest.ProtocolEvent.AuctionPenalty;
import io.freehold.node.ingest.ProtocolEvent.AuctionStarted;
import io.freehold.node.ingest.ProtocolEvent.Borrow;
import io.freehold.node.ingest.ProtocolEvent.CureFlagCleared;
import io.freehold.node.ingest.ProtocolEvent.CureFlagged;
import io.freehold.node.ingest.ProtocolEvent.FeedConfigured;
import io.freehold.node.ingest.ProtocolEvent.IdentityRemoved;
import io.freehold.node.ingest.ProtocolEvent.IdentityVerified;
import io.freehold.node.ingest.ProtocolEvent.Liquidate;
import io.freehold.node.ingest.ProtocolEvent.LiquidationTermsSet;
import io.freehold.node.ingest.ProtocolEvent.MarketCreated;
import io.freehold.node.ingest.ProtocolEvent.PositionRentClaimed;
import io.freehold.node.ingest.ProtocolEvent.RentPulled;
import io.freehold.node.ingest.ProtocolEvent.Repay;
import io.freehold.node.ingest.ProtocolEvent.Supply;
import io.freehold.node.ingest.ProtocolEvent.SupplyCollateral;
import io.freehold.node.ingest.ProtocolEvent.Withdraw;
import io.freehold.node.state.AuctionRecord;
import io.freehold.node.state.LiquidationRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.VerifiedAccount;
import io.freehold.node.store.BlockChanges;
import io.freehold.node.store.StateChange;
import io.freehold.node.store.StateSnapshot;
import io.freehold.types.Address;
import io.freehold.types.BlockHash;
import io.freehold.types.BlockHeader;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The applier's rules that random activity reaches rarely: the floors the contract applies, bad
 * debt written off both sides, rent settled at the index of the RentPulled before it, an auction's
 * penalty, lock and end, and events that do not add up stopping the node instead of producing
 * negative balances.
 */
class BlockApplierTest {

    private static final MarketId MARKET = MarketId.of("0x" + "11".repeat(32));
    private static final Address TOKEN = Address.of("0x" + "22".repeat(20));
    private static final Address ALICE = Address.of("0x" + "a1".repeat(20));
    private static final Address BOB = Address.of("0x" + "b0".repeat(20));
    private static final BigInteger E36 = BigInteger.TEN.pow(36);
    private static final Address AUCTION = Address.of("0x" + "ac".repeat(20));

    private final ChainState state =
            ChainState.of(
                    new StateSnapshot(
                            Optional.empty(),
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of()));
    private long block;

    @Test
    void repayFloorsTotalBorrowAssetsAtZeroButTakesSharesExactly() {
        apply(
                created(),
                new Supply(MARKET, BOB, n(1_000), n(1_000_000_000)),
                new Borrow(MARKET, ALICE, n(100), n(99)));
        // Rounded-up debts can sum above the rounded total: the contract floors the total at zero.
        apply(new Repay(MARKET, ALICE, n(101), n(99)));
        MarketState t = state.market(MARKET).orElseThrow().totals();
        assertThat(t.totalBorrowAssets()).isZero();
        assertThat(t.totalBorrowShares()).isZero();
        assertThat(position(ALICE).borrowShares()).isZero();
    }

    @Test
    void badDebtLeavesTheBorrowerAndBothTotals() {
        apply(
                created(),
                new Supply(MARKET, BOB, n(50), n(50_000_000)),
                new SupplyCollateral(MARKET, ALICE, n(10)),
                new Borrow(MARKET, ALICE, n(40), n(40_000_000)));
        // Repays 10, seizes all 10 collateral, writes off the remaining 30 of debt from the 50
        // supplied.
        BlockChanges changes =
                apply(
                        new Liquidate(
                                MARKET,
                                BOB,
                                ALICE,
                                BOB,
                                n(10),
                                n(10_000_000),
                                n(10),
                                n(30),
                                n(30_000_000),
                                "0x" + "ab".repeat(32),
                                7));
        // The liquidation itself is kept as history, where the log was, next to the state it
        // changed.
        assertThat(changes.changes())
                .contains(
                        StateChange.put(
                                new LiquidationRecord(
                                        block,
                                        7,
                                        MARKET,
                                        BOB,
                                        ALICE,
                                        BOB,
                                        n(10),
                                        n(10_000_000),
                                        n(10),
                                        n(30),
                                        n(30_000_000),
                                        "0x" + "ab".repeat(32),
                                        changes.header().timestamp())));
        MarketState t = state.market(MARKET).orElseThrow().totals();
        assertThat(t.totalBorrowAssets()).isZero();
        assertThat(t.totalBorrowShares()).isZero();
        assertThat(t.totalSupplyAssets()).isEqualTo(n(20));
        assertThat(t.totalCollateral()).isZero();
        assertThat(position(ALICE).borrowShares()).isZero();
        assertThat(position(ALICE).collateral()).isZero();
        assertThat(state.token(TOKEN).orElseThrow().poolTotalCollateral()).isZero();
    }

    /**
     * A liquidation that takes the last collateral applies the borrower's rent to the debt first,
     * in the pool's log order: RentPulled, RentClaimed to the pool, Repay by the pool, then
     * Liquidate with what is left written off.
     */
    @Test
    void rentAppliedBeforeBadDebtFollowsTheLogOrder() {
        apply(
                created(),
                new Supply(MARKET, BOB, n(50), n(50_000_000)),
                new SupplyCollateral(MARKET, ALICE, n(10)),
                new Borrow(MARKET, ALICE, n(40), n(40_000_000)));
        // 5 of rent for ALICE's 10 units (index + 0.5e36), all of it repays debt; then the
        // liquidator repays 10
        // and seizes the 10 units; 25 of debt is left to write off.
        apply(
                new RentPulled(TOKEN, n(5), E36.divide(n(2))),
                new PositionRentClaimed(MARKET, ALICE, n(5)),
                new Repay(MARKET, ALICE, n(5), n(5_000_000)),
                new Liquidate(
                        MARKET,
                        BOB,
                        ALICE,
                        BOB,
                        n(10),
                        n(10_000_000),
                        n(10),
                        n(25),
                        n(25_000_000),
                        "0x" + "cd".repeat(32),
                        9));
        MarketState t = state.market(MARKET).orElseThrow().totals();
        assertThat(t.totalBorrowAssets()).isZero();
        assertThat(t.totalBorrowShares()).isZero();
        assertThat(t.totalSupplyAssets()).as("lenders lose 25, not 30").isEqualTo(n(25));
        PositionRecord p = position(ALICE);
        assertThat(p.borrowShares()).isZero();
        assertThat(p.collateral()).isZero();
        assertThat(p.rentAccrued()).isZero();
        assertThat(p.rentIndexPaid()).isEqualTo(E36.divide(n(2)));
    }

    /**
     * The token's claimableRent(pool) from the node's state: rent deposited into the token after
     * the pool's last action is owed to the pool for its locked collateral; every pool action that
     * pulls (a collateral move, a position's RentClaimed) leaves nothing owed, with or without a
     * RentPulled (none when the pull rounds to 0 or no collateral is locked).
     */
    @Test
    void thePoolsPendingRentIsWhatTheTokenOwesItSinceItsLastAction() {
        apply(created(), new SupplyCollateral(MARKET, ALICE, n(4)));
        assertThat(state.token(TOKEN).orElseThrow().poolPendingRent()).isZero();
        // The token's accumulator grows by 2.5 per unit (as for a deposit of 2.5 × supply): 4
        // locked units are owed 10.
        apply(new ProtocolEvent.RentDeposited(TOKEN, E36.multiply(n(5)).divide(n(2))));
        assertThat(state.token(TOKEN).orElseThrow().poolPendingRent()).isEqualTo(n(10));
        // A claim pulls the 10 (index + 10/4 per unit), settles and pays ALICE: nothing stays owed
        // to the pool.
        apply(
                new RentPulled(TOKEN, n(10), E36.multiply(n(5)).divide(n(2))),
                new PositionRentClaimed(MARKET, ALICE, n(10)));
        assertThat(state.token(TOKEN).orElseThrow().poolPendingRent()).isZero();
        assertThat(state.token(TOKEN).orElseThrow().poolRentPerTokenPaid())
                .isEqualTo(E36.multiply(n(5)).divide(n(2)));
        // A deposit too small to give the pool a unit (0.1 per unit × 4 = 0.4): the next collateral
        // move pulls 0,
        // so no RentPulled, yet the pool's mark moves to the accumulator as the token settled it.
        BigInteger accumulator = E36.multiply(n(5)).divide(n(2)).add(E36.divide(n(10)));
        apply(new ProtocolEvent.RentDeposited(TOKEN, accumulator));
        assertThat(state.token(TOKEN).orElseThrow().poolPendingRent()).isZero();
        apply(new SupplyCollateral(MARKET, BOB, n(6)));
        assertThat(state.token(TOKEN).orElseThrow().poolRentPerTokenPaid()).isEqualTo(accumulator);
        // Now 10 units: 0.1 more per unit is 1 owed to the pool.
        apply(new ProtocolEvent.RentDeposited(TOKEN, accumulator.add(E36.divide(n(10)))));
        assertThat(state.token(TOKEN).orElseThrow().poolPendingRent()).isEqualTo(n(1));
    }

    @Test
    void rentSettlesAtTheIndexThePrecedingPullSet() {
        apply(created(), new SupplyCollateral(MARKET, ALICE, n(3)));
        // 1e36 per collateral unit more, then a claim of the 3 accrued (3 units × 1)
        apply(new RentPulled(TOKEN, n(3), E36), new PositionRentClaimed(MARKET, ALICE, n(3)));
        PositionRecord p = position(ALICE);
        assertThat(p.rentIndexPaid()).isEqualTo(E36);
        assertThat(p.rentAccrued()).isZero();
        // A third of a unit each: 3 × floor(1e36 / 3) / 1e36 rounds to 0, so the claim pays 0 and
        // still
        // settles: the index paid moves with it, as the contract's does.
        apply(
                new RentPulled(TOKEN, n(1), E36.add(E36.divide(n(3)))),
                new PositionRentClaimed(MARKET, ALICE, n(0)));
        assertThat(position(ALICE).rentAccrued()).isZero();
        assertThat(position(ALICE).rentIndexPaid()).isEqualTo(E36.add(E36.divide(n(3))));
    }

    @Test
    void aWithdrawalOfMoreThanThePositionHasStopsTheNodeAndNamesTheEvent() {
        apply(created(), new Supply(MARKET, BOB, n(10), n(10)));
        assertThatThrownBy(() -> apply(new Withdraw(MARKET, BOB, n(1), n(11))))
                .isInstanceOf(StateDivergedException.class)
                .hasMessageContaining("supply shares below zero")
                .hasMessageContaining("missed or repeated an event");
    }

    @Test
    void anEventForAMarketNeverCreatedStopsTheNode() {
        assertThatThrownBy(() -> apply(new Supply(MARKET, BOB, n(10), n(10))))
                .isInstanceOf(StateDivergedException.class)
                .hasMessageContaining("which no MarketCreated created");
    }

    @Test
    void reversibleBlocksMarkWhatTheyChangedAndFinalOnesDoNot() {
        applyAs(false, created(), new Supply(MARKET, BOB, n(10), n(10)));
        long finalBlock = block;
        assertThat(state.positionChangedUnconfirmed(MARKET, BOB)).isEmpty();
        BlockChanges changes = applyAs(true, new Supply(MARKET, ALICE, n(5), n(5)));
        assertThat(changes.reversible()).isTrue();
        assertThat(state.positionChangedUnconfirmed(MARKET, ALICE)).hasValue(block);
        assertThat(state.marketChangedUnconfirmed(MARKET)).hasValue(block);
        assertThat(state.positionChangedUnconfirmed(MARKET, BOB)).isEmpty();
        state.confirmUpTo(block);
        assertThat(state.positionChangedUnconfirmed(MARKET, ALICE)).isEmpty();
        assertThat(finalBlock).isLessThan(block);
    }

    @Test
    void aBlockReportsEachTouchedRowOnceWithItsFinalValue() {
        BlockChanges changes =
                apply(
                        created(),
                        new Supply(MARKET, BOB, n(10), n(10)),
                        new Supply(MARKET, BOB, n(5), n(5)));
        assertThat(changes.changes()).hasSize(3); // market, token, Bob's position
        assertThat(changes.changes().toString()).contains("15");
        assertThat(state.checkpoint().orElseThrow().number()).isEqualTo(block);
    }

    @Test
    void anAuctionLocksThePositionChargesItsPenaltyToBothSidesAndUnlocksAtItsEnd() {
        apply(
                created(),
                new Supply(MARKET, BOB, n(1_000), n(1_000_000_000)),
                new SupplyCollateral(MARKET, ALICE, n(10)),
                new Borrow(MARKET, ALICE, n(100), n(100_000_000)),
                new CureFlagged(MARKET, ALICE, 1_700_000_000L, n(3), E36));
        apply(
                new AuctionPenalty(MARKET, ALICE, n(5), n(5_000_000)),
                new Borrow(MARKET, ALICE, n(2), n(2_000_000)), // the keeper's reward
                started(7, 0));
        MarketState t = state.market(MARKET).orElseThrow().totals();
        assertThat(t.totalSupplyAssets()).isEqualTo(n(1_005));
        assertThat(t.totalBorrowAssets()).isEqualTo(n(107));
        assertThat(t.totalBorrowShares()).isEqualTo(n(107_000_000));
        assertThat(position(ALICE).borrowShares()).isEqualTo(n(107_000_000));
        assertThat(state.cureFlag(MARKET, ALICE))
                .isEqualTo(new CureFlagState(1_700_000_000L, n(3), E36, true));
        assertThat(state.activeAuction(MARKET, ALICE)).map(AuctionRecord::auctionId).contains(7L);

        // A restart: new prices and clock, same auction.
        apply(started(7, 1));
        assertThat(state.auction(7).orElseThrow().restarts()).isEqualTo(1);

        // The take that clears the debt: the pool clears the flag, the auction ends and unlocks.
        BlockChanges end =
                apply(
                        new Liquidate(
                                MARKET,
                                BOB,
                                ALICE,
                                BOB,
                                n(107),
                                n(107_000_000),
                                n(4),
                                n(0),
                                n(0),
                                "0x" + "cd".repeat(32),
                                3),
                        new CureFlagCleared(MARKET, ALICE),
                        new AuctionEnded(7, MARKET, ALICE, n(6), n(0)));
        assertThat(state.cureFlag(MARKET, ALICE)).isEqualTo(CureFlagState.NONE);
        assertThat(state.activeAuction(MARKET, ALICE)).isEmpty();
        assertThat(state.auction(7).orElseThrow().active()).isFalse();
        assertThat(end.changes()).contains(StateChange.removeCureFlag(MARKET, ALICE));
    }

    @Test
    void aFlagClearedInAuctionKeepsTheLock() {
        apply(
                created(),
                new Supply(MARKET, BOB, n(1_000), n(1_000_000_000)),
                new SupplyCollateral(MARKET, ALICE, n(10)),
                new Borrow(MARKET, ALICE, n(100), n(100_000_000)),
                started(1, 0),
                new CureFlagCleared(MARKET, ALICE));
        assertThat(state.cureFlag(MARKET, ALICE).inAuction()).isTrue();
        assertThat(state.cureFlag(MARKET, ALICE).isFlagged()).isFalse();
    }

    @Test
    void anAuctionEventTheNodeCannotPlaceStopsIt() {
        apply(created());
        assertThatThrownBy(() -> apply(started(9, 1)))
                .isInstanceOf(StateDivergedException.class)
                .hasMessageContaining("auction 9");
        assertThatThrownBy(() -> apply(new AuctionEnded(9, MARKET, ALICE, n(0), n(0))))
                .isInstanceOf(StateDivergedException.class);
    }

    @Test
    void anAuctionMarketSoldThroughAnUnfollowedAuctionStopsTheNode() {
        apply(
                created(),
                new LiquidationTermsSet(
                        MARKET, new LiquidationTerms(AUCTION, 3_600, BigInteger.ONE)));
        assertThat(state.liquidationTerms(MARKET).auction()).isEqualTo(AUCTION);
        Address elsewhere = Address.of("0x" + "ee".repeat(20));
        assertThatThrownBy(
                        () ->
                                apply(
                                        new LiquidationTermsSet(
                                                MARKET,
                                                new LiquidationTerms(
                                                        elsewhere, 0, BigInteger.ZERO))))
                .isInstanceOf(StateDivergedException.class)
                .hasMessageContaining("dutchAuction");
    }

    @Test
    void appraisalsAreCountedPerToken() {
        apply(created(), new AppraisalUpdated(TOKEN, E36, 1), new AppraisalUpdated(TOKEN, E36, 2));
        apply(new FeedConfigured(TOKEN, n(86_400), 1_000), new AppraisalUpdated(TOKEN, E36, 3));
        assertThat(state.priceFeed(TOKEN).orElseThrow().appraisalCount()).isEqualTo(3);
    }

    private static AuctionStarted started(long id, int restarts) {
        return new AuctionStarted(
                id,
                MARKET,
                ALICE,
                BOB,
                n(10),
                n(107),
                E36.multiply(n(12)).divide(n(10)),
                E36.multiply(n(6)).divide(n(10)),
                1_700_000_000L + restarts,
                1_700_021_600L + restarts,
                n(2),
                restarts);
    }

    @Test
    void aVerificationIsANewRowOnlyIfTheAccountWasUnverifiedBeforeTheBlock() {
        VerifiedAccount alice = new VerifiedAccount(ALICE);
        VerifiedAccount bob = new VerifiedAccount(BOB);
        // First verified: new rows, also when removed and verified again within the block.
        assertThat(
                        apply(
                                        new IdentityVerified(ALICE),
                                        new IdentityVerified(BOB),
                                        new IdentityRemoved(BOB),
                                        new IdentityVerified(BOB))
                                .changes())
                .containsExactly(StateChange.putNew(alice), StateChange.putNew(bob));
        // Verified before the block: the store has the row, so never a new one.
        assertThat(apply(new IdentityRemoved(ALICE), new IdentityVerified(ALICE)).changes())
                .containsExactly(StateChange.put(alice));
        assertThat(apply(new IdentityVerified(BOB)).changes())
                .containsExactly(StateChange.put(bob));
        // Unverified before the block and at its end: a removal, whatever happened between.
        apply(new IdentityRemoved(ALICE));
        assertThat(apply(new IdentityVerified(ALICE), new IdentityRemoved(ALICE)).changes())
                .containsExactly(StateChange.remove(alice));
        assertThat(apply(new IdentityVerified(ALICE)).changes())
                .containsExactly(StateChange.putNew(alice));
    }

    private BlockChanges apply(ProtocolEvent... events) {
        return applyAs(false, events);
    }

    private BlockChanges applyAs(boolean reversible, ProtocolEvent... events) {
        block++;
        BlockHeader header =
                new BlockHeader(block, hash(block), hash(block - 1), 1_700_000_000L + block * 12);
        return new BlockApplier(state, Optional.of(AUCTION))
                .apply(header, List.of(events), reversible);
    }

    private PositionRecord position(Address who) {
        return state.position(MARKET, who).orElseThrow();
    }

    private static MarketCreated created() {
        BigInteger wad = BigInteger.TEN.pow(18);
        return new MarketCreated(
                MARKET,
                new MarketTerms(
                        TOKEN,
                        Address.of("0x" + "33".repeat(20)),
                        Address.of("0x" + "44".repeat(20)),
                        wad.multiply(n(3)).divide(n(4)),
                        wad.divide(n(2)),
                        wad.add(wad.divide(n(20))),
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        wad.divide(n(2)),
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO));
    }

    private static BlockHash hash(long n) {
        return BlockHash.of(String.format("0x%064x", n + 1));
    }

    private static BigInteger n(long v) {
        return BigInteger.valueOf(v);
    }
}
