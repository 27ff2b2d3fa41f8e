package io.freehold.sdk.onchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freehold.contracts.bindings.ContractError;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.contracts.math.PoolRent;
import io.freehold.sdk.math.PositionMath;
import io.freehold.sdk.math.PositionPreview;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rent through the SDK against the real contracts on anvil: rent deposited into the property, the
 * borrower's claimable rent, repaying from it and claiming it, each equal to the pool's own view to
 * the wei.
 */
class FreeholdPoolRentTest {

    private static PoolChain chain;
    private Address borrower;

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
    }

    /**
     * The issuer (the admin) pays {@code amount} mUSD base units of rent into the property token.
     */
    private void depositRent(BigInteger amount) throws Exception {
        chain.stablecoin(chain.admin).mint(chain.admin.getAddress(), amount).send();
        chain.stablecoin(chain.admin).approve(chain.token.toLowerCaseHex(), amount).send();
        chain.propertyToken(chain.admin).depositRent(amount).send();
    }

    @Test
    void repayWithRent_repaysWhatThePreviewSaid_andTheViewAfterIsThePreviewsToTheWei()
            throws Exception {
        // An odd amount, so every division on the way rounds.
        depositRent(LocalSystem.usd(1_234).add(BigInteger.valueOf(567_891)));
        chain.advance(Duration.ofDays(30));
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            PositionInputs in = pool.positionInputs(chain.market, borrower);
            PoolRent rent = pool.poolRent(chain.market, in.blockNumber());
            PositionMath math = PositionMath.of(in);
            LendingPool.PositionView before = chain.view(borrower, in.blockNumber());
            assertTrue(before.claimableRent.signum() > 0, "rent reached the locked collateral");
            assertEquals(
                    before.claimableRent,
                    math.claimableRent(rent),
                    "claimable rent as the pool's view");

            PoolReceipt r = pool.repayWithRent(chain.market);

            assertEquals(PoolAction.REPAY_WITH_RENT, r.action());
            assertEquals(
                    in.blockNumber() + 1, r.blockNumber(), "nothing else was mined in between");
            PositionPreview preview =
                    math.at(chain.timestamp(r.blockNumber())).previewRepayWithRent(rent);
            assertFalse(preview.reverts());
            assertEquals(
                    before.claimableRent,
                    r.assets().baseUnits(),
                    "the rent is below the debt: all of it repays");
            assertEquals(preview.assets(), r.assets());
            assertEquals(preview.shares(), r.shares());
            LendingPool.PositionView after = chain.view(borrower, r.blockNumber());
            assertEquals(after.debt, preview.after().debt().baseUnits());
            assertEquals(after.healthFactor, preview.after().healthFactor().toWad().raw());
            assertEquals(after.ltv, preview.after().ltv().raw());
            assertEquals(BigInteger.ZERO, after.claimableRent);
            assertTrue(
                    preview.after()
                                    .healthFactor()
                                    .compareTo(
                                            math.at(chain.timestamp(r.blockNumber()))
                                                    .healthFactor())
                            > 0,
                    "repaying raised the health factor");

            // No rent left: the pool refuses, decoded, before anything is sent; the preview says
            // the same.
            ContractRevertException e =
                    assertThrows(
                            ContractRevertException.class, () -> pool.repayWithRent(chain.market));
            assertEquals(ContractError.ZERO_AMOUNT, e.revert().error());
            assertFalse(e.mined());
            PositionInputs now = pool.positionInputs(chain.market, borrower);
            PositionPreview refused =
                    PositionMath.of(now)
                            .previewRepayWithRent(pool.poolRent(chain.market, now.blockNumber()));
            assertEquals(ContractError.ZERO_AMOUNT, refused.revert().orElseThrow().error());
        }
    }

    @Test
    void claimRent_paysTheClaimableRentOfTheViewToTheSigner() throws Exception {
        depositRent(LocalSystem.usd(2_500).add(BigInteger.valueOf(333_333)));
        try (FreeholdPool pool = chain.pool(chain.borrower)) {
            long block = chain.head();
            BigInteger claimable = chain.view(borrower, block).claimableRent;
            assertEquals(
                    claimable,
                    PositionMath.of(pool.positionInputs(chain.market, borrower, block))
                            .claimableRent(pool.poolRent(chain.market, block)));
            BigInteger balanceBefore =
                    chain.stablecoin(chain.admin).balanceOf(borrower.toLowerCaseHex()).send();

            PoolReceipt r = pool.claimRent(chain.market);

            assertEquals(PoolAction.CLAIM_RENT, r.action());
            assertEquals(claimable, r.assets().baseUnits());
            assertEquals(6, r.assets().decimals(), "in the rent token, mUSD");
            BigInteger balanceAfter =
                    chain.stablecoin(chain.admin).balanceOf(borrower.toLowerCaseHex()).send();
            assertEquals(claimable, balanceAfter.subtract(balanceBefore));
            assertEquals(BigInteger.ZERO, chain.view(borrower).claimableRent);

            ContractRevertException e =
                    assertThrows(
                            ContractRevertException.class,
                            () ->
                                    pool.claimRent(
                                            chain.market,
                                            Address.fromHex(
                                                    "0x0000000000000000000000000000000000000000")));
            assertEquals(ContractError.ZERO_ADDRESS, e.revert().error());
            assertFalse(e.mined());
        }
    }
}
