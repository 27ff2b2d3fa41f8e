package io.freehold.contracts.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * A local anvil chain for tests: the real binary pinned in {@code contracts/}, on a free port,
 * stopped when closed or, failing that, when the JVM exits.
 *
 * <pre>{@code
 * try (Anvil anvil = Anvil.builder().chainId(1337).blockTime(Duration.ofSeconds(1)).start()) {
 *     Web3j web3j = anvil.web3j();
 *     Credentials deployer = anvil.credentials(0);
 *     MockStablecoin usd = MockStablecoin.deploy(web3j, anvil.transactionManager(deployer),
 *             new DefaultGasProvider()).send();
 * }
 * }</pre>
 *
 * <p>Without {@link Builder#blockTime} anvil mines a block for each transaction as it arrives
 * ("automine"). It may answer {@code eth_sendRawTransaction} before that block is sealed (seen on a
 * loaded machine): wait for the receipt, or for the nonce to move, before reading what the
 * transaction changed; {@link #transactionManager} waits for the receipt.
 */
public final class Anvil implements AutoCloseable {

    /** anvil's own default chain id. */
    public static final long DEFAULT_CHAIN_ID = 31_337;

    private static final System.Logger LOG = System.getLogger(Anvil.class.getName());
    private static final Pattern LISTENING = Pattern.compile("^Listening on (\\S+):(\\d+)$");
    // In the "Private Keys" section; account addresses have 40 hex digits, keys 64.
    private static final Pattern PRIVATE_KEY =
            Pattern.compile("^\\((\\d+)\\) (0x[0-9a-fA-F]{64})$");
    private static final int RECENT_LINES = 200;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Process process;
    private final Path statesDirectory;
    private final Thread shutdownHook;
    private final String rpcUrl;
    private final long chainId;
    private final List<Credentials> credentials;
    private final Web3j web3j;
    private final ScheduledExecutorService web3jExecutor;
    private final Deque<String> recentOutput;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Anvil(
            Process process,
            Path statesDirectory,
            Thread shutdownHook,
            String rpcUrl,
            long chainId,
            List<Credentials> credentials,
            Deque<String> recentOutput) {
        this.process = process;
        this.statesDirectory = statesDirectory;
        this.shutdownHook = shutdownHook;
        this.rpcUrl = rpcUrl;
        this.chainId = chainId;
        this.credentials = List.copyOf(credentials);
        this.recentOutput = recentOutput;
        // web3j shuts its executor down with itself, so it must not be the shared default.
        this.web3jExecutor =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "anvil-web3j-" + process.pid());
                            thread.setDaemon(true);
                            return thread;
                        });
        this.web3j = Web3j.build(new HttpService(rpcUrl), 100, web3jExecutor);
    }

    /** Starts anvil with its defaults: chain id 31337, ten accounts of 10,000 ETH, automine. */
    public static Anvil start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The JSON-RPC endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public String rpcUrl() {
        return rpcUrl;
    }

    public long chainId() {
        return chainId;
    }

    /** The funded dev accounts in anvil's order, from its well-known test mnemonic. */
    public List<Credentials> credentials() {
        return credentials;
    }

    /**
     * Dev account {@code index}; account 0 is {@code 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266}.
     */
    public Credentials credentials(int index) {
        return credentials.get(index);
    }

    /** A client for {@link #rpcUrl()}, polling every 100 ms; closed with this. */
    public Web3j web3j() {
        return web3j;
    }

    /**
     * Signs locally for {@code sender} with this chain's id and polls for receipts every 50 ms
     * (web3j's default is 15 s, tuned for mainnet block times), for up to a minute.
     */
    public TransactionManager transactionManager(Credentials sender) {
        return new RawTransactionManager(
                web3j, sender, chainId, new PollingTransactionReceiptProcessor(web3j, 50, 1_200));
    }

    /** The OS process, for tests that need to know it is gone. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /**
     * Where this anvil writes the historical states it moves out of memory (its {@code
     * --cache-path}); deleted when it stops.
     */
    public Path statesDirectory() {
        return statesDirectory;
    }

    /** The last lines anvil printed: its log of RPC calls, mined blocks and errors. */
    public List<String> recentOutput() {
        synchronized (recentOutput) {
            return List.copyOf(recentOutput);
        }
    }

    /**
     * Sends SIGTERM, waits up to 5 s, then kills, and deletes {@link #statesDirectory()}.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            web3j.shutdown();
        } finally {
            stop(process, statesDirectory);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to; it stops an already stopped process.
            }
        }
    }

    @Override
    public String toString() {
        return "Anvil[pid " + process.pid() + ", " + rpcUrl + ", chain " + chainId + "]";
    }

    /**
     * Stops the process, then deletes its states: anvil leaves what it persisted behind even after
     * SIGTERM, and by default writes it under {@code ~/.foundry/anvil/tmp}, where a test suite's
     * chains once piled up to tens of gigabytes.
     */
    private static void stop(Process process, Path statesDirectory) {
        try {
            stop(process);
        } finally {
            deleteTree(statesDirectory);
        }
    }

    private static void stop(Process process) {
        process.destroy(); // SIGTERM: anvil exits in about a second
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(
                        Level.WARNING,
                        "anvil pid {0} ignored SIGTERM for {1}; killing it",
                        process.pid(),
                        STOP_GRACE);
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        try {
            Directories.deleteTree(root);
        } catch (UncheckedIOException e) {
            LOG.log(Level.WARNING, "could not delete anvil''s states in {0}: {1}", root, e);
        }
    }

    /** Options for one anvil; each maps to the anvil flag of the same name. */
    public static final class Builder {
        private FoundryProject project;
        private long chainId = DEFAULT_CHAIN_ID;
        private int accounts = 10;
        private long balanceEther = 10_000;
        private Duration blockTime;
        private Duration startupTimeout = Duration.ofSeconds(30);
        private int port;
        private final List<String> extraArguments = new ArrayList<>();

        private Builder() {}

        /** Where to find the anvil binary; by default {@link FoundryProject#locate()}. */
        public Builder project(FoundryProject project) {
            this.project = project;
            return this;
        }

        public Builder chainId(long chainId) {
            this.chainId = chainId;
            return this;
        }

        /** How many dev accounts to fund (anvil's {@code --accounts}). */
        public Builder accounts(int accounts) {
            if (accounts < 1) {
                throw new IllegalArgumentException("accounts must be at least 1, was " + accounts);
            }
            this.accounts = accounts;
            return this;
        }

        /** The balance of each dev account in whole ether (anvil's {@code --balance}). */
        public Builder balanceEther(long balanceEther) {
            this.balanceEther = balanceEther;
            return this;
        }

        /** Mine a block every {@code blockTime} instead of one per transaction. */
        public Builder blockTime(Duration blockTime) {
            if (blockTime.isNegative() || blockTime.isZero()) {
                throw new IllegalArgumentException("block time must be positive, was " + blockTime);
            }
            this.blockTime = blockTime;
            return this;
        }

        /**
         * Listen on {@code port} (anvil's usual is 8545) instead of a free port the OS picks: for a
         * chain other programs are told about, like the demo's {@code --keep-running}. Tests keep
         * the default 0.
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** Any other anvil flags, e.g. {@code "--hardfork", "prague"}; passed last. */
        public Builder arguments(String... arguments) {
            extraArguments.addAll(List.of(arguments));
            return this;
        }

        /**
         * Starts anvil and waits until it listens.
         *
         * @throws IllegalStateException if it exits or stays silent past the startup timeout; the
         *     message carries what it printed
         */
        public Anvil start() {
            FoundryProject foundry = project != null ? project : FoundryProject.locate();
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    foundry.binary("anvil").toString(),
                                    "--host",
                                    "127.0.0.1", // never reachable from outside this machine
                                    "--port",
                                    Integer.toString(
                                            port), // 0: the OS picks a free port; anvil prints it
                                    "--chain-id",
                                    Long.toString(chainId),
                                    "--accounts",
                                    Integer.toString(accounts),
                                    "--balance",
                                    Long.toString(balanceEther),
                                    "--color",
                                    "never"));
            if (blockTime != null) {
                command.add("--block-time");
                command.add(
                        BigDecimal.valueOf(blockTime.toMillis(), 3)
                                .stripTrailingZeros()
                                .toPlainString());
            }
            // Historical states anvil moves out of memory go to a directory of this chain's own,
            // deleted when it stops (see stop).
            Path states;
            try {
                states = Files.createTempDirectory("freehold-anvil-states-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for anvil's states", e);
            }
            command.add("--cache-path");
            command.add(states.toString());
            command.addAll(extraArguments);

            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                deleteTree(states);
                throw new UncheckedIOException("cannot start " + command.get(0), e);
            }
            Thread hook =
                    new Thread(() -> stop(process, states), "anvil-shutdown-" + process.pid());
            Runtime.getRuntime().addShutdownHook(hook);

            Startup startup = new Startup();
            Thread reader =
                    new Thread(() -> startup.read(process), "anvil-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();

            try {
                String rpcUrl =
                        startup.listening.get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
                List<Credentials> keys;
                synchronized (startup.recent) {
                    keys = List.copyOf(startup.credentials);
                }
                if (keys.size() != accounts) {
                    throw new IllegalStateException(
                            "anvil printed " + keys.size() + " private keys, expected " + accounts);
                }
                return new Anvil(process, states, hook, rpcUrl, chainId, keys, startup.recent);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                abort(process, states, hook);
                throw new IllegalStateException(
                        "anvil did not start ("
                                + command
                                + "):\n"
                                + String.join("\n", startup.recentLines()),
                        e instanceof ExecutionException ? e.getCause() : e);
            } catch (InterruptedException e) {
                abort(process, states, hook);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting anvil", e);
            }
        }

        private static void abort(Process process, Path states, Thread hook) {
            stop(process, states);
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }

    /**
     * Reads anvil's output for as long as it runs: the port and keys from the banner, then the log,
     * which must be drained or anvil blocks on a full pipe.
     */
    private static final class Startup {
        final CompletableFuture<String> listening = new CompletableFuture<>();
        final List<Credentials> credentials = new ArrayList<>();
        final Deque<String> recent = new ArrayDeque<>();

        void read(Process process) {
            try (BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    remember(line);
                    if (!listening.isDone()) {
                        parseBanner(line);
                    } else {
                        LOG.log(Level.DEBUG, "anvil {0}: {1}", process.pid(), line);
                    }
                }
            } catch (IOException e) {
                // The stream closes when the process ends; nothing left to read.
            } finally {
                listening.completeExceptionally(new IllegalStateException("anvil exited"));
            }
        }

        private void parseBanner(String line) {
            Matcher key = PRIVATE_KEY.matcher(line.strip());
            if (key.matches()) {
                synchronized (recent) {
                    credentials.add(Credentials.create(key.group(2)));
                }
                return;
            }
            Matcher listen = LISTENING.matcher(line.strip());
            if (listen.matches()) {
                listening.complete("http://" + listen.group(1) + ":" + listen.group(2));
            }
        }

        private void remember(String line) {
            synchronized (recent) {
                if (recent.size() == RECENT_LINES) {
                    recent.removeFirst();
                }
                recent.addLast(line);
            }
        }

        List<String> recentLines() {
            synchronized (recent) {
                return List.copyOf(recent);
            }
        }
    }
}
