package io.freehold.node.liquidation;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.freehold.node.ingest.TestDatabase;
import io.freehold.node.liquidation.attempts.AttemptStatus;
import io.freehold.node.liquidation.attempts.AttemptStore;
import io.freehold.node.liquidation.transact.LiquidationFailoverTest;
import io.freehold.proto.v1.GetStatusRequest;
import io.freehold.proto.v1.NodeServiceGrpc;
import io.freehold.proto.v1.NodeStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole nodes (follower, API, liquidator in EXECUTE mode with the lease on), each with its own
 * state database, sharing the liquidator's record and lease on one PostgreSQL (embedded) and one
 * anvil: exactly one is the liquidator and says so in {@code GetStatus}; the price falls and only
 * the leader liquidates, each position once; the leader stops and the other takes the lease with
 * the next epoch. (What a new leader does with the old one's attempts, and that a stale leader can
 * neither record nor send: {@link LiquidationFailoverTest}.)
 */
class LiquidationReplicasTest {

    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static LiquidationChain chain;

    @TempDir Path dir;

    private TestDatabase database;
    private ApplicationContext first;
    private ApplicationContext second;

    @BeforeAll
    static void startChain() throws Exception {
        chain = LiquidationChain.start();
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (ApplicationContext c : new ApplicationContext[] {first, second}) {
            if (c != null && c.isRunning()) {
                c.close();
            }
        }
        if (database != null) {
            database.close();
        }
        chain.automine(true);
    }

    @Test
    void oneLeaderLiquidatesEachPositionOnceAndTheOtherTakesOverWhenItStops() throws Exception {
        chain.reset();
        database = TestDatabase.postgres();
        database.open(); // the nodes share this one for the liquidator's record and the lease
        String url = ((HikariDataSource) database.dataSource()).getJdbcUrl();
        first = ApplicationContext.run(properties(url, "replica-a"));
        second = ApplicationContext.run(properties(url, "replica-b"));

        LiquidationService a = first.getBean(LiquidationService.class);
        LiquidationService b = second.getBean(LiquidationService.class);
        await(
                () ->
                        Optional.of(List.of(a.role(), b.role()))
                                .filter(roles -> roles.contains(LiquidatorLeadership.Role.LEADER)));
        LiquidationService leader = a.role() == LiquidatorLeadership.Role.LEADER ? a : b;
        LiquidationService standby = leader == a ? b : a;
        ApplicationContext leaderContext = leader == a ? first : second;
        ApplicationContext standbyContext = leader == a ? second : first;
        assertThat(standby.role()).isEqualTo(LiquidatorLeadership.Role.STANDBY);
        NodeStatus leaderStatus = status(leaderContext);
        assertThat(leaderStatus.getLiquidatorRole()).isEqualTo("LEADER");
        assertThat(leaderStatus.getLiquidatorEpoch()).isEqualTo(leader.epoch()).isPositive();
        assertThat(status(standbyContext).getLiquidatorRole()).isEqualTo("STANDBY");
        long firstEpoch = leader.epoch();

        // The price falls: both nodes see both positions cross the line; only the leader
        // liquidates, once each.
        chain.crashPrice();
        AttemptStore store = leaderContext.getBean(AttemptStore.class);
        for (var who : List.of(chain.borrower, chain.secondBorrower)) {
            try {
                awaitMining(() -> Waiting.minedAttempt(store, chain.market, who));
            } catch (AssertionError e) {
                // What each replica believed, and every attempt recorded with its reason.
                throw new AssertionError(
                        e.getMessage()
                                + ": roles "
                                + a.role()
                                + "/"
                                + a.epoch()
                                + " and "
                                + b.role()
                                + "/"
                                + b.epoch()
                                + ", liquidatable per the leader's engine "
                                + leaderContext
                                        .getBean(io.freehold.node.risk.RiskService.class)
                                        .engine()
                                        .liquidatable()
                                + ", attempts "
                                + store.history(chain.market, who),
                        e);
            }
            assertThat(chain.liquidations(who)).as("%s liquidated once", who).singleElement();
            assertThat(store.history(chain.market, who))
                    .filteredOn(x -> x.status() != AttemptStatus.SKIPPED)
                    .singleElement()
                    .satisfies(x -> assertThat(store.epochOf(x.id())).hasValue(firstEpoch));
        }

        // The leader stops; the standby takes the lease with the next epoch.
        leaderContext.close();
        await(() -> Optional.of(standby).filter(s -> s.role() == LiquidatorLeadership.Role.LEADER));
        assertThat(standby.epoch()).isGreaterThan(firstEpoch);
        NodeStatus taken = status(standbyContext);
        assertThat(taken.getLiquidatorRole()).isEqualTo("LEADER");
        assertThat(taken.getLiquidatorEpoch()).isEqualTo(standby.epoch());
        for (var who : List.of(chain.borrower, chain.secondBorrower)) {
            assertThat(chain.liquidations(who)).as("%s still liquidated once", who).singleElement();
        }
    }

    private static NodeStatus status(ApplicationContext context) {
        int port = context.getBean(GrpcEmbeddedServer.class).getPort();
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            return NodeServiceGrpc.newBlockingStub(channel)
                    .getStatus(GetStatusRequest.getDefaultInstance());
        } finally {
            channel.shutdownNow();
        }
    }

    private Map<String, Object> properties(String url, String replica) throws Exception {
        // Each replica keeps its own state (H2) and keystore in its folder; the liquidator's
        // record and the lease are shared.
        Map<String, Object> props =
                chain.executingNode(Files.createDirectories(dir.resolve(replica)));
        props.put("freehold.node.confirmations", 2);
        props.put("freehold.node.liquidator.lease.enabled", true);
        // Long enough that a leader starved of CPU for a few seconds keeps it (the test reads
        // the roles and epochs as fixed); a clean stop releases it at once, so the take-over
        // below does not wait for it to run out.
        props.put("freehold.node.liquidator.lease.duration", "20s");
        props.put("freehold.node.liquidator.lease.replica-id", replica);
        props.put("datasources.liquidator.url", url);
        props.put("datasources.liquidator.username", "postgres");
        props.put("datasources.liquidator.password", "postgres");
        props.put("datasources.liquidator.driver-class-name", "org.postgresql.Driver");
        props.put("flyway.datasources.liquidator.enabled", true);
        return props;
    }

    private static <T> T awaitMining(Supplier<Optional<T>> check) throws Exception {
        return Waiting.mining(chain, DEADLINE, check);
    }

    private static <T> T await(Supplier<Optional<T>> check) throws InterruptedException {
        return Waiting.until(DEADLINE, check);
    }
}
