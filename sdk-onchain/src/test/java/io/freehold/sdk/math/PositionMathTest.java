package io.freehold.sdk.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freehold.contracts.bindings.ContractError;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.sdk.TokenAmount;
import io.freehold.sdk.onchain.ContractRevertException;
import io.freehold.sdk.onchain.FreeholdPool;
import io.freehold.sdk.onchain.PoolChain;
import io.freehold.sdk.onchain.PoolReceipt;
import io.freehold.sdk.onchain.PositionInputs;
import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * PositionMath against the pool's own {@code position(id, account)} view on anvil with the real
 * contracts: every number equal to the wei, at the block read, after time passes, after a price
 * change, and after each action it previews.
 */
class PositionMathTest {

    private static final long SEED = 0x5EED_F4EE_401DL;

    private static PoolChain chain;

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
    }

    @Test
    void offlineMathEqualsTheView_forSeededRandomPositions_asTimePasses_andAfterAPriceChange()
            throws Exception {
        Random random = new Random(SEED);
        List<Address> accounts =
                new ArrayList<>(
                        List.of(
                                PoolChain.address(chain.borrower),
                                PoolChain.address(chain.lender)));
        for (int i = 4; i < 10; i++) {
            Credentials who = chain.anvil.credentials(i);
            BigInteger funded =
                    LocalSystem.tokens(1 + random.nextInt(900))
                            .add(BigInteger.valueOf(random.nextInt(1 << 30)));
            chain.fundBorrower(who, funded);
            try (FreeholdPool pool = chain.pool(who)) {
                BigInteger locked =
                        funded.multiply(BigInteger.valueOf(1 + random.nextInt(100)))
                                .divide(BigInteger.valueOf(100));
                pool.lockCollateral(chain.market, TokenAmount.of(locked, 18));
                // The most the max-LTV check accepts holds for one timestamp: interest moves the
                // share price from second to second and with it the rounding of new borrow
                // shares, so the next block (and the SDK's gas estimate, made against it) is
                // pinned to the time of the block the view is read at.
                chain.nextBlockAt(chain.timestamp(chain.head()));
                BigInteger max = chain.view(PoolChain.address(who)).maxBorrowable;
                // One borrows nothing, one exactly the most allowed, the rest a random share of it.
                BigInteger borrow =
                        i == 4
                                ? BigInteger.ZERO
                                : i == 5
                                        ? max
                                        : max.multiply(
                                                        BigInteger.valueOf(
                                                                random.nextInt(1_000_000)))
                                                .divide(BigInteger.valueOf(1_000_000));
                if (borrow.signum() > 0) {
                    pool.borrow(chain.market, TokenAmount.of(borrow, 6));
                }
            }
            accounts.add(PoolChain.address(who));
        }

        long start = chain.head();
        List<PositionInputs> read = new ArrayList<>();
        try (FreeholdPool pool = chain.pool(chain.admin)) {
            for (Address a : accounts) {
                PositionInputs in = pool.positionInputs(chain.market, a);
                read.add(in);
                assertSameAsView(
                        PositionMath.of(in), chain.view(a, start), a + " at block " + start);
            }
            // Time passes with no action in the market: the math accrues from the stored market in
            // one step.
            for (int round = 0; round < 3; round++) {
                chain.advance(Duration.ofSeconds(3_600 + random.nextInt(20 * 86_400)));
                long block = chain.head();
                long time = chain.timestamp(block);
                for (int i = 0; i < accounts.size(); i++) {
                    String where = accounts.get(i) + " at block " + block + " (seed " + SEED + ")";
                    assertSameAsView(
                            PositionMath.of(read.get(i)).at(time),
                            chain.view(accounts.get(i), block),
                            where);
                    assertSameAsView(
                            PositionMath.of(pool.positionInputs(chain.market, accounts.get(i))),
                            chain.view(accounts.get(i), block),
                            where + ", read again");
                }
            }
            // A new appraisal, 70% to 130% of the old one.
            BigInteger oldPrice = read.get(0).appraisal().price();
            BigInteger newPrice =
                    oldPrice.multiply(BigInteger.valueOf(70 + random.nextInt(61)))
                            .divide(BigInteger.valueOf(100));
            chain.forcePrice(newPrice);
            long block = chain.head();
            long time = chain.timestamp(block);
            for (int i = 0; i < accounts.size(); i++) {
                LendingPool.PositionView view = chain.view(accounts.get(i), block);
                PositionMath math = PositionMath.of(read.get(i)).at(time).atPrice(newPrice);
                assertSameAsView(
                        math, view, accounts.get(i) + " after the price moved to " + newPrice);
                assertEquals(
                        math.liquidatable(), math.price().compareTo(math.liquidationPrice()) < 0);
            }
        }
    }

    @Test
    void previewBorrow_equalsTheViewAfterBorrowing() throws Exception {
        previewThenAct(
                chain.borrower,
                m -> m.previewBorrow(usd(777)),
                p -> p.borrow(chain.market, usd(777)));
    }

    @Test
    void previewBorrowOfMaxBorrowable_isAccepted_andOneUnitMoreIsRefusedExactlyAsTheChainRefuses()
            throws Exception {
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            Address me = pool.account();
            PositionMath math = PositionMath.of(pool.positionInputs(chain.market, me));
            long next = math.timestamp() + 10;
            PositionMath then = math.at(next);
            TokenAmount oneMore =
                    TokenAmount.of(then.maxBorrowable().baseUnits().add(BigInteger.ONE), 6);
            PositionPreview refused = then.previewBorrow(oneMore);
            assertTrue(refused.reverts());
            assertEquals(ContractError.MAX_LTV_EXCEEDED, refused.revert().get().error());

            chain.nextBlockAt(next);
            chain.call("evm_mine");
            ContractRevertException e =
                    assertThrows(
                            ContractRevertException.class,
                            () -> pool.borrow(chain.market, oneMore));
            // The preflight eth_call runs on the latest block, mined at `next`: the same moment as
            // the preview.
            assertEquals(refused.revert().get(), e.revert());
        }
        previewThenAct(
                chain.borrower,
                m -> m.previewBorrow(m.maxBorrowable()),
                p -> p.borrow(chain.market, planned.maxBorrowable()));
    }

    @Test
    void previewRepay_andRepayAll_equalTheViewAfterRepaying() throws Exception {
        approveEverything(chain.borrower);
        chain.stablecoin(chain.admin)
                .mint(chain.borrower.getAddress(), LocalSystem.usd(1_000))
                .send();
        previewThenAct(
                chain.borrower,
                m -> m.previewRepay(usd(2_345)),
                p -> p.repay(chain.market, usd(2_345)));
        previewThenAct(
                chain.borrower, PositionMath::previewRepayAll, p -> p.repayAll(chain.market));
    }

    @Test
    void previewCollateralChanges_equalTheViewAfterMakingThem() throws Exception {
        approveEverything(chain.borrower);
        TokenAmount more = TokenAmount.of(LocalSystem.tokens(123).add(BigInteger.valueOf(456)), 18);
        previewThenAct(
                chain.borrower,
                m -> m.previewSupplyCollateral(more),
                p -> p.lockCollateral(chain.market, more));
        TokenAmount less = TokenAmount.of(LocalSystem.tokens(77), 18);
        previewThenAct(
                chain.borrower,
                m -> m.previewWithdrawCollateral(less),
                p -> p.withdrawCollateral(chain.market, less));
    }

    @Test
    void previewSupplyAndWithdraw_equalTheLendersViewAfter() throws Exception {
        approveEverything(chain.lender);
        previewThenAct(
                chain.lender,
                m -> m.previewSupply(usd(4_321)),
                p -> p.supply(chain.market, usd(4_321)));
        previewThenAct(
                chain.lender,
                m -> m.previewWithdraw(usd(1_234)),
                p -> p.withdraw(chain.market, usd(1_234)));
    }

    @Test
    void previewOnAStalePrice_refusesWithTheChainsStalePrice() throws Exception {
        chain.advance(Duration.ofDays(31));
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            PositionMath math = PositionMath.of(pool.positionInputs(chain.market, pool.account()));
            assertTrue(math.priceStale());
            PositionPreview preview = math.previewBorrow(usd(1));
            PositionPreview withdrawal =
                    math.previewWithdrawCollateral(TokenAmount.of(LocalSystem.tokens(1), 18));
            ContractRevertException e =
                    assertThrows(
                            ContractRevertException.class, () -> pool.borrow(chain.market, usd(1)));
            assertEquals(e.revert(), preview.revert().get());
            assertEquals(e.revert(), withdrawal.revert().get());
            assertFalse(math.previewRepay(usd(1)).reverts(), "repaying needs no price");
        }
    }

    // ---- helpers
    // ------------------------------------------------------------------------------------

    /** The position as previewed, at the timestamp the action will be mined at. */
    private PositionMath planned;

    /**
     * Reads the position, previews the action in the next block at a chosen timestamp, acts, and
     * checks the preview against the view at the block the action was mined in.
     */
    private void previewThenAct(
            Credentials who,
            Function<PositionMath, PositionPreview> preview,
            Function<FreeholdPool, PoolReceipt> act)
            throws Exception {
        try (FreeholdPool pool = chain.pool(who)) {
            Address me = pool.account();
            PositionInputs in = pool.positionInputs(chain.market, me);
            long next =
                    in.timestamp() + 1 + new Random(SEED ^ in.blockNumber()).nextInt(5 * 86_400);
            planned = PositionMath.of(in).at(next);
            PositionPreview expected = preview.apply(planned);
            assertFalse(expected.reverts(), () -> "preview refused: " + expected.revert().get());

            chain.nextBlockAt(next);
            PoolReceipt receipt = act.apply(pool);

            assertTrue(
                    receipt.approvalTransactionHash().isEmpty(),
                    "approved beforehand: one transaction, one block");
            assertEquals(next, chain.timestamp(receipt.blockNumber()));
            assertEquals(expected.assets(), receipt.assets());
            assertEquals(expected.shares(), receipt.shares());
            assertSameAsView(
                    expected.after(),
                    chain.view(me, receipt.blockNumber()),
                    receipt.action() + " by " + me);
            assertEquals(expected.after().position().borrowShares(), chain.shares(me).borrowShares);
            assertEquals(expected.after().position().supplyShares(), chain.shares(me).supplyShares);
            assertEquals(expected.after().position().collateral(), chain.shares(me).collateral);
        }
    }

    private static void approveEverything(Credentials who) throws Exception {
        chain.stablecoin(who).approve(chain.poolAddress.toLowerCaseHex(), Uint256.MAX).send();
        chain.propertyToken(who).approve(chain.poolAddress.toLowerCaseHex(), Uint256.MAX).send();
    }

    private static TokenAmount usd(long whole) {
        return TokenAmount.of(LocalSystem.usd(whole), 6);
    }

    static void assertSameAsView(PositionMath m, LendingPool.PositionView v, String where) {
        assertEquals(v.supplyShares, m.supplyShares(), where + ": supplyShares");
        assertEquals(v.supplyAssets, m.supplyAssets().baseUnits(), where + ": supplyAssets");
        assertEquals(v.borrowShares, m.borrowShares(), where + ": borrowShares");
        assertEquals(v.debt, m.debt().baseUnits(), where + ": debt");
        assertEquals(v.collateral, m.collateral().baseUnits(), where + ": collateral");
        assertEquals(
                v.collateralValue, m.collateralValue().baseUnits(), where + ": collateralValue");
        assertEquals(v.ltv, m.ltv().raw(), where + ": ltv");
        assertEquals(v.healthFactor, m.healthFactor().toWad().raw(), where + ": healthFactor");
        assertEquals(v.liquidationPrice, m.liquidationPrice(), where + ": liquidationPrice");
        assertEquals(v.maxBorrowable, m.maxBorrowable().baseUnits(), where + ": maxBorrowable");
        assertEquals(v.price, m.price(), where + ": price");
        assertEquals(v.priceStale, m.priceStale(), where + ": priceStale");
    }
}
