package io.freehold.bench;

import io.freehold.contracts.bindings.PoolEvents;
import io.freehold.contracts.generated.AppraisalOracle;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * The moves of a liquidation trial on the local system's three markets, shared by the benchmarks
 * that time how soon the node liquidates (inclusion, failover): reopen a loan at 64 % LTV, force
 * the appraisal 20 % down (the loan is then at 80 %, above the 75 % liquidation LTV), find the
 * liquidation, and set the appraisal back before the market is used again.
 *
 * <p>The admin's transactions are signed here with a nonce counted locally (read from the chain at
 * the first one), so a restore and the next trial's borrow can be sent without waiting and share a
 * block.
 */
final class LiquidationTrials {

    private static final String LIQUIDATE = PoolEvents.LIQUIDATE.topic();

    private final LocalNode node;
    private final Credentials admin;
    private final Credentials borrower;
    private final LendingPool pool;
    private final AppraisalOracle oracle;
    private final List<String> tokens = new ArrayList<>();
    private final List<byte[]> markets = new ArrayList<>();
    private final List<BigInteger> prices = new ArrayList<>();
    private long adminNonce = -1;

    /**
     * Approves the pool for the borrower's property tokens and the liquidator's stablecoin, once.
     */
    LiquidationTrials(
            LocalNode node, Credentials admin, Credentials borrower, Credentials liquidator)
            throws Exception {
        this.node = node;
        this.admin = admin;
        this.borrower = borrower;
        for (LocalSystem.Property p : LocalSystem.PROPERTIES) {
            var m = node.deployment.market(p.id());
            tokens.add(m.propertyToken());
            markets.add(Numeric.hexStringToByteArray(m.id()));
            prices.add(LocalSystem.priceOfCents(p.priceCents()));
            PropertyToken.load(
                            m.propertyToken(),
                            node.anvil.web3j(),
                            node.anvil.transactionManager(borrower),
                            LocalSystem.GAS)
                    .approve(node.deployment.lendingPool(), Uint256.MAX)
                    .send();
        }
        MockStablecoin.load(
                        node.deployment.stablecoin(),
                        node.anvil.web3j(),
                        node.anvil.transactionManager(liquidator),
                        LocalSystem.GAS)
                .approve(node.deployment.lendingPool(), Uint256.MAX)
                .send();
        pool = LocalSystem.pool(node.anvil, node.deployment, borrower);
        oracle =
                AppraisalOracle.load(
                        node.deployment.oracle(),
                        node.anvil.web3j(),
                        node.anvil.transactionManager(admin),
                        LocalSystem.GAS);
    }

    /** How many markets the trials rotate over. */
    int markets() {
        return markets.size();
    }

    /** The market's id, 0x-hex. */
    String marketHex(int m) {
        return Numeric.toHexString(markets.get(m));
    }

    /** Sends (does not wait for) the market's appraisal set back to its deployed price. */
    String restoreAppraisal(int m) throws Exception {
        return forceAppraisal(m, prices.get(m), "bench: back to the appraisal");
    }

    /** Sends (does not wait for) the market's appraisal forced 20 % below its deployed price. */
    String dropAppraisal(int m) throws Exception {
        return forceAppraisal(
                m,
                prices.get(m).multiply(BigInteger.valueOf(80)).divide(BigInteger.valueOf(100)),
                "bench: a comparable sold far below");
    }

    /**
     * Tops up the borrower's collateral by 15 tokens and borrows up to 64 % LTV, both signed with
     * consecutive nonces and sent together so they share a block; returns once both are mined.
     *
     * @return whether the debt grew (false: the borrow failed or there was nothing to borrow, and
     *     the trial should be skipped)
     */
    boolean reopenLoan(int m) throws Exception {
        String me = borrower.getAddress();
        LendingPool.PositionView v = pool.position(markets.get(m), me).send();
        BigInteger add = LocalSystem.tokens(15);
        // 64 % of the collateral's value (collateral 18 decimals × price 18 decimals → 36), less
        // the debt already there.
        BigInteger borrow =
                v.collateral
                        .add(add)
                        .multiply(prices.get(m))
                        .divide(BigInteger.TEN.pow(36))
                        .multiply(BigInteger.valueOf(64))
                        .divide(BigInteger.valueOf(100))
                        .subtract(v.debt);
        long nonce = node.chain.pendingNonce(borrower);
        node.chain.sendAll(
                borrower,
                nonce,
                node.deployment.lendingPool(),
                List.of(
                        pool.supplyCollateral(markets.get(m), add, me).encodeFunctionCall(),
                        pool.borrow(markets.get(m), borrow.max(BigInteger.ONE), me)
                                .encodeFunctionCall()),
                500_000);
        while (node.anvil
                        .web3j()
                        .ethGetTransactionCount(me, DefaultBlockParameterName.LATEST)
                        .send()
                        .getTransactionCount()
                        .longValueExact()
                < nonce + 2) {
            Thread.sleep(20);
        }
        return borrow.signum() > 0
                && pool.position(markets.get(m), me).send().debt.compareTo(v.debt) > 0;
    }

    /**
     * The market's first liquidation in block {@code from} or later; empty once the chain is more
     * than {@code giveUpBlocks} past {@code from} without one.
     */
    Optional<Log> awaitLiquidation(int m, long from, int giveUpBlocks) throws Exception {
        while (true) {
            EthFilter filter =
                    new EthFilter(
                            DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                            DefaultBlockParameterName.LATEST,
                            node.deployment.lendingPool());
            filter.addSingleTopic(LIQUIDATE);
            filter.addSingleTopic(marketHex(m));
            EthLog logs = node.anvil.web3j().ethGetLogs(filter).send();
            for (EthLog.LogResult<?> l : logs.getLogs()) {
                return Optional.of((Log) l.get());
            }
            if (node.chain.head() > from + giveUpBlocks) {
                return Optional.empty();
            }
            Thread.sleep(50);
        }
    }

    private String forceAppraisal(int m, BigInteger price, String reason) throws Exception {
        if (adminNonce < 0) {
            adminNonce = node.chain.pendingNonce(admin);
        }
        return node.chain.send(
                admin,
                adminNonce++,
                node.deployment.oracle(),
                oracle.forceAppraisal(tokens.get(m), price, reason).encodeFunctionCall(),
                300_000);
    }
}
