package io.freehold.examples.demo;

import io.freehold.contracts.math.aave.AccountData;
import io.freehold.sdk.AaveAccount;
import io.freehold.sdk.AaveMarket;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.Market;
import io.freehold.sdk.NotFoundException;
import io.freehold.sdk.Position;
import io.freehold.sdk.PositionQuery;
import io.freehold.types.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Do the node's books of the Aave pool and the pool agree? Every account the node serves, and every
 * account the demo knows of, read through the SDK and compared with the pool's views at the block
 * the node's answer names: {@code getUserAccountData}'s six figures, and in each reserve the aToken
 * and variable debt token's {@code scaledBalanceOf} and {@code balanceOf}, to the wei; the listing
 * of accounts with debt equal to those the pool has with debt; and each reserve's price and
 * normalized income and debt.
 */
final class AaveBooks {

    /**
     * The outcome: how much was compared, and each difference (none when the books reconcile).
     *
     * @param block the node's applied block the comparison was made at
     * @param accounts the accounts compared
     * @param withDebt of them, those with debt (the node's listing)
     */
    record Reconciliation(long block, int accounts, int withDebt, List<String> differences) {
        boolean reconciles() {
            return differences.isEmpty();
        }
    }

    private AaveBooks() {}

    static Reconciliation reconcile(FreeholdClient node, AavePool pool, List<String> known)
            throws Exception {
        Market market = node.markets().get(0);
        long block = market.asOf().blockNumber();
        AaveMarket aave = market.aave().orElseThrow();
        List<String> differences = new ArrayList<>();

        for (AaveMarket.Reserve r : aave.reserves()) {
            String asset = r.asset().hex();
            compare(
                    differences,
                    "reserve " + asset + " price",
                    r.price().orElse(null),
                    pool.uintView(pool.market.oracle(), "getAssetPrice", asset, block));
            compare(
                    differences,
                    "reserve " + asset + " normalized income",
                    r.normalizedIncome(),
                    pool.uintView(pool.market.pool(), "getReserveNormalizedIncome", asset, block));
            compare(
                    differences,
                    "reserve " + asset + " normalized variable debt",
                    r.normalizedVariableDebt(),
                    pool.uintView(
                            pool.market.pool(), "getReserveNormalizedVariableDebt", asset, block));
        }

        Set<Address> listed;
        try (Stream<Position> positions = node.positions(PositionQuery.all())) {
            listed =
                    positions.map(Position::account).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<Address> accounts = new TreeSet<>(listed);
        known.forEach(a -> accounts.add(Address.of(a)));
        int withDebt = 0;
        for (Address account : accounts) {
            Position p;
            try {
                p = node.position(market.marketId(), account);
            } catch (NotFoundException e) {
                AccountData chain = pool.accountData(account.hex(), block);
                if (chain.totalCollateralBase().signum() != 0
                        || chain.totalDebtBase().signum() != 0) {
                    differences.add(account + ": the pool has it, the node does not");
                }
                continue;
            }
            long at = p.asOf().blockNumber();
            AaveAccount a = p.aave().orElseThrow();
            AccountData chain = pool.accountData(account.hex(), at);
            compare(differences, account + " getUserAccountData at " + at, a.accountData(), chain);
            boolean hasDebt = chain.totalDebtBase().signum() > 0;
            if (hasDebt) {
                withDebt++;
            }
            if (hasDebt != listed.contains(account)) {
                differences.add(
                        account
                                + (hasDebt
                                        ? ": has debt but is not listed"
                                        : ": listed without debt"));
            }
            for (AaveAccount.Reserve r : a.reserves()) {
                AaveMarket.Reserve reserve = aave.reserve(r.asset()).orElseThrow();
                String who = account.hex();
                String aToken = reserve.aToken().hex();
                String debtToken = reserve.variableDebtToken().hex();
                String where = account + " in " + r.asset();
                compare(
                        differences,
                        where + " scaled aToken balance",
                        r.scaledATokenBalance(),
                        pool.uintView(aToken, "scaledBalanceOf", who, at));
                compare(
                        differences,
                        where + " aToken balance",
                        r.aTokenBalance(),
                        pool.uintView(aToken, "balanceOf", who, at));
                compare(
                        differences,
                        where + " scaled variable debt",
                        r.scaledVariableDebt(),
                        pool.uintView(debtToken, "scaledBalanceOf", who, at));
                compare(
                        differences,
                        where + " variable debt",
                        r.variableDebt(),
                        pool.uintView(debtToken, "balanceOf", who, at));
            }
        }
        return new Reconciliation(block, accounts.size(), withDebt, differences);
    }

    private static void compare(List<String> differences, String what, Object node, Object pool) {
        if (!java.util.Objects.equals(node, pool)) {
            differences.add(what + ": node " + node + ", pool " + pool);
        }
    }
}
