package io.freehold.node.aave;

import static io.freehold.node.aave.AaveNodeLiquidatesTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.aave.local.ChainWriter;
import io.freehold.node.ingest.TestDatabase;
import io.freehold.node.liquidation.LiquidatorLeadership.Role;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.NodeStatus;
import io.freehold.proto.v1.OpportunityEvent;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Two nodes in EXECUTE mode on one Aave pool (the real local market), each with its own H2 state,
 * sharing the liquidator's record and lease on one PostgreSQL (embedded): exactly one holds the
 * lease and says so in {@code GetStatus}; the other is a standby whose opportunities say it sends
 * nothing. The property falls for two accounts; the leader records and broadcasts a {@code
 * liquidationCall} for each and dies before they reach the chain (stopped, its transactions dropped
 * from the mempool); the standby takes the lease with the next epoch, finishes the two attempts the
 * dead leader recorded — the same transactions, sent again — and sends nothing else: one {@code
 * LiquidationCall} per account, the key's nonce up by two, two attempts, both recorded under the
 * first epoch and ended {@code MINED} under the second (the fence stamps each write).
 */
class AaveReplicasTest {

    @TempDir Path dir;

    @Test
    void theNextLeaderFinishesTheAttemptsADeadLeaderRecordedAndNothingIsSentTwice()
            throws Exception {
        try (AaveChain chain = new AaveChain();
                TestDatabase database = TestDatabase.postgres()) {
            database.open(); // the replicas share this one for the attempts and the lease
            String url = ((HikariDataSource) database.dataSource()).getJdbcUrl();
            AaveNodeLiquidatesTest.Scenario s = new AaveNodeLiquidatesTest.Scenario(chain);
            ChainWriter other = chain.account(4);
            chain.fund(other);
            chain.supply(
                    other, chain.property(), AaveChain.TOKEN.multiply(BigInteger.valueOf(500)));
            BigInteger available =
                    chain.accountData(other.address(), chain.head()).availableBorrowsBase();
            chain.borrow(
                    other,
                    available.multiply(BigInteger.valueOf(99)).divide(BigInteger.valueOf(10_000)));
            List<Address> accounts = List.of(Address.of(s.account()), Address.of(other.address()));
            MarketId market = AaveReads.marketId(Address.of(chain.market.pool()));
            long nonceBefore = s.liquidatorNonce();

            s.fall(); // while no replica runs; then nothing is mined until the test says so
            chain.rpc("evm_setAutomine", false);
            EmbeddedServer a = start(chain, url, "replica-a");
            EmbeddedServer b = start(chain, url, "replica-b");
            try {
                AaveLiquidationService la = service(a);
                AaveLiquidationService lb = service(b);
                waitFor(() -> la.role() == Role.LEADER || lb.role() == Role.LEADER);
                boolean aLeads = la.role() == Role.LEADER;
                EmbeddedServer leader = aLeads ? a : b;
                EmbeddedServer standby = aLeads ? b : a;
                AaveLiquidationService standbyService = aLeads ? lb : la;
                long firstEpoch = service(leader).epoch();
                assertThat(firstEpoch).isPositive();
                assertThat(standbyService.role()).isEqualTo(Role.STANDBY);
                NodeStatus leaderStatus = status(leader);
                assertThat(leaderStatus.getLiquidatorRole()).isEqualTo("LEADER");
                assertThat(leaderStatus.getLiquidatorEpoch()).isEqualTo(firstEpoch);
                assertThat(status(standby).getLiquidatorRole()).isEqualTo("STANDBY");
                assertThat(status(standby).getLiquidatorEpoch()).isZero();

                // The leader records and broadcasts a liquidation of each account; nothing mines.
                AttemptStore store = standby.getApplicationContext().getBean(AttemptStore.class);
                waitFor(
                        () ->
                                accounts.stream()
                                        .allMatch(
                                                who ->
                                                        store.latest(market, who)
                                                                .filter(
                                                                        x ->
                                                                                x.status()
                                                                                        == AttemptStatus
                                                                                                .IN_FLIGHT)
                                                                .isPresent()));
                Map<Address, String> recorded = new HashMap<>();
                for (Address who : accounts) {
                    Attempt x = store.latest(market, who).orElseThrow();
                    assertThat(x.transactions()).hasSize(1);
                    assertThat(store.epochOf(x.id())).hasValue(firstEpoch);
                    recorded.put(who, x.transactions().get(0).hash());
                }
                try (AaveNodeLiquidatesTest.Api api = new AaveNodeLiquidatesTest.Api(standby)) {
                    BlockingQueue<OpportunityEvent> events = api.watch();
                    OpportunityEvent seen = api.next(events, OpportunityEvent::hasSnapshot);
                    assertThat(seen.getSnapshot().getNodeWillAct()).isFalse();
                    assertThat(seen.getSnapshot().getNodeSkipReason())
                            .startsWith("STANDBY")
                            .contains("sends nothing");
                }

                // The leader dies between recording and broadcasting: stopped, and what it sent
                // never reached a block.
                leader.getApplicationContext().close();
                chain.rpc("anvil_dropAllTransactions");
                waitFor(() -> standbyService.role() == Role.LEADER);
                assertThat(standbyService.epoch()).isGreaterThan(firstEpoch);

                // The new leader broadcasts the recorded transactions again, and nothing else.
                waitFor(() -> recorded.values().stream().allMatch(h -> pending(chain, h)));
                chain.rpc("evm_setAutomine", true);
                for (int i = 0; i < 4; i++) {
                    chain.passTime(12);
                }
                waitFor(
                        () ->
                                accounts.stream()
                                        .allMatch(
                                                who ->
                                                        store.latest(market, who)
                                                                .filter(
                                                                        x ->
                                                                                x.status()
                                                                                        == AttemptStatus
                                                                                                .MINED)
                                                                .isPresent()));
                List<Log> calls = s.liquidationCalls();
                for (Address who : accounts) {
                    List<Log> mine =
                            calls.stream()
                                    .filter(l -> AaveNodeLiquidatesTest.userOf(l).equals(who.hex()))
                                    .toList();
                    assertThat(mine).as("%s liquidated once", who).hasSize(1);
                    assertThat(mine.get(0).getTransactionHash()).isEqualTo(recorded.get(who));
                    List<Attempt> sent =
                            store.history(market, who).stream()
                                    .filter(x -> x.status() != AttemptStatus.SKIPPED)
                                    .toList();
                    assertThat(sent).as("%s: one attempt", who).hasSize(1);
                    assertThat(sent.get(0).transactions())
                            .extracting(t -> t.hash())
                            .containsExactly(recorded.get(who));
                    assertThat(store.epochOf(sent.get(0).id()))
                            .as("recorded under the first epoch, finished under the next")
                            .hasValue(standbyService.epoch());
                }
                assertThat(calls).hasSize(2);
                assertThat(s.liquidatorNonce())
                        .as("one transaction per account across both replicas")
                        .isEqualTo(nonceBefore + 2);
                s.assertBookIsThePools(standby);
            } finally {
                for (EmbeddedServer node : List.of(a, b)) {
                    if (node.getApplicationContext().isRunning()) {
                        node.getApplicationContext().close();
                    }
                }
            }
        }
    }

    private static AaveLiquidationService service(EmbeddedServer node) {
        return node.getApplicationContext().getBean(AaveLiquidationService.class);
    }

    private static boolean pending(AaveChain chain, String hash) {
        try {
            return chain.anvil
                    .web3j()
                    .ethGetTransactionByHash(hash)
                    .send()
                    .getTransaction()
                    .isPresent();
        } catch (Exception e) {
            return false;
        }
    }

    private static NodeStatus status(EmbeddedServer node) throws Exception {
        try (AaveNodeLiquidatesTest.Api api = new AaveNodeLiquidatesTest.Api(node)) {
            return NodeServiceGrpc.newBlockingStub(api.channel)
                    .getStatus(GetStatusRequest.getDefaultInstance());
        }
    }

    /**
     * A replica: its own H2 state and keystore (the same key) in its folder; the liquidator's
     * record and the lease on the shared PostgreSQL.
     */
    private EmbeddedServer start(AaveChain chain, String url, String replica) throws Exception {
        Map<String, Object> props =
                AaveNodeLiquidatesTest.executingProps(
                        chain, Files.createDirectories(dir.resolve(replica)), 3);
        props.put("freehold.node.liquidator.lease.enabled", true);
        // Long enough that a leader short of CPU keeps it while the test reads the roles; the
        // leader's clean stop releases it at once, so the take-over does not wait for it.
        props.put("freehold.node.liquidator.lease.duration", "20s");
        props.put("freehold.node.liquidator.lease.replica-id", replica);
        props.put("datasources.liquidator.url", url);
        props.put("datasources.liquidator.username", "postgres");
        props.put("datasources.liquidator.password", "postgres");
        props.put("datasources.liquidator.driver-class-name", "org.postgresql.Driver");
        props.put("flyway.datasources.liquidator.enabled", true);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }
}
