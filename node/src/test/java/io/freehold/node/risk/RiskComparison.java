package io.freehold.node.risk;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.node.state.Checkpoint;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;

/**
 * The risk engine against the contracts' own views at the engine's block, field by field, to the
 * wei: every account's {@code position(id, account)} and {@code isLiquidatable(id, account)}, every
 * market's price, staleness ({@code isStale}) and pause flag; and the engine's {@code
 * liquidatable()} list against the accounts the pool says are liquidatable.
 */
final class RiskComparison {

    private final List<String> differences = new ArrayList<>();
    private final Set<String> chainLiquidatable = new TreeSet<>();
    private int compared;

    /** The differences between the engine and the chain at the engine's block; empty when equal. */
    static RiskComparison compare(
            Anvil anvil, Deployment deployment, List<String> accounts, RiskEngine engine)
            throws Exception {
        RiskComparison c = new RiskComparison();
        c.run(anvil, deployment, accounts, engine);
        return c;
    }

    List<String> differences() {
        return differences;
    }

    int compared() {
        return compared;
    }

    /** "market account" of every position the pool's isLiquidatable answered true for. */
    Set<String> chainLiquidatable() {
        return chainLiquidatable;
    }

    private void run(Anvil anvil, Deployment deployment, List<String> accounts, RiskEngine engine)
            throws Exception {
        Checkpoint asOf = engine.asOf().orElseThrow();
        DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(asOf.number()));
        var reader = new ReadonlyTransactionManager(anvil.web3j(), accounts.get(0));
        LendingPool pool =
                LendingPool.load(deployment.lendingPool(), anvil.web3j(), reader, LocalSystem.GAS);
        pool.setDefaultBlockParameter(at);
        AppraisalOracle oracle =
                AppraisalOracle.load(deployment.oracle(), anvil.web3j(), reader, LocalSystem.GAS);
        oracle.setDefaultBlockParameter(at);
        for (Deployment.MarketEntry entry : deployment.markets().values()) {
            MarketId id = MarketId.of(entry.id());
            byte[] rawId = Numeric.hexStringToByteArray(entry.id());
            String where = "market " + entry.name() + " at block " + asOf.number();
            Optional<MarketRisk> market = engine.market(id);
            if (market.isEmpty()) {
                differences.add(where + ": missing in the engine");
                continue;
            }
            MarketRisk m = market.get();
            PropertyToken token =
                    PropertyToken.load(
                            entry.propertyToken(), anvil.web3j(), reader, LocalSystem.GAS);
            token.setDefaultBlockParameter(at);
            AppraisalOracle.Feed feed = oracle.feed(entry.propertyToken()).send();
            equal(where + " price", feed.price, m.price());
            equal(
                    where + " priceUpdatedAt",
                    feed.updatedAt,
                    BigInteger.valueOf(m.priceUpdatedAt()));
            equal(where + " stale", oracle.isStale(entry.propertyToken()).send(), m.stale());
            equal(where + " paused", token.paused().send(), m.paused());
            equal(where + " asOf", asOf, m.asOf());
            for (String account : accounts) {
                String who = where + " position of " + account;
                LendingPool.PositionView v = pool.position(rawId, account).send();
                boolean liquidatable = pool.isLiquidatable(rawId, account).send();
                if (liquidatable) {
                    chainLiquidatable.add(id + " " + Address.of(account));
                }
                Optional<PositionRisk> risk = engine.risk(id, Address.of(account));
                if (risk.isEmpty()) {
                    // Never touched: the contract's mapping reads all zeros.
                    equal(
                            who + " (unknown to the engine) supplyShares",
                            v.supplyShares,
                            BigInteger.ZERO);
                    equal(
                            who + " (unknown to the engine) borrowShares",
                            v.borrowShares,
                            BigInteger.ZERO);
                    equal(
                            who + " (unknown to the engine) collateral",
                            v.collateral,
                            BigInteger.ZERO);
                    equal(who + " (unknown to the engine) isLiquidatable", liquidatable, false);
                    continue;
                }
                PositionRisk r = risk.get();
                equal(who + " supplyShares", v.supplyShares, r.valuation().supplyShares());
                equal(who + " supplyAssets", v.supplyAssets, r.valuation().supplyAssets());
                equal(who + " borrowShares", v.borrowShares, r.valuation().borrowShares());
                equal(who + " debt", v.debt, r.debt());
                equal(who + " collateral", v.collateral, r.collateral());
                equal(who + " collateralValue", v.collateralValue, r.collateralValue());
                equal(who + " ltv", v.ltv, r.ltv());
                equal(who + " healthFactor", v.healthFactor, r.healthFactor());
                equal(who + " liquidationPrice", v.liquidationPrice, r.liquidationPrice());
                equal(who + " maxBorrowable", v.maxBorrowable, r.maxBorrowable());
                equal(who + " price", v.price, r.price());
                equal(
                        who + " priceUpdatedAt",
                        v.priceUpdatedAt,
                        BigInteger.valueOf(m.priceUpdatedAt()));
                equal(who + " priceStale", v.priceStale, m.stale());
                equal(who + " isLiquidatable", liquidatable, r.liquidatable());
                equal(who + " asOf", asOf, r.asOf());
            }
        }
        Set<String> engineLiquidatable = new TreeSet<>();
        engine.liquidatable()
                .forEach(r -> engineLiquidatable.add(r.marketId() + " " + r.account()));
        equal("liquidatable() at block " + asOf.number(), chainLiquidatable, engineLiquidatable);
    }

    private void equal(String what, Object chain, Object engine) {
        compared++;
        if (!Objects.equals(chain, engine)) {
            differences.add(what + ": chain " + chain + ", engine " + engine);
        }
    }
}
