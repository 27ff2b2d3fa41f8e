package io.freehold.examples.demo;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.Market;
import io.freehold.sdk.Position;
import io.freehold.sdk.PositionQuery;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;

/**
 * Do the node's books and the chain's agree? Every position the node serves (and every account the
 * demo knows of) compared with the pool's views at the node's applied block: shares, collateral,
 * debt, LTV, health factor, claimable rent, to the wei; every market's totals; and on the auction
 * market the cure flags and auctions ({@link AuctionBooks}).
 */
final class Books {

    /**
     * The outcome: how much was compared, and each difference found (none when the books
     * reconcile).
     */
    record Reconciliation(
            long block,
            int positions,
            int markets,
            List<String> differences,
            AuctionBooks.Reconciliation cureAndAuctions) {
        boolean reconciles() {
            return differences.isEmpty() && cureAndAuctions.reconciles();
        }
    }

    private Books() {}

    static Reconciliation reconcile(
            FreeholdClient node, Anvil anvil, Deployment deployment, List<String> accounts)
            throws Exception {
        long block = node.status().appliedBlock();
        LendingPool pool =
                LendingPool.load(
                        deployment.lendingPool(),
                        anvil.web3j(),
                        new ReadonlyTransactionManager(
                                anvil.web3j(), deployment.accounts().admin()),
                        LocalSystem.GAS);
        pool.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        List<String> differences = new ArrayList<>();

        Map<String, Position> served =
                node.positions(PositionQuery.all())
                        .collect(
                                Collectors.toMap(
                                        p ->
                                                p.marketId()
                                                        + "/"
                                                        + p.account().toString().toLowerCase(),
                                        p -> p));
        for (Position p : served.values()) {
            if (p.asOf().blockNumber() != block) {
                differences.add(
                        p.account()
                                + ": valued at block "
                                + p.asOf().blockNumber()
                                + ", not "
                                + block);
                continue;
            }
            LendingPool.PositionView v =
                    pool.position(
                                    Numeric.hexStringToByteArray(p.marketId().toString()),
                                    p.account().toString())
                            .send();
            compare(differences, p.account() + " borrow shares", p.borrowShares(), v.borrowShares);
            compare(differences, p.account() + " supply shares", p.supplyShares(), v.supplyShares);
            compare(differences, p.account() + " collateral", p.collateral(), v.collateral);
            compare(differences, p.account() + " debt", p.debt(), v.debt);
            compare(differences, p.account() + " LTV", p.ltv().raw(), v.ltv);
            compare(
                    differences,
                    p.account() + " health factor",
                    p.healthFactor().toWad().raw(),
                    v.healthFactor);
            compare(
                    differences,
                    p.account() + " claimable rent",
                    p.claimableRent(),
                    v.claimableRent);
        }
        // An account the chain has a position for must be served too (a missed event would show
        // here).
        for (Deployment.MarketEntry m : deployment.markets().values()) {
            for (String account : accounts) {
                LendingPool.Position shares =
                        pool.positionShares(Numeric.hexStringToByteArray(m.id()), account).send();
                boolean any =
                        shares.borrowShares.signum() > 0
                                || shares.supplyShares.signum() > 0
                                || shares.collateral.signum() > 0;
                if (any && !served.containsKey(m.id() + "/" + account.toLowerCase())) {
                    differences.add(
                            account
                                    + " has a position in "
                                    + m.name()
                                    + " the node does not serve");
                }
            }
        }
        List<Market> markets = node.markets();
        for (Market m : markets) {
            LendingPool.Market onChain =
                    pool.market(Numeric.hexStringToByteArray(m.marketId().toString())).send();
            compare(
                    differences,
                    m.marketId() + " total supply",
                    m.totalSupplyAssets(),
                    onChain.totalSupplyAssets);
            compare(
                    differences,
                    m.marketId() + " total borrow",
                    m.totalBorrowAssets(),
                    onChain.totalBorrowAssets);
            compare(
                    differences,
                    m.marketId() + " total borrow shares",
                    m.totalBorrowShares(),
                    onChain.totalBorrowShares);
            compare(
                    differences,
                    m.marketId() + " total collateral",
                    m.totalCollateral(),
                    onChain.totalCollateral);
        }
        return new Reconciliation(
                block,
                served.size(),
                markets.size(),
                differences,
                AuctionBooks.reconcile(node, anvil, deployment));
    }

    private static void compare(
            List<String> differences, String what, BigInteger node, BigInteger chain) {
        if (!node.equals(chain)) {
            differences.add(what + ": node " + node + ", chain " + chain);
        }
    }
}
