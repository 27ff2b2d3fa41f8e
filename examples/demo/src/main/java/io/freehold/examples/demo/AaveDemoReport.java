package io.freehold.examples.demo;

/**
 * What a run of the Aave scenario did, for its summary and its test.
 *
 * @param borrowers borrowers seeded
 * @param before accounts with debt by band before the fall (healthy, warning, liquidatable), as the
 *     node counts them
 * @param after the same after the liquidations
 * @param outcome the fall, the opportunities and the liquidations
 * @param books node against pool at the end
 * @param liquidatedBy who sent the liquidationCalls
 * @param liquidatorAddress the account the pool names as liquidator
 * @param attempts the node's own liquidation attempts (none when the demo's bot liquidates)
 * @param anvilPid the chain's process (gone after the run unless kept running)
 * @param workDirectory the node's keystore and attempts (deleted after the run)
 */
record AaveDemoReport(
        int borrowers,
        long[] before,
        long[] after,
        AavePriceFall.Outcome outcome,
        AaveBooks.Reconciliation books,
        String liquidatedBy,
        String liquidatorAddress,
        java.util.List<io.freehold.sdk.LiquidationAttempt> attempts,
        long anvilPid,
        java.nio.file.Path workDirectory) {

    boolean reconciles() {
        return books.reconciles();
    }
}
