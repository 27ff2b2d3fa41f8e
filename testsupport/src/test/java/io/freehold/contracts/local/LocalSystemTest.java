package io.freehold.contracts.local;

import static io.freehold.contracts.local.LocalSystem.tokens;
import static io.freehold.contracts.local.LocalSystem.usd;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.LendingPool;
import java.math.BigInteger;
import java.math.RoundingMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.utils.Numeric;

/**
 * Deploys the local system through the generated wrappers and reads a position back through a view.
 */
class LocalSystemTest {

    private static final BigInteger WAD = LocalSystem.WAD;
    private static final BigInteger PRICE_SCALE = BigInteger.TEN.pow(36);
    private static final BigInteger VIRTUAL_SHARES = BigInteger.TEN.pow(6);
    private static final BigInteger LLTV = new BigInteger("750000000000000000");

    private static Anvil anvil;
    private static Deployment deployment;

    @BeforeAll
    static void deploy() throws Exception {
        anvil = Anvil.start();
        deployment = LocalSystem.deploy(anvil);
    }

    @AfterAll
    static void stop() {
        anvil.close();
    }

    @Test
    void everyPropertyHasAMarketWhoseIdIsDerivedFromItsTokens() throws Exception {
        LendingPool pool = LocalSystem.pool(anvil, deployment, anvil.credentials(0));
        assertThat(deployment.markets().keySet())
                .containsExactly("FH-CLE-1177", "FH-DET-0412", "FH-MEM-2290");
        for (Deployment.MarketEntry market : deployment.markets().values()) {
            byte[] id = pool.marketId(market.propertyToken(), deployment.stablecoin()).send();
            assertThat(Numeric.toHexString(id)).isEqualTo(market.id());
            LendingPool.MarketParams params = pool.marketParams(id).send();
            assertThat(params.collateralToken).isEqualToIgnoringCase(market.propertyToken());
            assertThat(params.lltv).isEqualTo(LLTV);
            assertThat(params.liquidationIncentive)
                    .isEqualTo(pool.maxLiquidationIncentive(LLTV).send());
            assertThat(pool.market(id).send().totalSupplyAssets)
                    .isGreaterThanOrEqualTo(usd(500_000));
        }
    }

    @Test
    void theBorrowersPositionViewMatchesTheDocumentedFormulasToTheWei() throws Exception {
        LendingPool pool = LocalSystem.pool(anvil, deployment, anvil.credentials(0));
        // Read every view at one block, so interest accrued to the same second in all of them.
        BigInteger block = anvil.web3j().ethBlockNumber().send().getBlockNumber();
        pool.setDefaultBlockParameter(DefaultBlockParameter.valueOf(block));
        byte[] id = Numeric.hexStringToByteArray(deployment.market("FH-DET-0412").id());
        String borrower = deployment.accounts().borrower();

        LendingPool.PositionView view = pool.position(id, borrower).send();
        LendingPool.Position stored = pool.positionShares(id, borrower).send();
        LendingPool.Market market = pool.market(id).send();
        BigInteger price = LocalSystem.priceOfCents(5_240);

        assertThat(view.collateral).isEqualTo(tokens(400));
        assertThat(view.price).isEqualTo(price);
        assertThat(view.priceStale).isFalse();
        // 400 tokens at $52.40
        BigInteger value = view.collateral.multiply(price).divide(PRICE_SCALE);
        assertThat(value).isEqualTo(usd(20_960));
        assertThat(view.collateralValue).isEqualTo(value);
        // debt = borrowShares × (totalBorrowAssets + 1) / (totalBorrowShares + 1e6), rounded up
        BigInteger debt =
                ceilDiv(
                        stored.borrowShares.multiply(market.totalBorrowAssets.add(BigInteger.ONE)),
                        market.totalBorrowShares.add(VIRTUAL_SHARES));
        assertThat(view.debt).isEqualTo(debt).isGreaterThanOrEqualTo(usd(12_000));
        assertThat(view.ltv).isEqualTo(ceilDiv(debt.multiply(WAD), value));
        assertThat(view.healthFactor)
                .isEqualTo(value.multiply(LLTV).divide(WAD).multiply(WAD).divide(debt));
        assertThat(view.liquidationPrice)
                .isEqualTo(
                        ceilDiv(
                                ceilDiv(debt.multiply(WAD), LLTV).multiply(PRICE_SCALE),
                                view.collateral));
        // At 57% LTV against a 75% LLTV the borrower is healthy, and liquidatable below ~$40 a
        // token.
        assertThat(view.healthFactor).isGreaterThan(WAD);
        assertThat(pool.isLiquidatable(id, borrower).send()).isFalse();
        assertThat(
                        new java.math.BigDecimal(
                                        view.liquidationPrice.multiply(WAD).divide(PRICE_SCALE), 6)
                                .setScale(2, RoundingMode.DOWN))
                .isEqualByComparingTo("40.00");
    }

    private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }
}
