package io.freehold.contracts.math;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.AuctionStructs;
import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.bindings.PoolStructs;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The auction and cure-window math ({@link Auctions}, {@link CureWindow}) against the contracts on
 * anvil, to the wei: the local system's auction market, a loan that dips under its LLTV, a flag,
 * the window, a start, the price curve, two takes; every number the contracts report (views and
 * events) is the one the math computes from the state before, with every transaction mined at a
 * timestamp the test chooses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuctionChainTest {

    private static final int ADMIN = 0;
    private static final int BORROWER = 2;
    private static final int TAKER = 3;

    private Anvil anvil;
    private Deployment d;
    private byte[] id;
    private String token;
    private MarketTerms terms;
    private LiquidationTerms liquidation;
    private AuctionTerms auctionTerms;
    private long now;

    @BeforeAll
    void deploy() throws Exception {
        anvil = Anvil.start();
        d = LocalSystem.deploy(anvil, LocalSystem.Options.withAuctionMarket());
        Deployment.MarketEntry entry = d.market(LocalSystem.AUCTION_PROPERTY.id());
        id = Numeric.hexStringToByteArray(entry.id());
        token = entry.propertyToken();
        terms = PoolStructs.terms(pool(ADMIN).marketParams(id).send());
        liquidation = AuctionStructs.liquidationTerms(pool(ADMIN).liquidationTerms(id).send());
        auctionTerms = AuctionStructs.auctionTerms(auction(ADMIN).auctionParams(id).send());
        now = blockTimestamp(DefaultBlockParameter.valueOf("latest"));
    }

    @AfterAll
    void stop() {
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void theLocalAuctionMarketHasTheDocumentedTerms() {
        assertThat(d.dutchAuction()).isNotNull();
        assertThat(liquidation)
                .isEqualTo(
                        new LiquidationTerms(
                                Address.of(d.dutchAuction()),
                                LocalSystem.AUCTION_CURE_WINDOW_SECONDS,
                                new BigInteger("900000000000000000")));
        assertThat(auctionTerms.durationSeconds()).isEqualTo(6 * 3600);
        assertThat(auctionTerms.maxPaidRestarts()).isEqualTo(3);
        assertThat(d.markets()).hasSize(4);
    }

    @Test
    void sizeTakeAndKeeperRewardMatchTheContractOnRandomInputs() throws Exception {
        DutchAuction auction = auction(ADMIN);
        Random random = new Random(16);
        for (int i = 0; i < 120; i++) {
            BigInteger lot = new BigInteger(70 + random.nextInt(30), random);
            BigInteger debt = new BigInteger(10 + random.nextInt(40), random);
            BigInteger requested =
                    i % 10 == 0 ? Uint256.MAX : new BigInteger(60 + random.nextInt(40), random);
            BigInteger price = new BigInteger(60 + random.nextInt(40), random).add(BigInteger.ONE);
            AuctionTake expected = Auctions.take(lot, debt, requested, price);
            var chain = auction.sizeTake(lot, debt, requested, price).send();
            assertThat(chain.component1()).as("bought #%d", i).isEqualTo(expected.bought());
            assertThat(chain.component2()).as("paid #%d", i).isEqualTo(expected.paid());
            assertThat(auction.keeperReward(id, debt).send())
                    .as("reward #%d", i)
                    .isEqualTo(Auctions.keeperReward(auctionTerms, debt));
        }
    }

    @Test
    void aLoanFromItsDipToItsLastTakeFollowsTheMath() throws Exception {
        // 400 tokens at $55.60 (22,240) back 14,000 (63%); at $46 they back 13,800: health 0.9857.
        PropertyToken asBorrower =
                PropertyToken.load(token, anvil.web3j(), tm(BORROWER), LocalSystem.GAS);
        asBorrower.approve(d.lendingPool(), Uint256.MAX).send();
        send(pool(BORROWER).supplyCollateral(id, LocalSystem.tokens(400), address(BORROWER)));
        send(pool(BORROWER).borrow(id, LocalSystem.usd(14_000), address(BORROWER)));
        oracle().forceAppraisal(token, LocalSystem.priceOfCents(4_600), "a dip").send();
        now = blockTimestamp(DefaultBlockParameter.valueOf("latest"));
        BigInteger price = oracle().latestPrice(token).send().component1();
        BigInteger seq = oracle().appraisalCount(token).send();

        // The window: none without a flag, the flag's own, open at its end.
        assertOpenMatches(false, "latest");
        TransactionReceipt flagged = send(pool(ADMIN).flag(id, address(BORROWER)));
        CureFlagState flag = CureWindow.flag(CureFlagState.NONE, seq, price, now);
        assertThat(AuctionStructs.cureFlag(pool(ADMIN).cureFlag(id, address(BORROWER)).send()))
                .isEqualTo(flag);
        assertOpenMatches(false, "latest");
        mineAt(now + liquidation.cureWindowSeconds() - 1);
        assertOpenMatches(false, "latest");
        mineAt(now + 1);
        assertOpenMatches(true, "latest");

        // The start: penalty, keeper reward and tab from the state the flag left.
        MarketState stored = marketAt(flagged.getBlockNumber());
        PositionState position = positionAt(flagged.getBlockNumber());
        long startAt = now + 12;
        TransactionReceipt started =
                sendAt(startAt, auction(TAKER).start(id, address(BORROWER), address(TAKER)));
        MarketState m = stored.accrueTo(terms, startAt).market();
        BigInteger debt = Valuation.debt(m, position);
        BigInteger penalty = Auctions.penalty(auctionTerms, debt);
        BigInteger penaltyShares =
                Shares.toSharesUp(penalty, m.totalBorrowAssets(), m.totalBorrowShares());
        BigInteger assets = m.totalBorrowAssets().add(penalty);
        BigInteger shares = m.totalBorrowShares().add(penaltyShares);
        BigInteger owed = position.borrowShares().add(penaltyShares);
        BigInteger reward =
                Auctions.keeperReward(auctionTerms, Shares.toAssetsUp(owed, assets, shares))
                        .min(m.totalSupplyAssets().add(penalty).subtract(assets));
        BigInteger rewardShares = Shares.toSharesUp(reward, assets, shares);
        BigInteger tab =
                Shares.toAssetsUp(
                        owed.add(rewardShares), assets.add(reward), shares.add(rewardShares));
        var event = DutchAuction.getAuctionStartedEvents(started).get(0);
        assertThat(event.lot).isEqualTo(LocalSystem.tokens(400));
        assertThat(event.tab).isEqualTo(tab);
        assertThat(event.keeperReward).isEqualTo(reward);
        assertThat(event.startPrice).isEqualTo(Auctions.startPrice(auctionTerms, price));
        assertThat(event.floorPrice).isEqualTo(Auctions.floorPrice(auctionTerms, price));
        assertThat(event.startedAt.longValueExact()).isEqualTo(startAt);
        assertThat(event.endsAt.longValueExact()).isEqualTo(Auctions.endsAt(auctionTerms, startAt));
        BigInteger auctionId = event.auctionId;

        // The curve, at every 997th second and both ends.
        for (long t = startAt; t <= startAt + auctionTerms.durationSeconds(); t += 997) {
            assertThat(auction(ADMIN).priceAt(auctionId, BigInteger.valueOf(t)).send())
                    .as("price at +%d s", t - startAt)
                    .isEqualTo(
                            Auctions.priceAt(
                                    auctionTerms, event.startPrice, event.floorPrice, startAt, t));
        }
        long end = Auctions.endsAt(auctionTerms, startAt);
        assertThat(auction(ADMIN).priceAt(auctionId, BigInteger.valueOf(end)).send())
                .isEqualTo(event.floorPrice);

        // Two takes: 50 tokens, then all that the debt needs.
        MockStablecoin usd =
                MockStablecoin.load(d.stablecoin(), anvil.web3j(), tm(TAKER), LocalSystem.GAS);
        usd.approve(d.lendingPool(), Uint256.MAX).send();
        BigInteger lot = LocalSystem.tokens(400);
        TransactionReceipt previous = started;
        long[] at = {startAt + 5_003, startAt + 9_001};
        BigInteger[] requested = {LocalSystem.tokens(50), Uint256.MAX};
        for (int i = 0; i < 2; i++) {
            MarketState before =
                    marketAt(previous.getBlockNumber()).accrueTo(terms, at[i]).market();
            BigInteger owes = Valuation.debt(before, positionAt(previous.getBlockNumber()));
            BigInteger p =
                    Auctions.priceAt(
                            auctionTerms, event.startPrice, event.floorPrice, startAt, at[i]);
            AuctionTake expected = Auctions.take(lot, owes, requested[i], p);
            previous =
                    sendAt(at[i], auction(TAKER).take(auctionId, requested[i], p, address(TAKER)));
            var taken = DutchAuction.getAuctionTakenEvents(previous).get(0);
            assertThat(taken.price).as("take %d price", i).isEqualTo(p);
            assertThat(taken.collateral).as("take %d bought", i).isEqualTo(expected.bought());
            assertThat(taken.paid).as("take %d paid", i).isEqualTo(expected.paid());
            var liquidate = LendingPool.getLiquidateEvents(previous).get(0);
            assertThat(liquidate.repaidAssets).isEqualTo(expected.paid());
            assertThat(liquidate.seizedCollateral).isEqualTo(expected.bought());
            lot = lot.subtract(expected.bought());
            assertThat(taken.lotLeft).isEqualTo(lot);
            assertThat(expected.closesDebt()).isEqualTo(i == 1);
        }
        var ended = DutchAuction.getAuctionEndedEvents(previous).get(0);
        assertThat(ended.lotLeft).isEqualTo(lot);
        assertThat(ended.badDebt).isZero();
        assertThat(pool(ADMIN).positionShares(id, address(BORROWER)).send().collateral)
                .as("the rest is the borrower's")
                .isEqualTo(lot);
        assertThat(AuctionStructs.cureFlag(pool(ADMIN).cureFlag(id, address(BORROWER)).send()))
                .isEqualTo(CureFlagState.NONE);
    }

    /** The pool's {@code isLiquidatable} and the math's {@link CureWindow#isOpen} agree. */
    private void assertOpenMatches(boolean expected, String block) throws Exception {
        long t = blockTimestamp(DefaultBlockParameter.valueOf(block));
        LendingPool pool = pool(ADMIN);
        var view = pool.position(id, address(BORROWER)).send();
        boolean math =
                CureWindow.isOpen(
                        liquidation,
                        AuctionStructs.cureFlag(pool.cureFlag(id, address(BORROWER)).send()),
                        view.healthFactor,
                        oracle().appraisalCount(token).send(),
                        view.price,
                        t);
        assertThat(math).as("math at %d", t).isEqualTo(expected);
        assertThat(pool.isLiquidatable(id, address(BORROWER)).send())
                .as("chain at %d", t)
                .isEqualTo(expected);
    }

    private MarketState marketAt(BigInteger block) throws Exception {
        LendingPool pool = pool(ADMIN);
        pool.setDefaultBlockParameter(DefaultBlockParameter.valueOf(block));
        return PoolStructs.market(pool.market(id).send());
    }

    private PositionState positionAt(BigInteger block) throws Exception {
        LendingPool pool = pool(ADMIN);
        pool.setDefaultBlockParameter(DefaultBlockParameter.valueOf(block));
        return PoolStructs.position(pool.positionShares(id, address(BORROWER)).send());
    }

    private TransactionReceipt send(
            org.web3j.protocol.core.RemoteFunctionCall<TransactionReceipt> call) throws Exception {
        now += 12;
        return sendAt(now, call);
    }

    private TransactionReceipt sendAt(
            long timestamp, org.web3j.protocol.core.RemoteFunctionCall<TransactionReceipt> call)
            throws Exception {
        rpc("anvil_setNextBlockTimestamp", timestamp);
        now = timestamp;
        return call.send();
    }

    private void mineAt(long timestamp) throws IOException {
        rpc("anvil_setNextBlockTimestamp", timestamp);
        rpc("evm_mine");
        now = timestamp;
    }

    private void rpc(String method, Object... params) throws IOException {
        var response =
                new Request<>(
                                method,
                                List.of(params),
                                new HttpService(anvil.rpcUrl()),
                                VoidResponse.class)
                        .send();
        if (response.hasError()) {
            throw new IOException(method + ": " + response.getError().getMessage());
        }
    }

    private long blockTimestamp(DefaultBlockParameter block) throws IOException {
        return anvil.web3j()
                .ethGetBlockByNumber(block, false)
                .send()
                .getBlock()
                .getTimestamp()
                .longValueExact();
    }

    private LendingPool pool(int account) {
        return LocalSystem.pool(anvil, d, anvil.credentials(account));
    }

    private DutchAuction auction(int account) {
        return LocalSystem.auction(anvil, d, anvil.credentials(account));
    }

    private AppraisalOracle oracle() {
        return AppraisalOracle.load(d.oracle(), anvil.web3j(), tm(ADMIN), LocalSystem.GAS);
    }

    private org.web3j.tx.TransactionManager tm(int account) {
        return anvil.transactionManager(anvil.credentials(account));
    }

    private String address(int account) {
        return anvil.credentials(account).getAddress();
    }
}
