package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.math.aave.AaveEvents;
import io.freehold.contracts.math.aave.AaveLiquidationPreview;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The liquidation preview on the follower's book against the real {@code liquidationCall} on the
 * local Aave market, in the same block time: the debt repaid and the collateral the liquidator gets
 * equal the pool's {@code LiquidationCall} event, to the wei — with the 50 % close factor (a health
 * factor between 0.95 and 1), the 100 % one (below 0.95), the account's collateral cap, a partial
 * repayment, and the protocol's fee on the bonus.
 */
class AaveLiquidationPreviewTest {

    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    @ParameterizedTest(name = "price x{0}/1000, protocol fee {1} bps, cover {2} % of the debt")
    @CsvSource({
        "900, 0, 100", // health factor ~0.97: half the debt
        "700, 0, 100", // ~0.76: all of it, capped by the collateral
        "700, 1000, 100", // with Aave's usual 10 % of the bonus to the treasury
        "900, 1000, 20", // a partial repayment
        "500, 1000, 100" // deep under water: the collateral runs out first
    })
    void thePreviewEqualsTheLiquidationCall(int pricePermille, int feeBps, int coverPercent)
            throws Exception {
        try (AaveChain chain = new AaveChain();
                ChainRpc rpc =
                        new ChainRpc(
                                RpcConfiguration.builder(List.of(chain.anvil.rpcUrl()))
                                        .requestsPerSecond(0)
                                        .build())) {
            ChainWriter lender = chain.account(1);
            ChainWriter borrower = chain.account(2);
            ChainWriter liquidator = chain.account(3);
            for (ChainWriter who : List.of(lender, borrower, liquidator)) {
                chain.fund(who);
            }
            if (feeBps > 0) {
                chain.admin.send(
                        chain.market.poolConfigurator(),
                        "setLiquidationProtocolFee",
                        AaveChain.addr(chain.property()),
                        new Uint256(feeBps));
            }
            chain.openLoan(lender, 10_000_000, borrower, 1_000, 99);
            chain.passTime(90 * 24 * 3600); // interest: indexes away from one
            chain.setPropertyPrice(
                    AaveLocalMarket.PROPERTY_PRICE
                            .multiply(BigInteger.valueOf(pricePermille))
                            .divide(BigInteger.valueOf(1_000)));

            AaveMarketContracts market =
                    new AaveMarketCheck(rpc)
                            .check(
                                    new AaveConfiguration(
                                            chain.market.addressesProvider(),
                                            null,
                                            null,
                                            null,
                                            chain.market.startBlock(),
                                            null,
                                            null,
                                            null));
            AaveFollower follower = new AaveFollower(rpc, market, 8, 2_000);
            while (follower.step() != AaveFollower.StepResult.AT_HEAD) {
                // catch up
            }
            AppliedAaveBook applied = follower.applied().orElseThrow();
            long at = applied.block().timestamp() + 12;
            Address user = Address.of(borrower.address());
            AaveLiquidationPreview whole =
                    AaveLiquidationPreview.largest(applied.book(), user, at).orElseThrow();
            BigInteger cover =
                    coverPercent == 100
                            ? MAX
                            : whole.debtToCover()
                                    .multiply(BigInteger.valueOf(coverPercent))
                                    .divide(BigInteger.valueOf(100));
            AaveLiquidationPreview preview =
                    AaveLiquidationPreview.of(
                                    applied.book(),
                                    user,
                                    Address.of(chain.property()),
                                    Address.of(chain.usd()),
                                    cover,
                                    at)
                            .orElseThrow();
            assertThat(preview.collateralAsset()).isEqualTo(Address.of(chain.property()));
            assertThat(preview.debtAsset()).isEqualTo(Address.of(chain.usd()));
            assertThat(preview.closeFactorBps()).isEqualTo(pricePermille >= 900 ? 5_000 : 10_000);

            chain.rpc("evm_setNextBlockTimestamp", at);
            TransactionReceipt receipt =
                    liquidator.send(
                            chain.market.pool(),
                            "liquidationCall",
                            AaveChain.addr(chain.property()),
                            AaveChain.addr(chain.usd()),
                            AaveChain.addr(borrower.address()),
                            AaveChain.uint(cover),
                            new Bool(false));
            assertThat(
                            chain.anvil
                                    .web3j()
                                    .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                                    .send()
                                    .getBlock()
                                    .getTimestamp()
                                    .longValueExact())
                    .isEqualTo(at);
            Log event =
                    receipt.getLogs().stream()
                            .filter(l -> l.getTopics().get(0).equalsIgnoreCase(LIQUIDATION_CALL))
                            .findFirst()
                            .orElseThrow();
            String data = event.getData();
            BigInteger debtToCover = new BigInteger(data.substring(2, 66), 16);
            BigInteger collateral = new BigInteger(data.substring(66, 130), 16);
            assertThat(preview.debtToCover()).as("debt repaid").isEqualTo(debtToCover);
            assertThat(preview.collateralToLiquidator())
                    .as("collateral to the liquidator")
                    .isEqualTo(collateral);
            assertThat(preview.incentive()).isPositive();
            if (feeBps > 0) {
                assertThat(preview.protocolFee()).isPositive();
            }
        }
    }

    private static final String LIQUIDATION_CALL =
            AaveEvents.topic(
                    "LiquidationCall(address,address,address,uint256,uint256,address,bool)");
}
