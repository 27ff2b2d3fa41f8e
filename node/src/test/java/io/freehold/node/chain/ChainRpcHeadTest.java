package io.freehold.node.chain;

import static io.freehold.node.chain.Closer.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.local.Anvil;
import io.freehold.node.chain.RpcException.Kind;
import io.freehold.types.BlockHeader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;

/** The head, lagging endpoints, chain ids and headers, against real anvils. */
class ChainRpcHeadTest {

    private static TestChain chain;
    private static long head;

    private final Closer closer = new Closer();

    @BeforeAll
    static void startChain() throws Exception {
        chain = TestChain.start(5, 5);
        head = chain.head();
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @AfterEach
    void closeClients() {
        closer.close();
    }

    // ---- (e) a lagging endpoint --------------------------------------------------------------

    @Test
    void anEndpointThatReportsAStaleHeadIsNotTrustedForTheHeadNorForBlocksItHasNotSeen()
            throws Exception {
        long stale = head - 20;
        FaultInjectingProxy lagging = closer.proxy(chain.url()).pinBlockNumber(stale);
        FaultInjectingProxy current = closer.proxy(chain.url());
        ChainRpc rpc =
                closer.rpc(config(lagging.url(), current.url()).lagToleranceBlocks(5).build());

        assertThat(rpc.head()).isEqualTo(head);
        EndpointStatus first = rpc.status().get(0);
        assertThat(first.lagging()).isTrue();
        assertThat(first.lastSeenHead()).isEqualTo(stale);
        assertThat(rpc.status().get(1).lagging()).isFalse();

        // Blocks it has not seen go to the other endpoint, though it is first in line.
        assertThat(rpc.header(head)).isEqualTo(direct(head));
        assertThat(rpc.logs(head - 10, head, List.of()))
                .isEqualTo(chain.directLogs(head - 10, head, List.of()));
        assertThat(lagging.calls("eth_getBlockByNumber")).isZero();
        assertThat(lagging.calls("eth_getLogs")).isZero();

        // Blocks it has seen it still serves; a range across its head is split at it.
        assertThat(rpc.header(stale - 5)).isEqualTo(direct(stale - 5));
        assertThat(lagging.calls("eth_getBlockByNumber")).isEqualTo(1);
        assertThat(rpc.logs(0, head, List.of())).isEqualTo(chain.directLogs(0, head, List.of()));
        assertThat(lagging.calls("eth_getLogs")).isPositive();
        assertThat(lagging.highestBlockAsked()).isEqualTo(stale);

        // Within the tolerance it is trusted again.
        lagging.pinBlockNumber(head - 3);
        assertThat(rpc.head()).isEqualTo(head);
        assertThat(rpc.status().get(0).lagging()).isFalse();
    }

    @Test
    void aSecondAnvilThatIsBehindIsNotAskedForBlocksItLacks() throws Exception {
        try (Anvil behind = Anvil.start()) { // same chain id, a handful of blocks
            ChainRpc rpc = closer.rpc(config(behind.rpcUrl(), chain.url()).build());

            assertThat(rpc.head()).isEqualTo(head);
            assertThat(rpc.status().get(0).lagging()).isTrue();
            assertThat(rpc.status().get(1).lagging()).isFalse();
            assertThat(rpc.header(head)).isEqualTo(direct(head));
            assertThat(rpc.headers(head - 30, head)).hasSize(31).last().isEqualTo(direct(head));
            assertThat(rpc.logs(0, head, List.of()))
                    .isEqualTo(chain.directLogs(0, head, List.of()));
        }
    }

    @Test
    void aBlockNoEndpointHasIsReportedAsSuch() {
        ChainRpc rpc = closer.rpc(config(chain.url()).build());

        assertThatThrownBy(() -> rpc.header(head + 1_000))
                .isInstanceOfSatisfying(
                        RpcException.class,
                        e -> {
                            assertThat(e.kind()).isEqualTo(Kind.BLOCK_NOT_AVAILABLE);
                            assertThat(e.getMessage()).contains("block " + (head + 1_000));
                        });
    }

    // ---- (f) the chain id ----------------------------------------------------------------------

    @Test
    void requireChainIdNamesTheEndpointTheExpectedAndTheActualId() {
        try (Anvil other = Anvil.builder().chainId(1_337).start()) {
            ChainRpc rpc = closer.rpc(config(chain.url(), other.rpcUrl()).build());
            String otherName = rpc.status().get(1).name();

            assertThatThrownBy(() -> rpc.requireChainId(31_337))
                    .isInstanceOfSatisfying(
                            ChainIdMismatchException.class,
                            e -> {
                                assertThat(e.endpoint()).isEqualTo(otherName);
                                assertThat(e.expectedChainId()).isEqualTo(31_337);
                                assertThat(e.actualChainId()).isEqualTo(1_337);
                                assertThat(e.getMessage())
                                        .contains(
                                                otherName,
                                                "expected 31337",
                                                "actual 1337",
                                                "freehold.node.rpc.endpoints");
                            });
            assertThat(rpc.status().get(1).chainCheck()).isEqualTo("WRONG_CHAIN");
        }
        ChainRpc single = closer.rpc(config(chain.url()).build());
        assertThatThrownBy(() -> single.requireChainId(1))
                .hasMessageContaining(single.status().get(0).name())
                .hasMessageContaining("expected 1, actual 31337");
        single.requireChainId(31_337);
        assertThat(single.status().get(0).chainCheck()).isEqualTo("OK");
    }

    @Test
    void anEndpointUnreachableAtStartIsCheckedBeforeItsFirstUse() throws Exception {
        try (Anvil other = Anvil.builder().chainId(1_337).start()) {
            FaultInjectingProxy wrongChain = closer.proxy(other.rpcUrl());
            wrongChain.down();
            ChainRpc rpc = closer.rpc(config(wrongChain.url(), chain.url()).build());

            rpc.requireChainId(
                    31_337); // the reachable endpoint is right; the other cannot be asked
            assertThat(rpc.status().get(0).chainCheck()).isEqualTo("UNCHECKED");

            wrongChain.up();
            assertThat(rpc.header(head)).isEqualTo(direct(head));

            assertThat(wrongChain.calls("eth_chainId")).isEqualTo(1);
            assertThat(wrongChain.calls("eth_getBlockByNumber")).isZero();
            assertThat(rpc.status().get(0).chainCheck()).isEqualTo("WRONG_CHAIN");
            assertThat(rpc.head()).isEqualTo(head);
        }
    }

    @Test
    void requireChainIdFailsWhenNoEndpointCanBeAsked() {
        FaultInjectingProxy down = closer.proxy(chain.url());
        down.down();
        ChainRpc rpc = closer.rpc(config(down.url()).build());

        assertThatThrownBy(() -> rpc.requireChainId(31_337))
                .isInstanceOfSatisfying(
                        RpcException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));
    }

    // ---- headers -----------------------------------------------------------------------------

    @Test
    void headersEqualTheChainAndComeInBatches() throws Exception {
        FaultInjectingProxy proxy = closer.proxy(chain.url());
        ChainRpc rpc = closer.rpc(config(proxy.url()).batchSize(50).build());

        List<BlockHeader> headers = rpc.headers(0, head);

        List<BlockHeader> expected = new ArrayList<>();
        for (long n = 0; n <= head; n++) {
            expected.add(direct(n));
        }
        assertThat(headers).isEqualTo(expected);
        long batches = (head + 1 + 49) / 50;
        assertThat(proxy.calls("eth_getBlockByNumber")).isEqualTo(head + 1);
        assertThat(proxy.httpRequests())
                .as("one HTTP request per batch, plus one eth_blockNumber")
                .isEqualTo(batches + 1);
    }

    @Test
    void headersWhoseParentLinksBreakAreReportedAsAMismatch() throws Exception {
        long child = head / 2;
        BlockHeader parent = direct(child - 1);
        String forged = "0x" + "cd".repeat(32);
        // An endpoint answering block `child` from another fork than block `child - 1`.
        FaultInjectingProxy proxy =
                closer.proxy(chain.url())
                        .rewrite(
                                "eth_getBlockByNumber",
                                body ->
                                        body.replaceAll(
                                                "\"parentHash\"\\s*:\\s*\""
                                                        + Pattern.quote(parent.hash().hex())
                                                        + "\"",
                                                "\"parentHash\":\"" + forged + "\""));
        ChainRpc rpc = closer.rpc(config(proxy.url()).build());

        assertThatThrownBy(() -> rpc.headers(0, head))
                .isInstanceOfSatisfying(
                        BlockHashMismatchException.class,
                        e -> {
                            assertThat(e.blockNumber()).isEqualTo(child - 1);
                            assertThat(e.headerHash()).isEqualTo(parent.hash().hex());
                            assertThat(e.claimedHash()).isEqualTo(forged);
                        });
    }

    /** Block {@code number} as plain web3j reads it from the anvil. */
    private static BlockHeader direct(long number) throws Exception {
        EthBlock.Block block =
                chain.anvil
                        .web3j()
                        .ethGetBlockByNumber(
                                DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
                        .send()
                        .getBlock();
        return BlockHeader.of(
                block.getNumber().longValueExact(),
                block.getHash(),
                block.getParentHash(),
                block.getTimestamp().longValueExact());
    }
}
