package io.freehold.contracts.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.LendingPool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.utils.Numeric;

/**
 * The operators' path: forge script deploys, writes JSON, Java reads it and finds live contracts.
 */
class ForgeDeployTest {

    @TempDir Path dir;

    @Test
    void theDeployScriptWritesADeploymentJavaCanUse() throws Exception {
        try (Anvil anvil = Anvil.start()) {
            Path file = dir.resolve("local.json");
            Deployment deployment = ForgeDeploy.run(FoundryProject.locate(), anvil.rpcUrl(), file);

            assertThat(deployment.chainId()).isEqualTo(anvil.chainId());
            assertThat(deployment.markets()).hasSize(3);
            assertThat(deployment.accounts().borrower())
                    .isEqualToIgnoringCase(anvil.credentials(2).getAddress());
            LendingPool pool = LocalSystem.pool(anvil, deployment, anvil.credentials(0));
            for (Deployment.MarketEntry market : deployment.markets().values()) {
                byte[] id = pool.marketId(market.propertyToken(), deployment.stablecoin()).send();
                assertThat(Numeric.toHexString(id)).isEqualTo(market.id());
            }
            byte[] first = Numeric.hexStringToByteArray(deployment.market("FH-DET-0412").id());
            LendingPool.PositionView view =
                    pool.position(first, deployment.accounts().borrower()).send();
            assertThat(view.collateral).isEqualTo(LocalSystem.tokens(400));
            assertThat(view.debt).isGreaterThanOrEqualTo(LocalSystem.usd(12_000));
            assertThat(deployment.dutchAuction()).isNotNull();
        }
    }

    @Test
    void withTheAuctionMarketTheScriptListsTheSameMarketAsLocalSystem() throws Exception {
        try (Anvil anvil = Anvil.start()) {
            Deployment deployment =
                    ForgeDeploy.run(
                            FoundryProject.locate(),
                            anvil.rpcUrl(),
                            dir.resolve("auction.json"),
                            LocalSystem.Options.withAuctionMarket());

            assertThat(deployment.markets()).hasSize(4);
            byte[] id =
                    Numeric.hexStringToByteArray(
                            deployment.market(LocalSystem.AUCTION_PROPERTY.id()).id());
            LendingPool pool = LocalSystem.pool(anvil, deployment, anvil.credentials(0));
            LendingPool.LiquidationTerms terms = pool.liquidationTerms(id).send();
            assertThat(terms.auction).isEqualToIgnoringCase(deployment.dutchAuction());
            assertThat(terms.cureWindow.longValueExact())
                    .isEqualTo(LocalSystem.AUCTION_CURE_WINDOW_SECONDS);
            DutchAuction auction = LocalSystem.auction(anvil, deployment, anvil.credentials(0));
            LendingPool.AuctionParams local = LocalSystem.auctionParams();
            DutchAuction.AuctionParams deployed = auction.auctionParams(id).send();
            assertThat(
                            List.of(
                                    deployed.startPremium,
                                    deployed.floorRatio,
                                    deployed.duration,
                                    deployed.penalty,
                                    deployed.keeperFlatFee,
                                    deployed.keeperFeeRate,
                                    deployed.keeperFeeCap,
                                    deployed.maxPaidRestarts))
                    .isEqualTo(
                            List.of(
                                    local.startPremium,
                                    local.floorRatio,
                                    local.duration,
                                    local.penalty,
                                    local.keeperFlatFee,
                                    local.keeperFeeRate,
                                    local.keeperFeeCap,
                                    local.maxPaidRestarts));
            assertThat(pool.market(id).send().totalSupplyAssets)
                    .isEqualTo(LocalSystem.usd(500_000));
        }
    }
}
