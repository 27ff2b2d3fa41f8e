package io.freehold.examples.demo;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Seeds the borrowers: each a fresh key (derived from its number, so runs are alike), funded with
 * gas, verified by the registry's agent, given property tokens by the issuer, and then on its own:
 * approve, lock the tokens as collateral, borrow at a planned loan-to-value. The LTVs are spread
 * evenly from 25% to 64% (the max is 65%), so a fall of the appraisal pushes a known share of them
 * over the 75% line.
 *
 * <p>Beside them a few borrowers on the auction market ({@link LocalSystem#AUCTION_PROPERTY}), at
 * planned LTVs ({@link #AUCTION_LTVS}) so the fall there crosses a known few, every one above the
 * market's hard floor: each crossing gets its cure window. They are planned after the others, so
 * the fixed-incentive markets' borrowers are the same whatever runs beside them.
 */
final class Borrowers {

    /** One seeded borrower. */
    record Borrower(Credentials key, String propertyId, BigInteger collateral, BigInteger debt) {
        String address() {
            return key.getAddress();
        }
    }

    private static final int LTV_STEPS = 10;
    private static final double LOWEST_LTV = 0.25;
    private static final double LTV_STEP = 0.043; // 25.0%, 29.3%, ... 63.7%

    /**
     * The auction market's borrowers' LTVs. Its appraisal falls 20% ({@link PriceFall#falls()}):
     * LTV / 0.8 crosses the 75% line above 60% before the fall, so the last three cross, at health
     * 0.75 / (LTV / 0.8) = 0.99, 0.97, 0.94, all above the 0.9 hard floor.
     */
    static final double[] AUCTION_LTVS = {0.45, 0.605, 0.62, 0.635};

    private Borrowers() {}

    /**
     * Seeds {@code count} borrowers, round-robin over the local system's three fixed-incentive
     * properties, and then, when the deployment has the auction market, one at each of {@link
     * #AUCTION_LTVS} there.
     *
     * @param progress told how many are done, as they finish
     */
    static List<Borrower> seed(Anvil anvil, Deployment deployment, int count, IntConsumer progress)
            throws Exception {
        Random random = new Random(412);
        AnvilControl control = new AnvilControl(anvil);
        List<Borrower> planned = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            LocalSystem.Property property =
                    LocalSystem.PROPERTIES.get(i % LocalSystem.PROPERTIES.size());
            Credentials key =
                    Credentials.create(
                            Numeric.toHexStringNoPrefix(
                                    Hash.sha3(
                                            ("freehold demo borrower " + i)
                                                    .getBytes(StandardCharsets.UTF_8))));
            BigInteger wholeTokens = BigInteger.valueOf(20 + random.nextInt(181)); // 20..200 tokens
            double ltv = LOWEST_LTV + LTV_STEP * ((i / LocalSystem.PROPERTIES.size()) % LTV_STEPS);
            planned.add(planned(key, property, wholeTokens, ltv));
        }
        if (deployment.markets().containsKey(LocalSystem.AUCTION_PROPERTY.id())) {
            for (int i = 0; i < AUCTION_LTVS.length; i++) {
                Credentials key =
                        Credentials.create(
                                Numeric.toHexStringNoPrefix(
                                        Hash.sha3(
                                                ("freehold demo auction borrower " + i)
                                                        .getBytes(StandardCharsets.UTF_8))));
                BigInteger wholeTokens = BigInteger.valueOf(20 + random.nextInt(181));
                planned.add(
                        planned(key, LocalSystem.AUCTION_PROPERTY, wholeTokens, AUCTION_LTVS[i]));
            }
        }
        for (Borrower b : planned) {
            control.fund(b.address());
        }

        Credentials admin = anvil.credentials(0);
        var asAdmin = anvil.transactionManager(admin);
        IdentityRegistry.load(
                        deployment.identityRegistry(), anvil.web3j(), asAdmin, LocalSystem.GAS)
                .verifyBatch(planned.stream().map(Borrower::address).toList())
                .send();
        for (Borrower b : planned) {
            PropertyToken.load(
                            deployment.market(b.propertyId()).propertyToken(),
                            anvil.web3j(),
                            asAdmin,
                            LocalSystem.GAS)
                    .mint(b.address(), b.collateral())
                    .send();
        }

        // Each borrower acts on its own key: independent, so several at once.
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (Borrower b : planned) {
                work.add(
                        pool.submit(
                                () -> {
                                    borrow(anvil, deployment, b);
                                    progress.accept(done.incrementAndGet());
                                    return null;
                                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return planned;
    }

    /** A borrower of {@code wholeTokens} of {@code property}, borrowing at {@code ltv}. */
    private static Borrower planned(
            Credentials key, LocalSystem.Property property, BigInteger wholeTokens, double ltv) {
        // value in mUSD base units: whole tokens × cents × 1e4; the loan: value × LTV, in whole
        // dollars.
        BigInteger value =
                wholeTokens
                        .multiply(BigInteger.valueOf(property.priceCents()))
                        .multiply(BigInteger.TEN.pow(4));
        BigInteger debt =
                value.multiply(BigInteger.valueOf(Math.round(ltv * 1000)))
                        .divide(BigInteger.valueOf(1000))
                        .divide(Money.USD)
                        .multiply(Money.USD);
        return new Borrower(key, property.id(), wholeTokens.multiply(Money.TOKEN), debt);
    }

    private static void borrow(Anvil anvil, Deployment deployment, Borrower b) throws Exception {
        var as = anvil.transactionManager(b.key());
        Deployment.MarketEntry market = deployment.market(b.propertyId());
        byte[] id = Numeric.hexStringToByteArray(market.id());
        PropertyToken.load(market.propertyToken(), anvil.web3j(), as, LocalSystem.GAS)
                .approve(deployment.lendingPool(), b.collateral())
                .send();
        LendingPool pool =
                LendingPool.load(deployment.lendingPool(), anvil.web3j(), as, LocalSystem.GAS);
        pool.supplyCollateral(id, b.collateral(), b.address()).send();
        pool.borrow(id, b.debt(), b.address()).send();
    }
}
