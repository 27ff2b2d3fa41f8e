package io.freehold.node.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * What the node follows and how closely: the chain, the contracts, where to start, and when a block
 * counts as final.
 *
 * <p>Bound from {@code freehold.node.*} (kebab-case; environment variables work too, e.g. {@code
 * FREEHOLD_NODE_CHAIN_ID=1}). The RPC endpoints are {@code freehold.node.rpc.*} ({@link
 * io.freehold.node.chain.RpcConfiguration}); the store is Micronaut's {@code datasources.default.*}
 * (see application.yml). Checked when the node starts: a setting that cannot work stops it with a
 * message naming the setting ({@link ContractAddresses#resolve}).
 *
 * @param chainId the chain the node must be on; the endpoints' {@code eth_chainId} is checked
 *     against it before anything is read. Default 31337 (anvil). Mainnet is 1, Base 8453, Sepolia
 *     11155111.
 * @param deployment a deployment JSON ({@code contracts/deployments/local.json} has the shape)
 *     giving the contracts' addresses, the property tokens and the start block. Optional when the
 *     addresses below are set; an address set below wins over the file's.
 * @param lendingPool the LendingPool address
 * @param oracle the AppraisalOracle address
 * @param identityRegistry the IdentityRegistry address
 * @param dutchAuction the DutchAuction address (auction markets sell collateral through it);
 *     without it and without the deployment's {@code dutchAuction}, auction events are not read and
 *     an auction market stops the node
 * @param propertyTokens property tokens to follow from the start block (freezes, pauses, rent). The
 *     collateral token of every market the pool creates is followed too, listed here or not.
 * @param startBlock the first block to read; a block before the first contract was deployed.
 *     Default: the deployment's {@code startBlock}, else 0. Ignored once the store has a
 *     checkpoint.
 * @param confirmations blocks on top of a block before it is final. Blocks younger than that are
 *     "unconfirmed": their changes are journaled so a reorg can undo them, and they form the window
 *     in which a reorg is detected and handled. A reorg deeper than this is handled as {@code
 *     deep-reorg} says. Default 64 (two Ethereum epochs, past which mainnet blocks are finalized;
 *     use at least the chain's finality depth).
 * @param pollInterval how often the node asks for a new head once caught up. Default 1 s.
 * @param progressInterval how often catch-up progress is logged. Default 5 s.
 * @param deepReorg what the node does when the chain replaces a block deeper than the confirmations
 *     (blocks the node took for final): {@code recover} (default) rolls the store back to the
 *     newest block it stored that the chain still has, or, when none is left, clears the state and
 *     resyncs from the start block; health says NOT_SERVING until it is back at the head. {@code
 *     stop} stops following and exits with status 70, leaving the store as it was, for operators
 *     who want a person to look first ({@link DeepReorg}).
 * @param journalBlocks how many of the newest blocks keep their journal and header in the store:
 *     the deepest reorg a rollback can undo. At least the confirmations, which is the default. A
 *     larger value lets {@code deep-reorg=recover} undo a reorg deeper than the confirmations (up
 *     to this depth) by a rollback instead of a resync from the start block, at the price of a
 *     longer journal.
 * @param follow whether the node follows the chain. Default true; {@code false} leaves the follower
 *     and what hangs on it (health, metrics) out of the application, for tools and tests that only
 *     need the configuration or the store.
 */
@ConfigurationProperties("freehold.node")
public record NodeConfiguration(
        @Bindable(defaultValue = "31337") long chainId,
        @Nullable String deployment,
        @Nullable String lendingPool,
        @Nullable String oracle,
        @Nullable String identityRegistry,
        @Nullable String dutchAuction,
        @Nullable List<String> propertyTokens,
        @Nullable Long startBlock,
        @Bindable(defaultValue = "64") int confirmations,
        @Bindable(defaultValue = "1s") Duration pollInterval,
        @Bindable(defaultValue = "5s") Duration progressInterval,
        @Bindable(defaultValue = "recover") DeepReorg deepReorg,
        @Nullable Integer journalBlocks,
        @Bindable(defaultValue = "true") boolean follow) {

    public NodeConfiguration {
        propertyTokens = propertyTokens == null ? List.of() : List.copyOf(propertyTokens);
        if (chainId <= 0) {
            throw invalid("chain-id", "must be positive, was " + chainId);
        }
        if (startBlock != null && startBlock < 0) {
            throw invalid("start-block", "must not be negative, was " + startBlock);
        }
        if (confirmations < 1) {
            throw invalid("confirmations", "must be at least 1, was " + confirmations);
        }
        if (deepReorg == null) {
            deepReorg = DeepReorg.RECOVER;
        }
        if (journalBlocks == null) {
            journalBlocks = confirmations;
        }
        if (journalBlocks < confirmations) {
            throw invalid(
                    "journal-blocks",
                    "must be at least freehold.node.confirmations ("
                            + confirmations
                            + "), was "
                            + journalBlocks);
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw invalid("poll-interval", "must be a positive duration, was " + pollInterval);
        }
        if (progressInterval == null
                || progressInterval.isNegative()
                || progressInterval.isZero()) {
            throw invalid(
                    "progress-interval", "must be a positive duration, was " + progressInterval);
        }
    }

    /** A configuration for {@code chainId} with the defaults above; tests and tools start here. */
    public static NodeConfiguration of(long chainId, String deployment) {
        return new NodeConfiguration(
                chainId,
                deployment,
                null,
                null,
                null,
                null,
                null,
                null,
                64,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                DeepReorg.RECOVER,
                null,
                true);
    }

    /**
     * This configuration with another number of confirmations; a journal as deep as the old
     * confirmations follows the new number, a deeper one stays (if still deep enough).
     */
    public NodeConfiguration withConfirmations(int value) {
        return new NodeConfiguration(
                chainId,
                deployment,
                lendingPool,
                oracle,
                identityRegistry,
                dutchAuction,
                propertyTokens,
                startBlock,
                value,
                pollInterval,
                progressInterval,
                deepReorg,
                journalBlocks == confirmations ? value : Math.max(value, journalBlocks),
                follow);
    }

    /** This configuration with another poll interval. */
    public NodeConfiguration withPollInterval(Duration value) {
        return new NodeConfiguration(
                chainId,
                deployment,
                lendingPool,
                oracle,
                identityRegistry,
                dutchAuction,
                propertyTokens,
                startBlock,
                confirmations,
                value,
                progressInterval,
                deepReorg,
                journalBlocks,
                follow);
    }

    /** This configuration with another answer to a reorg deeper than the confirmations. */
    public NodeConfiguration withDeepReorg(DeepReorg value) {
        return new NodeConfiguration(
                chainId,
                deployment,
                lendingPool,
                oracle,
                identityRegistry,
                dutchAuction,
                propertyTokens,
                startBlock,
                confirmations,
                pollInterval,
                progressInterval,
                value,
                journalBlocks,
                follow);
    }

    /** This configuration with another journal depth. */
    public NodeConfiguration withJournalBlocks(int value) {
        return new NodeConfiguration(
                chainId,
                deployment,
                lendingPool,
                oracle,
                identityRegistry,
                dutchAuction,
                propertyTokens,
                startBlock,
                confirmations,
                pollInterval,
                progressInterval,
                deepReorg,
                value,
                follow);
    }

    static IllegalArgumentException invalid(String name, String problem) {
        return new IllegalArgumentException("freehold.node." + name + " " + problem);
    }
}
