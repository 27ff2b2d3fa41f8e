package io.freehold.node.aave;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.aave.local.AaveLocalMarket;
import io.freehold.aave.local.ChainWriter;
import io.freehold.proto.v1.AttemptKind;
import io.freehold.proto.v1.AttemptStatus;
import io.freehold.proto.v1.LiquidationAttempt;
import io.freehold.proto.v1.LiquidationServiceGrpc;
import io.freehold.proto.v1.ListAttemptsRequest;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * A node in EXECUTE mode on the real local Aave market liquidates by itself, exactly once: the
 * property falls 20 % (health factor about 0.87, so the whole debt may be repaid) and the node's
 * liquidator sends the {@code liquidationCall} the preview sizes, seen by the opportunities stream
 * as {@code node_will_act}; one {@code LiquidationCall} by the node's address, the account's
 * figures afterwards the pool's; a node restarted after it recorded its attempt, whose transaction
 * never reached the chain, broadcasts the recorded transaction again rather than a second one; a
 * reorg that orphans the node's liquidation makes it liquidate again, once.
 */
class AaveNodeLiquidatesTest {

    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    @TempDir Path dir;

    @Test
    void aPriceFallMakesTheNodeLiquidateTheAccountOnce() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            Scenario s = new Scenario(chain);
            long nonceBefore = s.liquidatorNonce();
            EmbeddedServer node = start(chain, props(chain, 3));
            try (Api api = new Api(node)) {
                BlockingQueue<OpportunityEvent> events = api.watch();
                waitFor(() -> events.stream().anyMatch(OpportunityEvent::hasSnapshotEnd));

                s.fall();
                OpportunityEvent seen = api.next(events, OpportunityEvent::hasOpportunity);
                assertThat(seen.getOpportunity().getPosition().getAccount()).isEqualTo(s.account());
                assertThat(seen.getOpportunity().getNodeWillAct())
                        .as(seen.getOpportunity().getNodeSkipReason())
                        .isTrue();

                waitFor(() -> s.liquidationCalls().size() == 1);
                // Final after 3 blocks: the attempt ends MINED with the event's figures.
                for (int i = 0; i < 3; i++) {
                    chain.passTime(12);
                }
                LiquidationAttempt mined =
                        waitForAttempt(
                                api, a -> a.getStatus() == AttemptStatus.ATTEMPT_STATUS_MINED);
                assertThat(mined.getKind())
                        .isEqualTo(AttemptKind.ATTEMPT_KIND_AAVE_LIQUIDATION_CALL);
                assertThat(mined.getBorrower()).isEqualTo(s.account());

                List<Log> calls = s.liquidationCalls();
                assertThat(calls).hasSize(1);
                assertThat(userOf(calls.get(0))).isEqualTo(s.account());
                assertThat(calls.get(0).getTransactionHash())
                        .isEqualTo(mined.getTransactionHashes(0));
                assertThat(new BigInteger(mined.getRepaidAssets()))
                        .isEqualTo(debtPaid(calls.get(0)));
                assertThat(s.liquidatorNonce())
                        .as("the node sent one transaction")
                        .isEqualTo(nonceBefore + 1);
                assertThat(sentAttempts(api)).hasSize(1);
                s.assertBookIsThePools(node);
            } finally {
                node.getApplicationContext().close();
            }
        }
    }

    @Test
    void theNodeDoesNotApproveThePoolButLiquidatesOnceTheOperatorHas() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            Scenario s = new Scenario(chain);
            ChainWriter operator = chain.account(3); // the liquidator's key, used by hand
            operator.send(
                    chain.usd(),
                    "approve",
                    AaveChain.addr(chain.market.pool()),
                    AaveChain.uint(BigInteger.ZERO));
            long nonceBefore = s.liquidatorNonce();
            Map<String, Object> props = props(chain, 3);
            props.put("freehold.node.liquidator.cooldown", "1s");
            EmbeddedServer node = start(chain, props);
            try (Api api = new Api(node)) {
                BlockingQueue<OpportunityEvent> events = api.watch();
                waitFor(() -> events.stream().anyMatch(OpportunityEvent::hasSnapshotEnd));

                s.fall();
                OpportunityEvent seen = api.next(events, OpportunityEvent::hasOpportunity);
                assertThat(seen.getOpportunity().getNodeWillAct()).isFalse();
                assertThat(seen.getOpportunity().getNodeSkipReason())
                        .contains("INSUFFICIENT_ALLOWANCE", "approve the pool once");
                LiquidationAttempt skipped =
                        waitForAttempt(
                                api, a -> a.getStatus() == AttemptStatus.ATTEMPT_STATUS_SKIPPED);
                assertThat(skipped.getReason()).contains("has approved pool");
                assertThat(s.liquidatorNonce()).as("nothing sent").isEqualTo(nonceBefore);
                assertThat(s.liquidationCalls()).isEmpty();

                operator.send(
                        chain.usd(),
                        "approve",
                        AaveChain.addr(chain.market.pool()),
                        AaveChain.uint(MAX));
                waitFor(() -> s.liquidationCalls().size() == 1);
                for (int i = 0; i < 3; i++) {
                    chain.passTime(12);
                }
                waitForAttempt(api, a -> a.getStatus() == AttemptStatus.ATTEMPT_STATUS_MINED);
                assertThat(s.liquidationCalls()).hasSize(1);
                assertThat(s.liquidatorNonce())
                        .as("the operator's approval and the node's liquidation")
                        .isEqualTo(nonceBefore + 2);
                assertThat(sentAttempts(api)).hasSize(1);
                s.assertBookIsThePools(node);
            } finally {
                node.getApplicationContext().close();
            }
        }
    }

    @Test
    void aNodeRestartedAfterRecordingItsAttemptDoesNotSendTwice() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            Scenario s = new Scenario(chain);
            long nonceBefore = s.liquidatorNonce();
            s.fall(); // while no node runs
            Map<String, Object> props = props(chain, 3);
            chain.rpc("evm_setAutomine", false);
            String first;
            EmbeddedServer node = start(chain, props);
            try (Api api = new Api(node)) {
                // Recorded and broadcast, not mined: the chain does not move.
                first =
                        waitForAttempt(
                                        api,
                                        a ->
                                                a.getStatus()
                                                        == AttemptStatus.ATTEMPT_STATUS_IN_FLIGHT)
                                .getTransactionHashes(0);
            } finally {
                node.getApplicationContext().close();
            }
            // As if the node had died between recording the attempt and broadcasting it.
            chain.rpc("anvil_dropAllTransactions");
            assertThat(chain.anvil.web3j().ethGetTransactionByHash(first).send().getTransaction())
                    .isEmpty();

            node = start(chain, props);
            try (Api api = new Api(node)) {
                waitFor(
                        () -> {
                            try {
                                return chain.anvil
                                        .web3j()
                                        .ethGetTransactionByHash(first)
                                        .send()
                                        .getTransaction()
                                        .isPresent();
                            } catch (Exception e) {
                                return false;
                            }
                        });
                chain.rpc("evm_setAutomine", true);
                for (int i = 0; i < 4; i++) {
                    chain.passTime(12);
                }
                LiquidationAttempt mined =
                        waitForAttempt(
                                api, a -> a.getStatus() == AttemptStatus.ATTEMPT_STATUS_MINED);
                assertThat(mined.getTransactionHashesList()).containsExactly(first);
                List<Log> calls = s.liquidationCalls();
                assertThat(calls).hasSize(1);
                assertThat(calls.get(0).getTransactionHash()).isEqualTo(first);
                assertThat(s.liquidatorNonce()).isEqualTo(nonceBefore + 1);
                assertThat(sentAttempts(api)).hasSize(1);
                s.assertBookIsThePools(node);
            } finally {
                node.getApplicationContext().close();
            }
        }
    }

    @Test
    void aReorgThatOrphansTheLiquidationMakesTheNodeLiquidateAgainOnce() throws Exception {
        try (AaveChain chain = new AaveChain()) {
            Scenario s = new Scenario(chain);
            EmbeddedServer node = start(chain, props(chain, 5));
            try (Api api = new Api(node)) {
                waitFor(() -> s.appliedBlock(node) == s.head());
                Object beforeFall = chain.snapshot();
                s.fall();
                waitFor(() -> s.liquidationCalls().size() == 1);
                String orphaned = s.liquidationCalls().get(0).getTransactionHash();
                waitForAttempt(
                        api, a -> a.getStatus() == AttemptStatus.ATTEMPT_STATUS_MINED_UNCONFIRMED);

                // The fall and the liquidation are reorged away; the fall happens again on the
                // new branch. The node either sends its recorded liquidation again at the same
                // nonce, or (if it looked before the fall was back) cancels it and liquidates anew.
                chain.revert(beforeFall);
                assertThat(s.liquidationCalls()).isEmpty();
                s.fall();

                // A cancel must be final before the account is planned again: blocks are mined
                // until the node's liquidation is on the chain, then until it is final.
                waitFor(
                        () -> {
                            if (s.liquidationCalls().size() == 1) {
                                return true;
                            }
                            s.mine();
                            return false;
                        });
                for (int i = 0; i < 5; i++) {
                    chain.passTime(12);
                }
                String liquidation = s.liquidationCalls().get(0).getTransactionHash();
                LiquidationAttempt mined =
                        waitForAttempt(
                                api,
                                a ->
                                        a.getStatus() == AttemptStatus.ATTEMPT_STATUS_MINED
                                                && a.getTransactionHashesList()
                                                        .contains(liquidation));
                assertThat(mined.getKind())
                        .isEqualTo(AttemptKind.ATTEMPT_KIND_AAVE_LIQUIDATION_CALL);
                List<Log> calls = s.liquidationCalls();
                assertThat(calls).hasSize(1);
                assertThat(userOf(calls.get(0))).isEqualTo(s.account());
                assertThat(
                                api.attempts().stream()
                                        .filter(
                                                a ->
                                                        a.getStatus()
                                                                == AttemptStatus
                                                                        .ATTEMPT_STATUS_MINED)
                                        .count())
                        .as("one liquidation mined; the orphaned one sent again or given up")
                        .isEqualTo(1);
                assertThat(
                                api.attempts().stream()
                                        .filter(
                                                a ->
                                                        a.getTransactionHashesList()
                                                                .contains(orphaned))
                                        .map(LiquidationAttempt::getStatus))
                        .as(
                                "the orphaned liquidation's attempt: sent again and mined, or cancelled")
                        .containsAnyOf(
                                AttemptStatus.ATTEMPT_STATUS_MINED,
                                AttemptStatus.ATTEMPT_STATUS_GAVE_UP);
                s.assertBookIsThePools(node);
            } finally {
                node.getApplicationContext().close();
            }
        }
    }

    /** A lender, a borrower at 99 % of its borrowing power, and the liquidator funded. */
    static final class Scenario {
        final AaveChain chain;
        final ChainWriter borrower;
        final Credentials liquidator;

        Scenario(AaveChain chain) throws Exception {
            this.chain = chain;
            ChainWriter lender = chain.account(1);
            this.borrower = chain.account(2);
            ChainWriter liquidatorAccount = chain.account(3);
            this.liquidator = chain.anvil.credentials(3);
            for (ChainWriter who : List.of(lender, borrower, liquidatorAccount)) {
                chain.fund(who); // the liquidator's approval of the pool is the operator's
            }
            chain.openLoan(lender, 10_000_000, borrower, 1_000, 99);
        }

        String account() {
            return Address.of(borrower.address()).hex();
        }

        /** The property falls 20 %: health factor about 0.87, the whole debt may be repaid. */
        void fall() throws Exception {
            chain.setPropertyPrice(
                    AaveLocalMarket.PROPERTY_PRICE
                            .multiply(BigInteger.valueOf(8))
                            .divide(BigInteger.TEN));
        }

        long liquidatorNonce() throws Exception {
            return chain.anvil
                    .web3j()
                    .ethGetTransactionCount(
                            liquidator.getAddress(), DefaultBlockParameterName.LATEST)
                    .send()
                    .getTransactionCount()
                    .longValueExact();
        }

        /** One more block, 12 s later. */
        void mine() {
            try {
                chain.passTime(12);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        long head() {
            try {
                return chain.head();
            } catch (Exception e) {
                return -1;
            }
        }

        long appliedBlock(EmbeddedServer node) {
            return node.getApplicationContext()
                    .getBean(AaveFollowingService.class)
                    .follower()
                    .appliedBlock();
        }

        /** Every {@code LiquidationCall} on the chain as it is, whose liquidator is the node's. */
        List<Log> liquidationCalls() {
            return AaveNodeLiquidatesTest.liquidationCalls(chain, liquidator.getAddress());
        }

        /**
         * Once the node has applied the head: the account's figures in its book are the pool's
         * {@code getUserAccountData} at that block.
         */
        void assertBookIsThePools(EmbeddedServer node) throws Exception {
            long head = chain.head();
            waitFor(() -> appliedBlock(node) == head);
            AppliedAaveBook applied =
                    node.getApplicationContext()
                            .getBean(AaveFollowingService.class)
                            .follower()
                            .applied()
                            .orElseThrow();
            assertThat(applied.block().number()).isEqualTo(head);
            assertThat(applied.accountData(Address.of(borrower.address())))
                    .isEqualTo(chain.accountData(borrower.address(), head));
            assertThat(applied.accountData(Address.of(borrower.address())).healthFactor())
                    .isGreaterThanOrEqualTo(AaveOpportunities.LIQUIDATION_THRESHOLD);
        }
    }

    /** The node's gRPC API. */
    static final class Api implements AutoCloseable {
        final ManagedChannel channel;

        Api(EmbeddedServer node) {
            int port = node.getApplicationContext().getBean(GrpcEmbeddedServer.class).getPort();
            this.channel =
                    ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        }

        List<LiquidationAttempt> attempts() {
            return LiquidationServiceGrpc.newBlockingStub(channel)
                    .listAttempts(ListAttemptsRequest.newBuilder().setPageSize(100).build())
                    .getAttemptsList();
        }

        BlockingQueue<OpportunityEvent> watch() {
            BlockingQueue<OpportunityEvent> events = new LinkedBlockingQueue<>();
            LiquidationServiceGrpc.newStub(channel)
                    .watchOpportunities(
                            WatchOpportunitiesRequest.getDefaultInstance(),
                            new StreamObserver<>() {
                                @Override
                                public void onNext(OpportunityEvent value) {
                                    events.add(value);
                                }

                                @Override
                                public void onError(Throwable t) {}

                                @Override
                                public void onCompleted() {}
                            });
            return events;
        }

        OpportunityEvent next(
                BlockingQueue<OpportunityEvent> events,
                java.util.function.Predicate<OpportunityEvent> wanted)
                throws InterruptedException {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < giveUp) {
                OpportunityEvent e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && wanted.test(e)) {
                    return e;
                }
            }
            throw new AssertionError("no such event within a minute");
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Every {@code LiquidationCall} on the chain as it is whose liquidator is {@code by}. */
    static List<Log> liquidationCalls(AaveChain chain, String by) {
        try {
            EthFilter filter =
                    new EthFilter(
                            DefaultBlockParameter.valueOf(
                                    BigInteger.valueOf(chain.market.startBlock())),
                            DefaultBlockParameterName.LATEST,
                            chain.market.pool());
            filter.addSingleTopic(AaveLiquidationProtocol.LIQUIDATION_CALL_TOPIC);
            EthLog answer = chain.anvil.web3j().ethGetLogs(filter).send();
            return answer.getLogs().stream()
                    .map(r -> (Log) r.get())
                    .filter(
                            l ->
                                    Address.of(
                                                    "0x"
                                                            + l.getData()
                                                                    .substring(
                                                                            2 + 64 * 2 + 24,
                                                                            2 + 64 * 3))
                                            .equals(Address.of(by)))
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The attempts that sent something (not the preflight's refusals). */
    static List<LiquidationAttempt> sentAttempts(Api api) {
        return api.attempts().stream()
                .filter(a -> a.getStatus() != AttemptStatus.ATTEMPT_STATUS_SKIPPED)
                .toList();
    }

    static LiquidationAttempt waitForAttempt(
            Api api, java.util.function.Predicate<LiquidationAttempt> wanted) {
        LiquidationAttempt[] found = {null};
        waitFor(
                () -> {
                    found[0] = api.attempts().stream().filter(wanted).findFirst().orElse(null);
                    return found[0] != null;
                });
        return found[0];
    }

    static String userOf(Log log) {
        return Address.of("0x" + log.getTopics().get(3).substring(26)).hex();
    }

    private static BigInteger debtPaid(Log log) {
        return new BigInteger(log.getData().substring(2, 66), 16);
    }

    /** Polls {@code condition} until it holds; fails after two minutes. */
    static void waitFor(BooleanSupplier condition) {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("condition not met within two minutes");
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(50); // a poll interval, not a wait for time: the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    private static EmbeddedServer start(AaveChain chain, Map<String, Object> props) {
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    /** A node in EXECUTE mode with account 3's key, {@code confirmations} blocks to finality. */
    private Map<String, Object> props(AaveChain chain, int confirmations) throws Exception {
        return executingProps(chain, dir, confirmations);
    }

    /**
     * A node in EXECUTE mode with account 3's key (a keystore in {@code dir}), its H2 store in
     * {@code dir}, {@code confirmations} blocks to finality.
     */
    static Map<String, Object> executingProps(AaveChain chain, Path dir, int confirmations)
            throws Exception {
        Map<String, Object> props = chain.nodeProperties(dir);
        // $3,000 a coin in the market's base currency (1e8 per dollar).
        props.put("freehold.node.aave.native-price", "300000000000");
        props.put("freehold.node.confirmations", confirmations);
        props.put("freehold.node.liquidator.mode", "execute");
        props.put("freehold.node.liquidator.poll-interval", "50ms");
        props.put("freehold.node.liquidator.stuck-after", "10m");
        props.put("freehold.node.liquidator.priority-fee-per-gas", "1000000000");
        Path keys = dir.resolve("keys");
        if (!Files.isDirectory(keys)) {
            Files.createDirectories(keys);
            String keystore =
                    WalletUtils.generateWalletFile(
                            "liquidator password",
                            chain.anvil.credentials(3).getEcKeyPair(),
                            keys.toFile(),
                            false);
            Files.move(keys.resolve(keystore), keys.resolve("liquidator.json"));
            Files.writeString(keys.resolve("password"), "liquidator password\n");
        }
        props.put("freehold.node.liquidator.keystore", keys.resolve("liquidator.json").toString());
        props.put(
                "freehold.node.liquidator.keystore-password-file",
                keys.resolve("password").toString());
        return props;
    }
}
