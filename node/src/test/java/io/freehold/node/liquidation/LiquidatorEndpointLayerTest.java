package io.freehold.node.liquidation;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.local.Anvil;
import io.freehold.node.chain.ChainRpc;
import io.freehold.node.chain.FaultInjectingProxy;
import io.freehold.node.chain.FaultInjectingProxy.Fault;
import io.freehold.node.chain.RpcConfiguration;
import io.freehold.node.chain.RpcException;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * The liquidator's calls go through the node's endpoint layer: the operator's rate limit, the
 * circuit breakers and failover apply to them as to the follower's. Loopback proxies in front of a
 * real anvil; evidence is what reached each proxy.
 */
class LiquidatorEndpointLayerTest {

    /** Ample for anvil's answers on a loaded machine: a slow answer is no fault in these tests. */
    private static final Duration SLOW_ANVIL = Duration.ofSeconds(10);

    private static Anvil anvil;
    private static Credentials liquidator;

    private FaultInjectingProxy first;
    private FaultInjectingProxy second;
    private ChainRpc chain;

    @BeforeAll
    static void startChain() {
        anvil = Anvil.builder().accounts(2).start();
        liquidator = anvil.credentials(1);
    }

    @AfterAll
    static void stopChain() {
        if (anvil != null) {
            anvil.close();
        }
    }

    @AfterEach
    void close() {
        for (AutoCloseable c : new AutoCloseable[] {chain, first, second}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing test resources
                }
            }
        }
    }

    @Test
    void theOperatorsRateLimitAppliesToLiquidatorCalls() {
        first = FaultInjectingProxy.start(anvil.rpcUrl());
        // One request per second, and a permit is waited for at most the request timeout: a call
        // that comes less than half a second after a permitted one would wait longer than that and
        // is refused at once. The same timeout bounds each HTTP exchange: half a second leaves room
        // on both sides on a busy machine.
        chain =
                new ChainRpc(
                        RpcConfiguration.builder(List.of(first.url()))
                                .requestTimeout(Duration.ofMillis(500))
                                .requestsPerSecond(1)
                                .build());
        LiquidatorRpc rpc = new LiquidatorRpc(chain);
        Address account = Address.of(liquidator.getAddress());

        // Six calls back to back, and more if none was refused yet (each call slow enough to let
        // the next permit come in time): until the first refusal.
        int calls = 0;
        int limited = 0;
        for (; calls < 6 || (limited == 0 && calls < 100); calls++) {
            try {
                rpc.minedNonce(account);
            } catch (LiquidatorRpcException e) {
                assertThat(kinds(e)).contains(RpcException.Kind.RATE_LIMITED);
                limited++;
            }
        }
        assertThat(limited).as("calls refused a permit").isPositive();
        assertThat(first.calls("eth_getTransactionCount"))
                .as("only permitted calls reach the endpoint")
                .isEqualTo(calls - limited);
    }

    @Test
    void anOpenBreakerSkipsTheEndpointForLiquidatorReadsAndSendsAndTheNextOneServes()
            throws Exception {
        first = FaultInjectingProxy.start(anvil.rpcUrl()).failAll(Fault.HTTP_500);
        second = FaultInjectingProxy.start(anvil.rpcUrl());
        chain =
                new ChainRpc(
                        RpcConfiguration.builder(List.of(first.url(), second.url()))
                                .requestTimeout(SLOW_ANVIL)
                                .requestsPerSecond(0)
                                .breaker(4, 4, 50, Duration.ofMinutes(5))
                                .build());
        LiquidatorRpc rpc = new LiquidatorRpc(chain);
        Address account = Address.of(liquidator.getAddress());
        long nonce =
                anvil.web3j()
                        .ethGetTransactionCount(
                                liquidator.getAddress(),
                                org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                        .send()
                        .getTransactionCount()
                        .longValueExact();

        // Failing: each liquidator read still gets its answer, from the second endpoint, until the
        // breaker opens.
        for (int i = 0; i < 10 && !breakerOpen(); i++) {
            assertThat(rpc.minedNonce(account)).isEqualTo(nonce);
        }
        assertThat(breakerOpen())
                .as("the first endpoint's breaker opened on liquidator calls")
                .isTrue();

        // Open: neither reads nor a signed transaction reach the first endpoint.
        int reachedFirst = first.httpRequests();
        assertThat(rpc.head().number())
                .isEqualTo(anvil.web3j().ethBlockNumber().send().getBlockNumber().longValueExact());
        assertThat(rpc.minedNonce(account)).isEqualTo(nonce);
        LiquidatorRpc.SendResult sent = rpc.send(selfTransfer(nonce));
        assertThat(sent.outcome()).isEqualTo(LiquidatorRpc.SendOutcome.ACCEPTED);
        assertThat(first.httpRequests()).isEqualTo(reachedFirst);
        assertThat(second.calls("eth_sendRawTransaction")).isEqualTo(1);
        // Anvil answers the send before its automined block is in: wait for the count to move.
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (rpc.minedNonce(account) == nonce && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertThat(rpc.minedNonce(account))
                .as("mined through the second endpoint")
                .isEqualTo(nonce + 1);
    }

    @Test
    void anEndpointsRefusalOfATransactionIsAnAnswerNotAFailureOfTheEndpoint() throws Exception {
        first = FaultInjectingProxy.start(anvil.rpcUrl());
        chain =
                new ChainRpc(
                        RpcConfiguration.builder(List.of(first.url()))
                                .requestTimeout(SLOW_ANVIL)
                                .requestsPerSecond(0)
                                .breaker(4, 4, 50, Duration.ofMinutes(5))
                                .build());
        LiquidatorRpc rpc = new LiquidatorRpc(chain);
        Address account = Address.of(liquidator.getAddress());
        long nonce = rpc.minedNonce(account);
        assertThat(rpc.send(selfTransfer(nonce)).outcome())
                .isEqualTo(LiquidatorRpc.SendOutcome.ACCEPTED);

        // "nonce too low", again and again: refused each time, sent once each (never retried),
        // breaker closed.
        for (int i = 0; i < 6; i++) {
            LiquidatorRpc.SendResult refused = rpc.send(selfTransfer(nonce));
            assertThat(refused.outcome())
                    .isIn(
                            LiquidatorRpc.SendOutcome.REJECTED,
                            LiquidatorRpc.SendOutcome.ALREADY_KNOWN);
        }
        assertThat(first.calls("eth_sendRawTransaction")).isEqualTo(7);
        assertThat(chain.status().get(0).breakerState()).isEqualTo("CLOSED");
    }

    private boolean breakerOpen() {
        return chain.status().get(0).breakerState().equals("OPEN");
    }

    private static String selfTransfer(long nonce) {
        RawTransaction tx =
                RawTransaction.createTransaction(
                        anvil.chainId(),
                        BigInteger.valueOf(nonce),
                        BigInteger.valueOf(21_000),
                        liquidator.getAddress(),
                        BigInteger.ZERO,
                        "0x",
                        BigInteger.valueOf(1_000_000_000L),
                        BigInteger.valueOf(10_000_000_000L));
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, liquidator));
    }

    /**
     * The endpoint layer's failure kinds behind a liquidator failure: its own and each endpoint's.
     */
    private static List<RpcException.Kind> kinds(LiquidatorRpcException e) {
        RpcException cause = (RpcException) e.getCause();
        return java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(cause.kind()),
                        Arrays.stream(cause.getSuppressed()).map(t -> ((RpcException) t).kind()))
                .toList();
    }
}
