package io.freehold.examples.borrower;

import io.freehold.contracts.local.Deployment;
import java.nio.file.Path;
import java.util.Map;
import org.web3j.crypto.Credentials;

/**
 * Where the borrower app finds the chain, the node, the contracts and its key: flags first, then
 * environment variables, then the defaults of a local chain started by {@code ./demo.sh --keep-running}.
 *
 * @param rpcUrl the chain's JSON-RPC ({@code --rpc}, FREEHOLD_RPC_URL)
 * @param node the node's gRPC target ({@code --node}, FREEHOLD_NODE); "none" to value positions offline
 * @param deployment the contracts' addresses ({@code --deployment}, FREEHOLD_DEPLOYMENT)
 * @param key the borrower's key (FREEHOLD_BORROWER_KEY only, never a flag: flags end up in shell history)
 */
record Settings(String rpcUrl, String node, Deployment deployment, Credentials key) {

    /**
     * anvil's dev account 2, the local system's borrower: a key published in anvil's own docs, for the
     * local chain only. Anything real comes from FREEHOLD_BORROWER_KEY.
     */
    static final String LOCAL_BORROWER_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

    static Settings from(Map<String, String> flags, Map<String, String> env) {
        String rpc = flags.getOrDefault("rpc", env.getOrDefault("FREEHOLD_RPC_URL", "http://127.0.0.1:8545"));
        String node = flags.getOrDefault("node", env.getOrDefault("FREEHOLD_NODE", "localhost:50051"));
        Path deployment = Path.of(flags.getOrDefault("deployment",
                env.getOrDefault("FREEHOLD_DEPLOYMENT", "contracts/deployments/local.json")));
        if (!deployment.toFile().isFile()) {
            throw new IllegalArgumentException("no deployment file at " + deployment.toAbsolutePath()
                    + "; start a local chain with ./demo.sh --keep-running, or pass --deployment");
        }
        Credentials key = Credentials.create(env.getOrDefault("FREEHOLD_BORROWER_KEY", LOCAL_BORROWER_KEY));
        return new Settings(rpc, node, Deployment.read(deployment), key);
    }

    boolean offline() {
        return node.equals("none");
    }
}
