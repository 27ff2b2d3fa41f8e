package io.freehold.examples.demo;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.MockStablecoin;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.sdk.onchain.FreeholdPool;
import io.freehold.sdk.onchain.PoolReceipt;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.io.PrintStream;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;

/**
 * Rent reaching a loan. The issuer pays a month's rent into one property; the pool, which holds
 * every token locked as collateral, is owed the locked tokens' share and passes it on to each
 * position pro rata; the most indebted borrower there then repays part of its debt from its share
 * ({@code repayWithRent}, through the on-chain SDK), without moving a token of its own. The
 * property is one whose appraisal holds in the fall that follows, so the rent changes no
 * liquidation.
 *
 * <p>All amounts are stablecoin base units (6 decimals): the local properties pay rent in the
 * markets' loan token, which is what lets rent repay debt.
 */
final class Rent {

    /** The property the rent is paid into: Memphis, whose appraisal does not fall. */
    static final String PROPERTY = "FH-MEM-2290";

    /**
     * What happened, each amount as the chain reported it.
     *
     * @param deposited rent the issuer paid into the property token
     * @param toPool the part the property token owed the pool right after (the locked tokens' share
     *     of the deposit, rounded down per holder)
     * @param claimableBefore what the borrower's position could claim before repaying
     * @param repaid debt repaid from that rent (the {@code Repay} event's assets)
     * @param debtBefore the borrower's debt before, at that block
     * @param debtAfter the borrower's debt after
     */
    record Outcome(
            Address borrower,
            BigInteger deposited,
            BigInteger toPool,
            BigInteger claimableBefore,
            BigInteger repaid,
            BigInteger debtBefore,
            BigInteger debtAfter) {}

    private Rent() {}

    /**
     * Pays the rent and has the most indebted of {@code borrowers} in {@link #PROPERTY} repay from
     * it.
     */
    static Outcome play(
            Anvil anvil, Deployment deployment, List<Borrowers.Borrower> borrowers, PrintStream out)
            throws Exception {
        Deployment.MarketEntry market = deployment.market(PROPERTY);
        var admin = anvil.transactionManager(anvil.credentials(0)); // the issuer
        BigInteger rent = LocalSystem.usd(6_250).add(BigInteger.valueOf(123_457)); // odd: rounds
        MockStablecoin usd =
                MockStablecoin.load(deployment.stablecoin(), anvil.web3j(), admin, LocalSystem.GAS);
        usd.mint(deployment.accounts().admin(), rent).send();
        usd.approve(market.propertyToken(), rent).send();
        PropertyToken token =
                PropertyToken.load(market.propertyToken(), anvil.web3j(), admin, LocalSystem.GAS);
        token.depositRent(rent).send();
        BigInteger toPool = token.claimableRent(deployment.lendingPool()).send();
        out.printf(
                "      the issuer paid %s of rent into %s; %s of it is owed to the pool for the tokens"
                        + " locked as collateral%n",
                Money.dollars(rent), PROPERTY, Money.dollars(toPool));

        Credentials borrower =
                borrowers.stream()
                        .filter(b -> b.propertyId().equals(PROPERTY))
                        .max(Comparator.comparing(Borrowers.Borrower::debt))
                        .orElseThrow(() -> new IllegalStateException("no borrower in " + PROPERTY))
                        .key();
        LendingPool.PositionView before = view(anvil, deployment, market, borrower.getAddress());
        PoolReceipt receipt;
        try (FreeholdPool pool =
                FreeholdPool.connect(
                        anvil.web3j(),
                        borrower,
                        Address.of(deployment.lendingPool()),
                        anvil.chainId())) {
            receipt = pool.repayWithRent(MarketId.of(market.id()));
        }
        LendingPool.PositionView after = view(anvil, deployment, market, borrower.getAddress());
        out.printf(
                "      borrower %s repaid %s of its %s debt from its share of the rent"
                        + " (repayWithRent, block %d)%n",
                Money.shortAddress(Address.of(borrower.getAddress()).toChecksumHex()),
                Money.dollars(receipt.assets().baseUnits()),
                Money.dollars(before.debt),
                receipt.blockNumber());
        return new Outcome(
                Address.of(borrower.getAddress()),
                rent,
                toPool,
                before.claimableRent,
                receipt.assets().baseUnits(),
                before.debt,
                after.debt);
    }

    private static LendingPool.PositionView view(
            Anvil anvil, Deployment deployment, Deployment.MarketEntry market, String account)
            throws Exception {
        return LendingPool.load(
                        deployment.lendingPool(),
                        anvil.web3j(),
                        new ReadonlyTransactionManager(anvil.web3j(), account),
                        LocalSystem.GAS)
                .position(Numeric.hexStringToByteArray(market.id()), account)
                .send();
    }
}
