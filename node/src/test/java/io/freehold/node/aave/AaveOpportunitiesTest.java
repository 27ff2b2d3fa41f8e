package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.ChainWriter;
import io.freehold.contracts.math.aave.AccountData;
import io.freehold.proto.v1.AaveAccount;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.proto.v1.WatchOpportunitiesRequest;
import io.freehold.types.Address;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.datatypes.Bool;

/**
 * {@code WatchOpportunities} of a node following the real local Aave market: a borrower at the edge
 * of its LTV is not an opportunity; the property's price falls 30 % and it is one, with {@code
 * getUserAccountData}'s figures at the event's block; the fall is reorged away (a retraction),
 * falls again for real, and a liquidation by another account changes or ends the opportunity as the
 * pool says.
 */
class AaveOpportunitiesTest {

    @TempDir Path dir;

    @Test
    void aPriceFallMakesTheBorrowerAnOpportunityWithThePoolsFigures() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            ChainWriter lender = chain.account(1);
            ChainWriter borrower = chain.account(2);
            ChainWriter liquidator = chain.account(3);
            for (ChainWriter who : List.of(lender, borrower, liquidator)) {
                chain.fund(who);
            }
            chain.openLoan(lender, 10_000_000, borrower, 1_000, 99);
            String account = Address.of(borrower.address()).hex();
            // The liquidator has not approved the pool yet: its simulated liquidationCall reverts.
            liquidator.send(
                    chain.usd(),
                    "approve",
                    AaveChain.addr(chain.market.pool()),
                    AaveChain.uint(BigInteger.ZERO));

            Map<String, Object> props = props(chain);
            props.put("freehold.node.aave.liquidator", liquidator.address());
            EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
            ManagedChannel channel = null;
            try {
                int port =
                        server.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
                channel =
                        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
                BlockingQueue<OpportunityEvent> events = new LinkedBlockingQueue<>();
                LiquidationServiceGrpc.newStub(channel)
                        .watchOpportunities(
                                WatchOpportunitiesRequest.getDefaultInstance(), collect(events));

                OpportunityEvent end = next(events, OpportunityEvent::hasSnapshotEnd);
                assertThat(end.getSnapshotEnd().getPositions()).as("healthy at the start").isZero();

                Object beforeFall = chain.snapshot();
                BigInteger fallen =
                        AaveLocalMarket.PROPERTY_PRICE
                                .multiply(BigInteger.valueOf(7))
                                .divide(BigInteger.TEN);
                chain.setPropertyPrice(fallen);
                OpportunityEvent first = next(events, OpportunityEvent::hasOpportunity);
                assertThat(first.getOpportunity().getPosition().getAccount()).isEqualTo(account);
                assertThat(first.getOpportunity().getLiquidatable()).isTrue();
                assertThat(first.getOpportunity().getNodeWillAct()).isFalse();
                assertThatFiguresAreThePools(chain, borrower, first);
                assertThat(first.getOpportunity().getNodeSkipReason())
                        .contains("reverts at block " + first.getCursor().getBlockNumber());

                // The fall is reorged away: the node withdraws what it sent for the orphaned
                // blocks.
                chain.revert(beforeFall);
                chain.passTime(600);
                chain.passTime(600);
                OpportunityEvent retracted = next(events, OpportunityEvent::hasRetracted);
                assertThat(retracted.getRetracted().getOrphanedBlocks()).isPositive();

                // It falls for real (health factor about 0.76); then a liquidator repays half the
                // debt (within the close factor: all of it below a health factor of 0.95).
                liquidator.send(
                        chain.usd(),
                        "approve",
                        AaveChain.addr(chain.market.pool()),
                        AaveChain.uint(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)));
                chain.setPropertyPrice(fallen);
                OpportunityEvent again = next(events, OpportunityEvent::hasOpportunity);
                assertThatFiguresAreThePools(chain, borrower, again);
                // Sized as the pool would do it at the event's block (AaveLiquidationPreviewTest
                // holds the preview to the pool's own liquidationCall).
                var sized = again.getOpportunity();
                assertThat(sized.getAave().getCollateralAsset())
                        .isEqualTo(Address.of(chain.property()).hex());
                assertThat(sized.getAave().getDebtAsset()).isEqualTo(Address.of(chain.usd()).hex());
                assertThat(sized.getAave().getCloseFactorBps()).isEqualTo(10_000);
                assertThat(new BigInteger(sized.getMaxRepay())).isPositive();
                assertThat(new BigInteger(sized.getSeizedCollateral())).isPositive();
                // Simulated from the configured liquidator (funded, the pool approved): it passes.
                assertThat(sized.getNodeSkipReason())
                        .contains("passes eth_call at block " + again.getCursor().getBlockNumber());
                BigInteger debtUsdc = new BigInteger(sized.getMaxRepay());
                // The liquidation's own block, from its receipt (not the head read after it).
                long liquidatedAt =
                        liquidator
                                .send(
                                        chain.market.pool(),
                                        "liquidationCall",
                                        AaveChain.addr(chain.property()),
                                        AaveChain.addr(chain.usd()),
                                        AaveChain.addr(borrower.address()),
                                        AaveChain.uint(debtUsdc.divide(BigInteger.TWO)),
                                        new Bool(false))
                                .getBlockNumber()
                                .longValueExact();
                OpportunityEvent after =
                        next(
                                events,
                                e ->
                                        e.getCursor().getBlockNumber() == liquidatedAt
                                                && (e.hasOpportunity() || e.hasGone()));
                AccountData pool = chain.accountData(borrower.address(), liquidatedAt);
                if (after.hasGone()) {
                    assertThat(after.getGone().getAccount()).isEqualTo(account);
                    assertThat(pool.healthFactor())
                            .isGreaterThanOrEqualTo(AaveOpportunities.LIQUIDATION_THRESHOLD);
                } else {
                    assertThatFiguresAreThePools(chain, borrower, after);
                    assertThat(pool.totalDebtBase())
                            .isLessThan(
                                    new BigInteger(
                                            again.getOpportunity()
                                                    .getPosition()
                                                    .getAave()
                                                    .getTotalDebtBase()));
                }
            } finally {
                if (channel != null) {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
                server.getApplicationContext().close();
            }
        }
    }

    private static void assertThatFiguresAreThePools(
            AaveChain chain, ChainWriter borrower, OpportunityEvent event) throws Exception {
        AaveAccount a = event.getOpportunity().getPosition().getAave();
        assertThat(
                        new AccountData(
                                new BigInteger(a.getTotalCollateralBase()),
                                new BigInteger(a.getTotalDebtBase()),
                                new BigInteger(a.getAvailableBorrowsBase()),
                                new BigInteger(a.getCurrentLiquidationThreshold()),
                                new BigInteger(a.getLtv()),
                                new BigInteger(a.getHealthFactor())))
                .isEqualTo(
                        chain.accountData(borrower.address(), event.getCursor().getBlockNumber()));
    }

    /**
     * The next event matching {@code wanted}, skipping others; fails after two minutes without one.
     */
    private static OpportunityEvent next(
            BlockingQueue<OpportunityEvent> events, Predicate<OpportunityEvent> wanted)
            throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < giveUp) {
            OpportunityEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no such event within two minutes");
    }

    private static StreamObserver<OpportunityEvent> collect(
            BlockingQueue<OpportunityEvent> events) {
        return new StreamObserver<>() {
            @Override
            public void onNext(OpportunityEvent value) {
                events.add(value);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }

    private Map<String, Object> props(AaveChain chain) {
        Map<String, Object> props = chain.nodeProperties(dir);
        return props;
    }
}
