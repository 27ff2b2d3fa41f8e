package io.freehold.examples.demo;

import java.nio.file.Path;

/**
 * What a run of the demo did, for its summary and its test.
 *
 * @param borrowers borrowers seeded
 * @param before positions by band before the fall
 * @param after positions by band after the liquidations
 * @param outcome the fall and the liquidations
 * @param auctions the auction market's cure windows and auctions
 * @param rent the rent paid into a property and repaid from
 * @param books node against chain at the end
 * @param anvilPid the chain's process (gone after the run unless kept running)
 * @param workDirectory the node's database and keystore (deleted after the run)
 * @param deployment where the contracts were
 */
record DemoReport(
        int borrowers,
        Bands before,
        Bands after,
        PriceFall.Outcome outcome,
        CureAndAuction.Outcome auctions,
        Rent.Outcome rent,
        Books.Reconciliation books,
        long anvilPid,
        Path workDirectory,
        io.freehold.contracts.bindings.Deployment deployment) {

    /**
     * The node agreed with the chain: its books at the end, and its cure flags and auctions while
     * they ran.
     */
    boolean reconciles() {
        return books.reconciles() && auctions.inAuction().reconciles();
    }
}
