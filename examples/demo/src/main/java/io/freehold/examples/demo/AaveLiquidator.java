package io.freehold.examples.demo;

import io.freehold.aave.local.ChainWriter;
import io.freehold.sdk.AaveLiquidationCall;
import io.freehold.sdk.Opportunity;
import io.freehold.types.Address;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Who liquidates in the Aave scenario: {@link Node}, the node itself in {@code EXECUTE} mode (the
 * demo waits for its {@code LiquidationCall}), or {@link Bot}, the demo's own account sending the
 * call the node sized ({@code --aave-bot}: the node then only watches). The scenario is the same
 * either way.
 */
interface AaveLiquidator {

    /** Who it is, for the demo's output. */
    String describe();

    /** The address the pool names as liquidator in the {@code LiquidationCall} event. */
    String address();

    /**
     * Liquidates {@code opportunity} (the bot), or waits for the next liquidation of its account
     * (the node), and returns the pool's {@code LiquidationCall}.
     */
    AavePool.LiquidationCall liquidate(Opportunity opportunity) throws Exception;

    /**
     * The node, liquidating by itself in {@code EXECUTE} mode with its key: each call returns the
     * next {@code LiquidationCall} the pool emitted for the account with the node's key as
     * liquidator (the demo sends nothing).
     */
    final class Node implements AaveLiquidator {

        private static final Duration PATIENCE = Duration.ofSeconds(60);

        private final AavePool pool;
        private final String key;
        private final long fromBlock;
        private final Set<String> returned = new HashSet<>();

        /**
         * @param key the node's liquidator key's address
         * @param fromBlock the first block to look in
         */
        Node(AavePool pool, String key, long fromBlock) {
            this.pool = pool;
            this.key = key;
            this.fromBlock = fromBlock;
        }

        @Override
        public String describe() {
            return "the node itself (EXECUTE mode, key "
                    + Money.shortAddress(Address.of(key).toChecksumHex())
                    + "); the demo only waits for each LiquidationCall";
        }

        @Override
        public String address() {
            return key;
        }

        @Override
        public AavePool.LiquidationCall liquidate(Opportunity o) throws Exception {
            String user = o.position().account().hex();
            long giveUp = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < giveUp) {
                for (AavePool.LiquidationCall call : pool.liquidationCalls(fromBlock, user)) {
                    if (call.liquidator().equalsIgnoreCase(key)
                            && returned.add(call.transactionHash())) {
                        return call;
                    }
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(
                    "the node did not liquidate "
                            + user
                            + " within a minute; its log and ListAttempts say why");
        }
    }

    /**
     * A bot of the demo's: anvil's dev account 9, holding USDC and having approved the pool,
     * sending exactly the {@code liquidationCall} the node sized: the opportunity's collateral and
     * debt assets, the account, and {@code maxRepay} of the debt asset.
     */
    final class Bot implements AaveLiquidator {

        private final AavePool pool;
        private final ChainWriter account;

        Bot(AavePool pool, ChainWriter account) {
            this.pool = pool;
            this.account = account;
        }

        @Override
        public String describe() {
            return "the demo's bot "
                    + Money.shortAddress(Address.of(account.address()).toChecksumHex())
                    + ", sending the node's sized liquidationCall (the node only watches)";
        }

        @Override
        public String address() {
            return account.address();
        }

        @Override
        public AavePool.LiquidationCall liquidate(Opportunity o) throws Exception {
            AaveLiquidationCall call = o.aave().orElseThrow();
            return pool.liquidationCall(
                    account,
                    call.collateralAsset().hex(),
                    call.debtAsset().hex(),
                    o.position().account().hex(),
                    o.maxRepay());
        }
    }
}
