package io.freehold.examples.common;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;

/**
 * Where an example app finds the chain, the node, the contracts and its key: options first, then
 * environment variables, then the defaults of a local chain started by {@code ./demo.sh
 * --keep-running}. The three options are declared here once ({@link #options}) for every app's
 * command line.
 *
 * @param rpcUrl the chain's JSON-RPC ({@code --rpc}, FREEHOLD_RPC_URL)
 * @param node the node's gRPC target ({@code --node}, FREEHOLD_NODE); "none" where the app can do
 *     without
 * @param deployment the contracts' addresses ({@code --deployment}, FREEHOLD_DEPLOYMENT)
 * @param key the app's key, from its environment variable only (never a flag: flags end up in shell
 *     history)
 */
public record ExampleSettings(String rpcUrl, String node, Deployment deployment, Credentials key) {

    /** anvil's chain id: the only chain the built-in dev keys may sign for. */
    public static final long LOCAL_CHAIN_ID = 31_337;

    /**
     * The options every app shares: {@code --rpc}, {@code --node}, {@code --deployment}.
     *
     * @param offline whether the app can do without a node ({@code --node none})
     */
    public static List<Option> options(boolean offline) {
        return List.of(
                Option.value("rpc", "URL", "http://127.0.0.1:8545", "the chain's JSON-RPC endpoint")
                        .orEnvironment("FREEHOLD_RPC_URL"),
                Option.value(
                                "node",
                                offline ? "HOST:PORT|none" : "HOST:PORT",
                                "localhost:50051",
                                offline
                                        ? "the node's gRPC API, or none to value positions offline from the chain"
                                        : "the node's gRPC API")
                        .orEnvironment("FREEHOLD_NODE"),
                Option.value(
                                "deployment",
                                "FILE",
                                "contracts/deployments/local.json",
                                "the contracts' addresses")
                        .orEnvironment("FREEHOLD_DEPLOYMENT"));
    }

    /**
     * @param args a command line declared with {@link #options}
     * @param keyVariable the environment variable holding the app's key (hex)
     * @param localKey the key to use on the local chain when the variable is unset: one of anvil's
     *     published dev keys, for the local chain only
     * @throws IllegalArgumentException if the deployment file is missing (the message says what to
     *     do)
     */
    public static ExampleSettings from(
            Args args, Map<String, String> env, String keyVariable, String localKey) {
        String rpc = args.get("rpc");
        String node = args.get("node");
        Path deployment = args.get("deployment", Path::of);
        if (!deployment.toFile().isFile()) {
            throw new IllegalArgumentException(
                    "no deployment file at "
                            + deployment.toAbsolutePath()
                            + "; start a local chain with ./demo.sh --keep-running, or pass --deployment");
        }
        Deployment contracts = Deployment.read(deployment);
        if (!env.containsKey(keyVariable) && contracts.chainId() != LOCAL_CHAIN_ID) {
            throw new IllegalArgumentException(
                    "set "
                            + keyVariable
                            + ": without it the app signs with one of"
                            + " anvil's published dev keys, which is for the local chain ("
                            + LOCAL_CHAIN_ID
                            + ") only, not "
                            + contracts.chainId());
        }
        return new ExampleSettings(
                rpc, node, contracts, Credentials.create(env.getOrDefault(keyVariable, localKey)));
    }

    public boolean offline() {
        return node.equals("none");
    }

    public Address account() {
        return Address.fromHex(key.getAddress());
    }

    public Address pool() {
        return Address.fromHex(deployment.lendingPool());
    }

    /** The market of a property, by its id in the deployment (e.g. FH-DET-0412). */
    public MarketId market(String property) {
        Deployment.MarketEntry entry = deployment.markets().get(property);
        if (entry == null) {
            throw new IllegalArgumentException(
                    "no property "
                            + property
                            + " in the deployment; known: "
                            + deployment.markets().keySet());
        }
        return MarketId.fromHex(entry.id());
    }

    /** The property of a market, or the market id when the deployment does not name it. */
    public String property(MarketId market) {
        return deployment.markets().entrySet().stream()
                .filter(e -> e.getValue().id().equalsIgnoreCase(market.toString()))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(market.toString());
    }
}
