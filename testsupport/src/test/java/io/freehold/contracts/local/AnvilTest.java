package io.freehold.contracts.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.Transfer;
import org.web3j.utils.Convert;

class AnvilTest {

    @Test
    void startsAChainWithTheRequestedIdAndFundedAccountsAndStopsIt() throws Exception {
        ProcessHandle process;
        String rpcUrl;
        try (Anvil anvil = Anvil.builder().chainId(4242).accounts(3).balanceEther(500).start()) {
            process = anvil.process();
            rpcUrl = anvil.rpcUrl();
            Web3j web3j = anvil.web3j();

            assertThat(process.isAlive()).isTrue();
            assertThat(rpcUrl).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(web3j.ethChainId().send().getChainId()).isEqualTo(4242);
            assertThat(web3j.ethBlockNumber().send().getBlockNumber()).isZero();
            assertThat(anvil.credentials()).hasSize(3);
            // anvil's first account from its test mnemonic, as every Foundry user knows it
            assertThat(anvil.credentials(0).getAddress())
                    .isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
            assertThat(
                            web3j.ethGetBalance(
                                            anvil.credentials(2).getAddress(),
                                            DefaultBlockParameterName.LATEST)
                                    .send()
                                    .getBalance())
                    .isEqualTo(Convert.toWei("500", Convert.Unit.ETHER).toBigIntegerExact());
        }

        assertThat(process.isAlive()).isFalse();
        assertThat(ProcessHandle.of(process.pid()).filter(ProcessHandle::isAlive)).isEmpty();
        Web3j stale = Web3j.build(new HttpService(rpcUrl));
        try {
            assertThatThrownBy(() -> stale.ethChainId().send()).isInstanceOf(IOException.class);
        } finally {
            stale.shutdown();
        }
    }

    @Test
    void signsTransactionsForItsChainAndMinesThemAsTheyArrive() throws Exception {
        try (Anvil anvil = Anvil.builder().chainId(1337).start()) {
            String recipient = anvil.credentials(1).getAddress();
            BigInteger before = balance(anvil, recipient);

            TransactionReceipt receipt =
                    new Transfer(anvil.web3j(), anvil.transactionManager(anvil.credentials(0)))
                            .sendFunds(recipient, BigDecimal.ONE, Convert.Unit.ETHER)
                            .send();

            assertThat(receipt.isStatusOK()).isTrue();
            assertThat(receipt.getBlockNumber()).isEqualTo(BigInteger.ONE);
            assertThat(balance(anvil, recipient).subtract(before))
                    .isEqualTo(BigInteger.TEN.pow(18));
        }
    }

    @Test
    void minesOnAClockWhenGivenABlockTime() throws Exception {
        try (Anvil anvil = Anvil.builder().blockTime(Duration.ofMillis(200)).start()) {
            Instant deadline = Instant.now().plusSeconds(120);
            BigInteger height = BigInteger.ZERO;
            while (height.compareTo(BigInteger.TWO) < 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
                height = anvil.web3j().ethBlockNumber().send().getBlockNumber();
            }
            assertThat(height).isGreaterThanOrEqualTo(BigInteger.TWO);
        }
    }

    @Test
    void keepsTheStatesItMovesOutOfMemoryInItsOwnDirectoryAndDeletesThemWhenClosed()
            throws Exception {
        Path states;
        try (Anvil anvil = Anvil.start()) {
            states = anvil.statesDirectory();
            // Hundreds of blocks push older states out of memory onto disk.
            new Request<>(
                            "anvil_mine",
                            List.of("0x200"),
                            new HttpService(anvil.rpcUrl()),
                            Raw.class)
                    .send();
            // anvil may write them off its request thread: wait for them rather than assume.
            Instant deadline = Instant.now().plusSeconds(120);
            while (persisted(states) == 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(persisted(states)).as("states anvil persisted under " + states).isPositive();
        }
        assertThat(states).doesNotExist();
    }

    private static long persisted(Path states) throws IOException {
        try (Stream<Path> files = Files.walk(states)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** Any JSON-RPC answer. */
    public static final class Raw extends Response<Object> {}

    @Test
    void closingTwiceIsHarmless() {
        Anvil anvil = Anvil.start();
        anvil.close();
        anvil.close();
        assertThat(anvil.process().isAlive()).isFalse();
    }

    @Test
    void reportsWhatAnvilSaidWhenItCannotStartAndLeavesNothingRunning() {
        assertThatThrownBy(() -> Anvil.builder().arguments("--no-such-flag").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("anvil did not start")
                .hasMessageContaining("unexpected argument '--no-such-flag'"); // anvil's own words
        List<ProcessHandle> children =
                ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
        assertThat(children)
                .noneMatch(child -> child.info().command().orElse("").endsWith("anvil"));
    }

    private static BigInteger balance(Anvil anvil, String address) throws Exception {
        return anvil.web3j()
                .ethGetBalance(address, DefaultBlockParameterName.LATEST)
                .send()
                .getBalance();
    }
}
