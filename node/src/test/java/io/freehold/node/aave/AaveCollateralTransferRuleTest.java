package io.freehold.node.aave;

import static io.freehold.node.aave.AaveNodeLiquidatesTest.liquidationCalls;
import static io.freehold.node.aave.AaveNodeLiquidatesTest.sentAttempts;
import static io.freehold.node.aave.AaveNodeLiquidatesTest.waitFor;
import static io.freehold.node.aave.AaveNodeLiquidatesTest.waitForAttempt;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.proto.v1.AttemptStatus;
import io.freehold.proto.v1.LiquidationAttempt;
import io.freehold.proto.v1.LiquidationOpportunity;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.types.Address;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.TransactionManager;

/**
 * The local Aave market with Freehold's own {@code PropertyToken} as the property reserve: a token
 * that moves only between holders verified in its identity registry. A node in EXECUTE mode whose
 * liquidator is not verified does not simulate a {@code liquidationCall} that the token would
 * revert: its preflight asks the token's rule first and skips with {@code RECEIVER_NOT_ALLOWED} and
 * a sentence naming the liquidator and the token, in the attempt and in the opportunities stream;
 * nothing is sent (a node in WATCH mode simulating from that address says the same first). Once the
 * registry verifies the liquidator, the node liquidates, once.
 */
class AaveCollateralTransferRuleTest {

    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    @TempDir Path dir;

    @Test
    void aLiquidatorThatIsNotAVerifiedHolderIsToldSoAndLiquidatesOnceVerified() throws Exception {
        String[] freehold = new String[2]; // the identity registry and the property token
        try (AaveChain chain =
                new AaveChain(
                        anvil -> {
                            Credentials issuer = anvil.credentials(5);
                            TransactionManager as = anvil.transactionManager(issuer);
                            IdentityRegistry registry =
                                    IdentityRegistry.deploy(
                                                    anvil.web3j(),
                                                    as,
                                                    LocalSystem.GAS,
                                                    issuer.getAddress())
                                            .send();
                            MockStablecoin rent =
                                    MockStablecoin.deploy(anvil.web3j(), as, LocalSystem.GAS)
                                            .send();
                            PropertyToken token =
                                    PropertyToken.deploy(
                                                    anvil.web3j(),
                                                    as,
                                                    LocalSystem.GAS,
                                                    "0412",
                                                    "0412 Linden Row",
                                                    "REALT-0412",
                                                    "US-MI",
                                                    registry.getContractAddress(),
                                                    rent.getContractAddress(),
                                                    issuer.getAddress())
                                            .send();
                            freehold[0] = registry.getContractAddress();
                            freehold[1] = token.getContractAddress();
                            return AaveLocalMarket.deploy(anvil, token.getContractAddress());
                        })) {
            Credentials issuer = chain.anvil.credentials(5);
            TransactionManager as = chain.anvil.transactionManager(issuer);
            IdentityRegistry registry =
                    IdentityRegistry.load(freehold[0], chain.anvil.web3j(), as, LocalSystem.GAS);
            PropertyToken token =
                    PropertyToken.load(freehold[1], chain.anvil.web3j(), as, LocalSystem.GAS);
            ChainWriter lender = chain.account(1);
            ChainWriter borrower = chain.account(2);
            ChainWriter liquidator = chain.account(3); // the node's key; not verified
            // The property's holders in the pool: the borrower and the aToken that keeps what
            // is supplied (it sends the collateral to a liquidator).
            registry.verifyBatch(List.of(borrower.address(), chain.market.propertyToken().aToken()))
                    .send();
            token.mint(borrower.address(), AaveChain.TOKEN.multiply(BigInteger.valueOf(1_000)))
                    .send();
            borrower.send(
                    chain.property(),
                    "approve",
                    AaveChain.addr(chain.market.pool()),
                    AaveChain.uint(MAX));
            for (ChainWriter who : List.of(lender, borrower, liquidator)) {
                who.send(
                        chain.usd(),
                        "mint",
                        AaveChain.addr(who.address()),
                        AaveChain.uint(AaveChain.USDC.multiply(BigInteger.TEN.pow(9))));
                who.send(
                        chain.usd(),
                        "approve",
                        AaveChain.addr(chain.market.pool()),
                        AaveChain.uint(MAX));
            }
            chain.openLoan(lender, 10_000_000, borrower, 1_000, 99);
            long nonceBefore = nonce(chain, liquidator.address());

            String because =
                    "the liquidator "
                            + Address.of(liquidator.address())
                            + " is not a verified holder of "
                            + Address.of(token.getContractAddress())
                            + " (identity registry "
                            + Address.of(registry.getContractAddress())
                            + ")";

            // A node in WATCH mode simulating from the liquidator's address says the same.
            Map<String, Object> watching =
                    chain.nodeProperties(Files.createDirectories(dir.resolve("watch")));
            watching.put("freehold.node.aave.liquidator", liquidator.address());
            EmbeddedServer watch = ApplicationContext.run(EmbeddedServer.class, watching);
            try (AaveNodeLiquidatesTest.Api api = new AaveNodeLiquidatesTest.Api(watch)) {
                BlockingQueue<OpportunityEvent> events = api.watch();
                waitFor(() -> events.stream().anyMatch(OpportunityEvent::hasSnapshotEnd));
                chain.setPropertyPrice(
                        AaveLocalMarket.PROPERTY_PRICE
                                .multiply(BigInteger.valueOf(8))
                                .divide(BigInteger.TEN));
                LiquidationOpportunity seen =
                        api.next(events, OpportunityEvent::hasOpportunity).getOpportunity();
                assertThat(seen.getLiquidatable()).isTrue();
                assertThat(seen.getNodeWillAct()).isFalse();
                assertThat(seen.getNodeSkipReason()).contains("RECEIVER_NOT_ALLOWED", because);
            } finally {
                watch.getApplicationContext().close();
            }

            Map<String, Object> props = AaveNodeLiquidatesTest.executingProps(chain, dir, 3);
            props.put("freehold.node.liquidator.cooldown", "1s");
            EmbeddedServer node = ApplicationContext.run(EmbeddedServer.class, props);
            try (AaveNodeLiquidatesTest.Api api = new AaveNodeLiquidatesTest.Api(node)) {
                BlockingQueue<OpportunityEvent> events = api.watch();
                // In the snapshot, or as an opportunity if the node was still catching up.
                OpportunityEvent first =
                        api.next(events, e -> e.hasSnapshot() || e.hasOpportunity());
                LiquidationOpportunity seen =
                        first.hasSnapshot() ? first.getSnapshot() : first.getOpportunity();
                assertThat(seen.getLiquidatable()).isTrue();
                assertThat(seen.getNodeWillAct()).isFalse();
                // The preflight's refusal, or the cooldown after it once the attempt is recorded.
                assertThat(seen.getNodeSkipReason()).contains("RECEIVER_NOT_ALLOWED", because);
                LiquidationAttempt skipped =
                        waitForAttempt(
                                api, a -> a.getStatus() == AttemptStatus.ATTEMPT_STATUS_SKIPPED);
                assertThat(skipped.getReason()).contains(because, "transfer rule");
                assertThat(nonce(chain, liquidator.address()))
                        .as("nothing sent")
                        .isEqualTo(nonceBefore);
                assertThat(liquidationCalls(chain, liquidator.address())).isEmpty();

                // The registry verifies the liquidator: the rule lets it receive the property.
                registry.verify(liquidator.address()).send();
                waitFor(() -> liquidationCalls(chain, liquidator.address()).size() == 1);
                for (int i = 0; i < 3; i++) {
                    chain.passTime(12);
                }
                waitForAttempt(api, a -> a.getStatus() == AttemptStatus.ATTEMPT_STATUS_MINED);
                assertThat(liquidationCalls(chain, liquidator.address())).hasSize(1);
                assertThat(nonce(chain, liquidator.address())).isEqualTo(nonceBefore + 1);
                assertThat(sentAttempts(api)).hasSize(1);
                assertThat(token.balanceOf(liquidator.address()).send())
                        .as("the seized property is the liquidator's")
                        .isPositive();
            } finally {
                node.getApplicationContext().close();
            }
        }
    }

    private static long nonce(AaveChain chain, String account) throws Exception {
        return chain.anvil
                .web3j()
                .ethGetTransactionCount(account, DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount()
                .longValueExact();
    }
}
