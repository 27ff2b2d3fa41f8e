package io.freehold.node.aave;

import static io.freehold.node.aave.AaveNodeLiquidatesTest.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.aave.local.ChainWriter;
import io.freehold.node.ChildNodes;
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
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * first epoch and ended {@code MINED} under the second (the fence stamps each write). The second
 * case does it with child JVMs and a {@code kill -9}: the lease runs out rather than being handed
 * over.
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
            Fall f = fall(chain);
            AaveNodeLiquidatesTest.Scenario s = f.scenario();
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
                Map<Address, String> recorded = awaitRecorded(store, f, firstEpoch);
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

                finishedOnce(chain, store, f, recorded, standbyService.epoch());
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

    /**
     * The same with real processes and a {@code kill -9}: two replicas as child JVMs (a 6 s lease);
     * the leader records and broadcasts both liquidations and is killed — no clean stop, so the
     * lease is not handed over but runs out — and the mempool is dropped; the other replica takes
     * the lease with the next epoch once it has run out, and finishes both attempts with the
     * recorded transactions, nothing else.
     */
    @Test
    void aKilledLeadersAttemptsAreFinishedOnceByTheReplicaThatTakesTheLeaseWhenItRunsOut()
            throws Exception {
        try (AaveChain chain = new AaveChain();
                TestDatabase database = TestDatabase.postgres();
                ChildNodes children = new ChildNodes(dir)) {
            database.open();
            HikariDataSource shared = (HikariDataSource) database.dataSource();
            Fall f = fall(chain);
            Map<String, Process> replicas = new LinkedHashMap<>();
            Map<String, Path> logs = new LinkedHashMap<>();
            for (String name : List.of("replica-a", "replica-b")) {
                Path home = Files.createDirectories(dir.resolve(name));
                Map<String, String> props = new LinkedHashMap<>();
                replicaProps(chain, shared.getJdbcUrl(), name, home)
                        .forEach(
                                (k, v) ->
                                        props.put(
                                                k,
                                                v instanceof List<?> list
                                                        ? String.join(
                                                                ",",
                                                                list.stream()
                                                                        .map(String::valueOf)
                                                                        .toList())
                                                        : String.valueOf(v)));
                // Short, so the take-over after the kill comes soon; long enough that a loaded
                // machine's stall does not lapse the leader's lease before the kill (as in
                // ReplicaProcessesTest).
                props.put("freehold.node.liquidator.lease.duration", "6s");
                logs.put(name, home.resolve("node.log"));
                replicas.put(name, children.start("256m", props, logs.get(name)));
            }
            // Both up (the standby too: it must be there to take over).
            waitFor(
                    () ->
                            logs.values().stream()
                                    .allMatch(
                                            log ->
                                                    read(log)
                                                            .contains(
                                                                    "liquidator in EXECUTE mode on"
                                                                            + " Aave pool")));
            AttemptStore store = new AttemptStore(shared);
            Map<Address, String> recorded = awaitRecorded(store, f, 0);
            Lease first = lease(shared).orElseThrow();
            String leader = first.holder().substring(0, first.holder().indexOf('/'));
            for (Address who : f.accounts()) {
                assertThat(store.epochOf(store.latest(f.market(), who).orElseThrow().id()))
                        .hasValue(first.epoch());
            }

            Process killed = replicas.get(leader);
            killed.destroyForcibly(); // SIGKILL: the lease is not released, it runs out
            assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
            chain.rpc("anvil_dropAllTransactions");
            waitFor(() -> lease(shared).filter(l -> l.epoch() > first.epoch()).isPresent());
            Lease next = lease(shared).orElseThrow();
            assertThat(next.holder()).doesNotStartWith(leader + "/");

            finishedOnce(chain, store, f, recorded, next.epoch());
            for (Map.Entry<String, Process> r : replicas.entrySet()) {
                if (!r.getKey().equals(leader)) {
                    assertThat(r.getValue().isAlive()).as(read(logs.get(r.getKey()))).isTrue();
                }
            }
        }
    }

    /** Two accounts at 99 % of their borrowing power, then the property falls 20 %. */
    private record Fall(
            AaveNodeLiquidatesTest.Scenario scenario,
            List<Address> accounts,
            MarketId market,
            long nonceBefore) {}

    /**
     * The scenario's borrower and a second one (account 4); the fall happens while no replica runs,
     * and then nothing is mined until the test says so (automine off).
     */
    private static Fall fall(AaveChain chain) throws Exception {
        AaveNodeLiquidatesTest.Scenario s = new AaveNodeLiquidatesTest.Scenario(chain);
        ChainWriter other = chain.account(4);
        chain.fund(other);
        chain.supply(other, chain.property(), AaveChain.TOKEN.multiply(BigInteger.valueOf(500)));
        chain.borrowShare(other, 99);
        Fall f =
                new Fall(
                        s,
                        List.of(Address.of(s.account()), Address.of(other.address())),
                        AaveReads.marketId(Address.of(chain.market.pool())),
                        s.liquidatorNonce());
        s.fall();
        chain.rpc("evm_setAutomine", false);
        return f;
    }

    /**
     * Waits until the leader has recorded (and broadcast) one liquidation of each account, under
     * {@code epoch} if positive; answers each one's transaction hash.
     */
    private static Map<Address, String> awaitRecorded(AttemptStore store, Fall f, long epoch) {
        waitFor(
                () ->
                        f.accounts().stream()
                                .allMatch(
                                        who ->
                                                store.latest(f.market(), who)
                                                        .filter(
                                                                x ->
                                                                        x.status()
                                                                                == AttemptStatus
                                                                                        .IN_FLIGHT)
                                                        .isPresent()));
        Map<Address, String> recorded = new HashMap<>();
        for (Address who : f.accounts()) {
            Attempt x = store.latest(f.market(), who).orElseThrow();
            assertThat(x.transactions()).hasSize(1);
            if (epoch > 0) {
                assertThat(store.epochOf(x.id())).hasValue(epoch);
            }
            recorded.put(who, x.transactions().get(0).hash());
        }
        return recorded;
    }

    /**
     * The new leader broadcasts the recorded transactions again and nothing else: once mined and
     * final, one {@code LiquidationCall} per account (the recorded transaction), one attempt each,
     * ended MINED under {@code epoch}, the key's nonce up by one per account.
     */
    private static void finishedOnce(
            AaveChain chain, AttemptStore store, Fall f, Map<Address, String> recorded, long epoch)
            throws Exception {
        waitFor(() -> recorded.values().stream().allMatch(h -> pending(chain, h)));
        chain.rpc("evm_setAutomine", true);
        for (int i = 0; i < 4; i++) {
            chain.passTime(12);
        }
        waitFor(
                () ->
                        f.accounts().stream()
                                .allMatch(
                                        who ->
                                                store.latest(f.market(), who)
                                                        .filter(
                                                                x ->
                                                                        x.status()
                                                                                == AttemptStatus
                                                                                        .MINED)
                                                        .isPresent()));
        List<Log> calls = f.scenario().liquidationCalls();
        for (Address who : f.accounts()) {
            List<Log> mine =
                    calls.stream()
                            .filter(l -> AaveNodeLiquidatesTest.userOf(l).equals(who.hex()))
                            .toList();
            assertThat(mine).as("%s liquidated once", who).hasSize(1);
            assertThat(mine.get(0).getTransactionHash()).isEqualTo(recorded.get(who));
            List<Attempt> sent =
                    store.history(f.market(), who).stream()
                            .filter(x -> x.status() != AttemptStatus.SKIPPED)
                            .toList();
            assertThat(sent).as("%s: one attempt", who).hasSize(1);
            assertThat(sent.get(0).transactions())
                    .extracting(t -> t.hash())
                    .containsExactly(recorded.get(who));
            assertThat(store.epochOf(sent.get(0).id()))
                    .as("recorded under the first epoch, finished under the next")
                    .hasValue(epoch);
        }
        assertThat(calls).hasSize(f.accounts().size());
        assertThat(f.scenario().liquidatorNonce())
                .as("one transaction per account across the replicas")
                .isEqualTo(f.nonceBefore() + f.accounts().size());
    }

    private record Lease(String holder, long epoch) {}

    private static Optional<Lease> lease(DataSource shared) {
        try (Connection c = shared.getConnection();
                Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT holder, epoch FROM liquidator_lease")) {
            return r.next()
                    ? Optional.of(new Lease(r.getString(1), r.getLong(2)))
                    : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
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

    /** An in-JVM replica. */
    private EmbeddedServer start(AaveChain chain, String url, String replica) throws Exception {
        return ApplicationContext.run(
                EmbeddedServer.class,
                replicaProps(chain, url, replica, Files.createDirectories(dir.resolve(replica))));
    }

    /**
     * A replica: its own H2 state and keystore (the same key) in {@code home}; the liquidator's
     * record and the lease on the shared PostgreSQL at {@code url}.
     */
    private static Map<String, Object> replicaProps(
            AaveChain chain, String url, String replica, Path home) throws Exception {
        Map<String, Object> props = AaveNodeLiquidatesTest.executingProps(chain, home, 3);
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
        return props;
    }
}
