package io.freehold.sdk.onchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freehold.contracts.bindings.ContractError;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.sdk.TokenAmount;
import io.freehold.sdk.math.PositionMath;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * FreeholdPool against the real contracts on anvil: each action changes the pool's own view
 * exactly.
 */
class FreeholdPoolTest {

    private static PoolChain chain;
    private Address borrower;
    private Address lender;

    @BeforeAll
    static void startChain() throws Exception {
        chain = PoolChain.start();
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
        borrower = PoolChain.address(chain.borrower);
        lender = PoolChain.address(chain.lender);
    }

    private static TokenAmount tokens(long whole) {
        return TokenAmount.of(LocalSystem.tokens(whole), 18);
    }

    private static TokenAmount usd(long whole) {
        return TokenAmount.of(LocalSystem.usd(whole), 6);
    }

    @Test
    void liquidate_repaysTheBorrowersDebtForTheirCollateralAsTheEventSays_andAHealthyOneIsRefused()
            throws Exception {
        Credentials liquidator =
                chain.anvil.credentials(3); // verified and funded by the local deployment
        Address liquidatorAddress = PoolChain.address(liquidator);
        try (FreeholdPool pool = chain.pool(liquidator)) {
            ContractRevertException healthy =
                    org.assertj.core.api.Assertions.catchThrowableOfType(
                            () -> pool.liquidate(chain.market, borrower, usd(1_000)),
                            ContractRevertException.class);
            assertThat(healthy.revert().error()).isEqualTo(ContractError.POSITION_HEALTHY);
            assertThat(healthy.mined()).isFalse();

            chain.forcePrice(
                    LocalSystem.priceOfCents(3_500)); // $52.40 -> $35: health 0.875, closed whole
            LendingPool.Position before = chain.shares(borrower);
            BigInteger tokensBefore =
                    chain.propertyToken(liquidator)
                            .balanceOf(liquidatorAddress.toLowerCaseHex())
                            .send();
            LiquidationReceipt r = pool.liquidate(chain.market, borrower, usd(20_000));

            LendingPool.Position after = chain.shares(borrower);
            assertThat(after.borrowShares)
                    .isEqualTo(before.borrowShares.subtract(r.repaidShares()));
            assertThat(after.collateral)
                    .isEqualTo(before.collateral.subtract(r.seizedCollateral().baseUnits()));
            assertThat(
                            chain.propertyToken(liquidator)
                                    .balanceOf(liquidatorAddress.toLowerCaseHex())
                                    .send())
                    .isEqualTo(tokensBefore.add(r.seizedCollateral().baseUnits()));
            assertThat(r.repaidAssets().baseUnits())
                    .isBetween(LocalSystem.usd(12_000), LocalSystem.usd(12_001));
            assertThat(r.liquidator()).isEqualTo(liquidatorAddress);
            assertThat(r.badDebtAssets().isZero()).isTrue();
        }
    }

    @Test
    void lockCollateral_approvesThenLocksExactlyTheAmount() throws Exception {
        LendingPool.Position before = chain.shares(borrower);
        TokenAmount amount = TokenAmount.of(LocalSystem.tokens(100).add(BigInteger.valueOf(7)), 18);
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            PoolReceipt r = pool.lockCollateral(chain.market, amount);

            assertEquals(PoolAction.SUPPLY_COLLATERAL, r.action());
            assertEquals(amount, r.assets());
            assertEquals(BigInteger.ZERO, r.shares());
            assertTrue(
                    r.approvalTransactionHash().isPresent(),
                    "the allowance was spent by the deployment");
            assertEquals(chain.head(), r.blockNumber());
            assertTrue(r.gasUsed().signum() > 0);
            assertEquals(
                    before.collateral.add(amount.baseUnits()), chain.view(borrower).collateral);
            assertEquals(
                    before.collateral.add(amount.baseUnits()), chain.shares(borrower).collateral);
            // The approval was exact, and is used up.
            assertEquals(
                    BigInteger.ZERO,
                    chain.propertyToken(chain.admin)
                            .allowance(
                                    borrower.toLowerCaseHex(), chain.poolAddress.toLowerCaseHex())
                            .send());
        }
    }

    @Test
    void borrow_addsTheReportedSharesAndTheDebtTheViewShows() throws Exception {
        LendingPool.Position before = chain.shares(borrower);
        BigInteger balanceBefore =
                chain.stablecoin(chain.admin).balanceOf(borrower.toLowerCaseHex()).send();
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            PositionMath math = PositionMath.of(pool.positionInputs(chain.market, borrower));
            PoolReceipt r = pool.borrow(chain.market, usd(1_000));

            assertEquals(usd(1_000), r.assets());
            assertEquals(before.borrowShares.add(r.shares()), chain.shares(borrower).borrowShares);
            assertTrue(r.shares().signum() > 0);
            assertEquals(
                    balanceBefore.add(LocalSystem.usd(1_000)),
                    chain.stablecoin(chain.admin).balanceOf(borrower.toLowerCaseHex()).send());
            assertTrue(
                    chain.view(borrower)
                                    .debt
                                    .compareTo(math.debt().baseUnits().add(LocalSystem.usd(1_000)))
                            >= 0);
        }
    }

    @Test
    void repay_burnsTheReportedShares_andRepayAllClosesTheDebt() throws Exception {
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            LendingPool.Position before = chain.shares(borrower);
            PoolReceipt partial = pool.repay(chain.market, usd(2_000));
            assertEquals(usd(2_000), partial.assets());
            assertTrue(partial.approvalTransactionHash().isPresent());
            assertEquals(
                    before.borrowShares.subtract(partial.shares()),
                    chain.shares(borrower).borrowShares);

            // The deployment gave the borrower exactly the principal; the interest comes from
            // elsewhere.
            chain.stablecoin(chain.admin)
                    .mint(borrower.toLowerCaseHex(), LocalSystem.usd(1_000))
                    .send();
            BigInteger balanceBefore =
                    chain.stablecoin(chain.admin).balanceOf(borrower.toLowerCaseHex()).send();
            BigInteger sharesBefore = chain.shares(borrower).borrowShares;
            PoolReceipt all = pool.repayAll(chain.market);

            assertEquals(PoolAction.REPAY, all.action());
            assertEquals(sharesBefore, all.shares());
            assertEquals(BigInteger.ZERO, chain.shares(borrower).borrowShares);
            assertEquals(BigInteger.ZERO, chain.view(borrower).debt);
            BigInteger balanceAfter =
                    chain.stablecoin(chain.admin).balanceOf(borrower.toLowerCaseHex()).send();
            assertEquals(
                    all.assets().baseUnits(),
                    balanceBefore.subtract(balanceAfter),
                    "paid exactly the debt");
        }
    }

    @Test
    void withdrawCollateral_unlocksExactlyTheAmount() throws Exception {
        BigInteger before = chain.shares(borrower).collateral;
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            PoolReceipt r = pool.withdrawCollateral(chain.market, tokens(10));
            assertEquals(tokens(10), r.assets());
            assertEquals(before.subtract(LocalSystem.tokens(10)), chain.view(borrower).collateral);
        }
    }

    @Test
    void supplyAndWithdraw_moveTheLendersSharesByWhatTheEventsReport() throws Exception {
        try (FreeholdPool pool = chain.pool(chain.lender)) {
            BigInteger sharesBefore = chain.shares(lender).supplyShares;
            PoolReceipt supplied = pool.supply(chain.market, usd(10_000));
            assertEquals(sharesBefore.add(supplied.shares()), chain.shares(lender).supplyShares);

            PoolReceipt withdrawn = pool.withdraw(chain.market, usd(3_000));
            assertEquals(usd(3_000), withdrawn.assets());
            assertEquals(
                    sharesBefore.add(supplied.shares()).subtract(withdrawn.shares()),
                    chain.shares(lender).supplyShares);
        }
    }

    @Test
    void withdrawAll_burnsEveryShareForWhatTheyAreWorth() throws Exception {
        try (FreeholdPool pool = chain.pool(chain.lender)) {
            // Free the liquidity the borrower holds; the deployment left it exactly the principal,
            // not the interest.
            chain.stablecoin(chain.admin)
                    .mint(borrower.toLowerCaseHex(), LocalSystem.usd(1_000))
                    .send();
            chain.pool(chain.borrower).repayAll(chain.market);
            BigInteger worth = chain.view(lender).supplyAssets;
            BigInteger balanceBefore =
                    chain.stablecoin(chain.admin).balanceOf(lender.toLowerCaseHex()).send();
            PoolReceipt r = pool.withdrawAll(chain.market);
            assertEquals(BigInteger.ZERO, chain.shares(lender).supplyShares);
            assertTrue(
                    r.assets().baseUnits().compareTo(worth) >= 0,
                    "at least what the shares were worth before");
            assertEquals(
                    r.assets().baseUnits(),
                    chain.stablecoin(chain.admin)
                            .balanceOf(lender.toLowerCaseHex())
                            .send()
                            .subtract(balanceBefore));
        }
    }

    @Test
    void borrowBeyondMaxLtv_failsInPreflightWithItsNumbers_andChangesNothing() throws Exception {
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            LendingPool.PositionView view = chain.view(borrower);
            LendingPool.Position before = chain.shares(borrower);
            long nonce = chain.nonce(chain.borrower);
            TokenAmount tooMuch = TokenAmount.of(view.maxBorrowable.add(LocalSystem.usd(1)), 6);

            ContractRevertException e =
                    assertThrows(
                            ContractRevertException.class,
                            () -> pool.borrow(chain.market, tooMuch));

            assertEquals(ContractError.MAX_LTV_EXCEEDED, e.revert().error());
            assertEquals(ContractRevertException.Stage.PREFLIGHT, e.stage());
            assertTrue(e.transactionHash().isEmpty());
            assertEquals("MaxLtvExceeded", e.reasonName());
            // maxDebt is collateralValue × maxLtv / 1e18, rounded down; the debt is above it.
            BigInteger maxLtv = pool.positionInputs(chain.market, borrower).terms().maxLtv();
            BigInteger maxDebt = view.collateralValue.multiply(maxLtv).divide(LocalSystem.WAD);
            assertEquals(maxDebt, e.revert().uint("maxDebt"));
            assertEquals(maxDebt.toString(), e.metadata().get("maxDebt"));
            assertTrue(e.revert().uint("debt").compareTo(maxDebt) > 0);
            assertEquals(before.borrowShares, chain.shares(borrower).borrowShares);
            assertEquals(nonce, chain.nonce(chain.borrower), "nothing was sent");
        }
    }

    @Test
    void borrowOnAStalePrice_isRefusedWithStalePriceAndTheAppraisalTime() throws Exception {
        BigInteger updatedAt = chain.oracle().feed(chain.token.toLowerCaseHex()).send().updatedAt;
        chain.advance(Duration.ofDays(31)); // the local feeds' maxAge is 30 days
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            ContractRevertException e =
                    assertThrows(
                            ContractRevertException.class, () -> pool.borrow(chain.market, usd(1)));
            assertEquals(ContractError.STALE_PRICE, e.revert().error());
            assertEquals(chain.token, e.revert().address("token"));
            assertEquals(updatedAt, e.revert().uint("updatedAt"));
        }
    }

    @Test
    void lockCollateralFromAnUnverifiedHolder_givesThePoolsOwnerNotAllowed() throws Exception {
        chain.registry().unverify(chain.borrower.getAddress()).send();
        BigInteger before = chain.shares(borrower).collateral;
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            ContractRevertException e =
                    assertThrows(
                            ContractRevertException.class,
                            () -> pool.lockCollateral(chain.market, tokens(5)));
            // The pool checks the position's owner before the token checks the transfer.
            assertEquals(ContractError.OWNER_NOT_ALLOWED, e.revert().error());
            assertEquals(borrower, e.revert().address("owner"));
            assertFalse(e.mined());
        }
        assertEquals(before, chain.shares(borrower).collateral);
    }

    @Test
    void aRevertAtMining_isDecodedWithTheTransactionHashAndGas() throws Exception {
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            chain.call("evm_setAutomine", false);
            CompletableFuture<PoolReceipt> borrowing =
                    CompletableFuture.supplyAsync(() -> pool.borrow(chain.market, usd(100)));
            // Once the borrow waits in the pool, the price goes stale before it is mined.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (((java.util.Map<?, ?>)
                            ((java.util.Map<?, ?>) chain.call("txpool_content")).get("pending"))
                    .isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the borrow was never sent");
                Thread.sleep(20);
            }
            chain.call("evm_increaseTime", Duration.ofDays(31).toSeconds());
            chain.call("evm_mine");

            Throwable thrown =
                    assertThrows(Exception.class, () -> borrowing.get(2, TimeUnit.MINUTES))
                            .getCause();
            ContractRevertException e = (ContractRevertException) thrown;
            assertTrue(e.mined());
            assertEquals(ContractError.STALE_PRICE, e.revert().error());
            assertTrue(e.transactionHash().isPresent());
            assertEquals(chain.head(), e.blockNumber().getAsLong());
            assertTrue(e.gasUsed().get().signum() > 0);
        }
    }

    @Test
    void anUnknownMarket_isRefusedWithMarketNotFound() {
        MarketId unknown = MarketId.fromBytes(new byte[32]);
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            ContractRevertException e =
                    assertThrows(ContractRevertException.class, () -> pool.borrow(unknown, usd(1)));
            assertEquals(ContractError.MARKET_NOT_FOUND, e.revert().error());
            assertEquals(unknown, e.revert().argument("id"));
        }
    }

    @Test
    void anAmountInTheWrongDecimals_isRefusedBeforeAnythingIsSent() throws Exception {
        long nonce = chain.nonce(chain.borrower);
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            assertThrows(
                    IllegalArgumentException.class, () -> pool.borrow(chain.market, tokens(1)));
        }
        assertEquals(nonce, chain.nonce(chain.borrower));
    }

    @Test
    void aWrongChainId_isRefused() {
        assertThrows(
                OnchainException.class,
                () ->
                        FreeholdPool.connect(
                                chain.anvil.web3j(), chain.borrower, chain.poolAddress, 1));
    }

    @Test
    void revertDataRoundTrips_andUnknownDataIsKeptRaw() {
        ContractRevert r =
                ContractRevert.of(ContractError.MAX_LTV_EXCEEDED, BigInteger.TEN, BigInteger.TWO);
        assertEquals(List.of(BigInteger.TEN, BigInteger.TWO), r.arguments());
        assertEquals("MaxLtvExceeded(debt=10, maxDebt=2)", r.toString());
        assertEquals(r, ContractRevert.decode(r.data()));
        assertEquals(ContractError.UNKNOWN, ContractRevert.decode("0xdeadbeef").error());
        assertEquals("0xdeadbeef", ContractRevert.decode("0xdeadbeef").data());
        assertEquals(ContractError.UNKNOWN, ContractRevert.decode(null).error());
        assertEquals(Uint256.MAX, ContractRevert.of(ContractError.PANIC, Uint256.MAX).uint("code"));
    }
}
