package io.freehold.examples.demo;

import io.freehold.aave.local.ChainWriter;
import io.freehold.sdk.AaveLiquidationCall;
import io.freehold.sdk.Opportunity;

/**
 * Who liquidates in the Aave scenario. Today the node serves sized opportunities but does not
 * liquidate on Aave pools (docs/AAVE.md, "What does not work yet"), so the demo's own bot account
 * does, with the node's figures. Once the node liquidates, an implementation that waits for the
 * node's {@code LiquidationCall} replaces {@link Bot}: nothing else in the scenario changes.
 */
interface AaveLiquidator {

    /** Who it is, for the demo's output ("the demo's bot 0x90F7…b906"). */
    String describe();

    /** The address the pool names as liquidator in the {@code LiquidationCall} event. */
    String address();

    /**
     * Liquidates {@code opportunity} (or waits until it is liquidated) and returns the pool's
     * {@code LiquidationCall}.
     */
    AavePool.LiquidationCall liquidate(Opportunity opportunity) throws Exception;

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
                    + Money.shortAddress(
                            io.freehold.types.Address.of(account.address()).toChecksumHex());
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
