package io.freehold.examples.borrower;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.bindings.Deployment;
import io.freehold.contracts.generated.IdentityRegistry;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.contracts.generated.PropertyToken;
import io.freehold.contracts.local.Anvil;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.examples.common.Format;
import io.freehold.sdk.TokenAmount;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The borrower app against the real contracts on anvil, valuing offline (no node): each command
 * changes the chain exactly as it says, the status is the pool's view, and refusals (over the
 * limit, a stale price, an unverified holder) print what to do, exit 1 and change nothing.
 */
class BorrowerAppTest {

    @TempDir static Path dir;

    private static Anvil anvil;
    private static Deployment deployment;
    private static Path deploymentFile;

    @BeforeAll
    static void start() throws Exception {
        anvil = Anvil.start();
        deployment = LocalSystem.deploy(anvil);
        deploymentFile = dir.resolve("local.json");
        deployment.write(deploymentFile);
    }

    @AfterAll
    static void stop() {
        if (anvil != null) {
            anvil.close();
        }
    }

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {}

    @Test
    void lockBorrowStatusRepayWithdrawChangeTheChainAsTheySay() throws Exception {
        String cle = "FH-CLE-1177";
        BigInteger usdBefore = usdBalance(borrower());

        assertThat(run(Map.of(), "lock", cle, "100").exit()).isZero();
        assertThat(view(cle, borrower()).collateral).isEqualTo(LocalSystem.tokens(100));

        Run borrowed = run(Map.of(), "borrow", cle, "1500.5");
        assertThat(borrowed.exit()).as(borrowed.err()).isZero();
        assertThat(usdBalance(borrower()))
                .isEqualTo(usdBefore.add(BigInteger.valueOf(1_500_500_000L)));
        LendingPool.PositionView v = view(cle, borrower());
        // The status printed after it is the pool's view at that block, digit for digit.
        assertThat(borrowed.out())
                .contains(
                        "debt " + Format.dollars(v.debt),
                        "LTV " + Format.percent(v.ltv),
                        "health " + Format.health(v.healthFactor, true),
                        "liquidation below " + Format.perToken(v.liquidationPrice),
                        "can borrow " + Format.dollars(v.maxBorrowable));

        mintUsd(
                borrower(),
                LocalSystem.usd(10)); // interest accrued since: repaying all needs a little more
        assertThat(run(Map.of(), "repay", cle, "all").exit()).isZero();
        assertThat(view(cle, borrower()).borrowShares).isZero();
        assertThat(run(Map.of(), "withdraw", cle, "all").exit()).isZero();
        assertThat(view(cle, borrower()).collateral).isZero();
    }

    @Test
    void repayWithRentRepaysTheRentTheViewShowedAndASecondTimeIsExplained() throws Exception {
        String det = "FH-DET-0412"; // the local borrower: 400 tokens locked, $12,000 owed
        String token = deployment.market(det).propertyToken();
        var admin = anvil.transactionManager(anvil.credentials(0));
        // The issuer pays rent into the property, an odd amount so the divisions round.
        BigInteger rent = LocalSystem.usd(4_321).add(BigInteger.valueOf(123_457));
        mintUsd(deployment.accounts().admin(), rent);
        io.freehold.contracts.generated.MockStablecoin.load(
                        deployment.stablecoin(), anvil.web3j(), admin, LocalSystem.GAS)
                .approve(token, rent)
                .send();
        PropertyToken.load(token, anvil.web3j(), admin, LocalSystem.GAS).depositRent(rent).send();
        LendingPool.PositionView before = view(det, borrower());
        assertThat(before.claimableRent).isPositive().isLessThan(before.debt);

        Run status = run(Map.of(), "status", det);
        assertThat(status.out())
                .contains(
                        "rent to claim " + Format.dollars(before.claimableRent),
                        "repay-with-rent " + det);

        Run r = run(Map.of(), "repay-with-rent", det);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "previewed "
                                + Format.dollars(before.claimableRent)
                                + " of rent repaying debt",
                        "repay-with-rent "
                                + TokenAmount.of(before.claimableRent, 6).toDecimalString()
                                + " in "
                                + det);
        LendingPool.PositionView after = view(det, borrower());
        assertThat(after.claimableRent).isZero();
        // The debt fell by the rent, less the interest of the blocks in between (a few seconds).
        assertThat(after.debt)
                .isLessThan(before.debt)
                .isGreaterThanOrEqualTo(before.debt.subtract(before.claimableRent));

        Run again = run(Map.of(), "repay-with-rent", det);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("no rent has reached your locked " + det);
        assertThat(run(Map.of(), "repay-with-rent").exit()).isEqualTo(2);
    }

    @Test
    void borrowingPastTheLimitIsExplainedAndChangesNothing() throws Exception {
        String det =
                "FH-DET-0412"; // the local borrower: 400 tokens at $52.40, $12,000 owed, 65% max
        // LTV
        LendingPool.PositionView before = view(det, borrower());
        Run r = run(Map.of(), "borrow", det, "50000");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("above the", "Borrow less");
        assertThat(view(det, borrower()).borrowShares).isEqualTo(before.borrowShares);
    }

    @Test
    void anUnverifiedHolderIsToldToGetVerified() throws Exception {
        Credentials stranger = Credentials.create("0x" + "42".repeat(32));
        fund(stranger.getAddress());
        var admin = anvil.transactionManager(anvil.credentials(0));
        IdentityRegistry registry =
                IdentityRegistry.load(
                        deployment.identityRegistry(), anvil.web3j(), admin, LocalSystem.GAS);
        registry.verify(stranger.getAddress()).send();
        PropertyToken.load(
                        deployment.market("FH-MEM-2290").propertyToken(),
                        anvil.web3j(),
                        admin,
                        LocalSystem.GAS)
                .mint(stranger.getAddress(), LocalSystem.tokens(10))
                .send();
        registry.unverify(stranger.getAddress()).send();

        Run r =
                run(
                        Map.of("FREEHOLD_BORROWER_KEY", "0x" + "42".repeat(32)),
                        "lock",
                        "FH-MEM-2290",
                        "10");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("is not verified", "Ask the issuer's agent");
        assertThat(view("FH-MEM-2290", stranger.getAddress()).collateral).isZero();
    }

    @Test
    void aStalePriceIsExplainedAndBadInputIsUsage() throws Exception {
        assertThat(run(Map.of(), "borrow", "FH-DET-0412", "-5").exit()).isEqualTo(2);
        assertThat(run(Map.of(), "borrow", "FH-NOWHERE", "5").err())
                .contains("no property FH-NOWHERE");
        assertThat(run(Map.of()).exit()).isEqualTo(2);

        // The clock jump is undone afterwards (state, prices and time: anvil's revert resets its
        // clock to the snapshot's block), so no other test depends on running before this one.
        Object snapshot = rpc("evm_snapshot");
        try {
            rpc("evm_increaseTime", 31L * 24 * 3600); // past the oracle's 30-day max age
            rpc("evm_mine");
            Run r = run(Map.of(), "borrow", "FH-DET-0412", "10");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("is stale", "repaying works");
            Run status = run(Map.of(), "status", "FH-DET-0412");
            assertThat(status.out()).contains("PRICE STALE");
        } finally {
            assertThat(rpc("evm_revert", snapshot)).as("evm_revert").isEqualTo(Boolean.TRUE);
        }
    }

    @Test
    void theBuiltInDevKeyIsRefusedForAnyChainButTheLocalOne() throws Exception {
        Path mainnet = dir.resolve("mainnet.json");
        new Deployment(
                        1,
                        deployment.startBlock(),
                        deployment.identityRegistry(),
                        deployment.stablecoin(),
                        deployment.oracle(),
                        deployment.lendingPool(),
                        deployment.accounts(),
                        deployment.markets())
                .write(mainnet);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit =
                new BorrowerApp(
                                new PrintStream(
                                        new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8))
                        .run(
                                new String[] {
                                    "status", "--node", "none", "--deployment", mainnet.toString()
                                },
                                Map.of());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("set FREEHOLD_BORROWER_KEY", "local chain");
    }

    private Run run(Map<String, String> env, String... command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[command.length + 6];
        System.arraycopy(command, 0, args, 0, command.length);
        System.arraycopy(
                new String[] {
                    "--rpc",
                    anvil.rpcUrl(),
                    "--node",
                    "none",
                    "--deployment",
                    deploymentFile.toString()
                },
                0,
                args,
                command.length,
                6);
        int exit =
                new BorrowerApp(
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8))
                        .run(args, env);
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String borrower() {
        return deployment.accounts().borrower();
    }

    private static LendingPool.PositionView view(String property, String account) throws Exception {
        return LocalSystem.pool(anvil, deployment, anvil.credentials(0))
                .position(Numeric.hexStringToByteArray(deployment.market(property).id()), account)
                .send();
    }

    private static BigInteger usdBalance(String account) throws Exception {
        return io.freehold.contracts.generated.MockStablecoin.load(
                        deployment.stablecoin(),
                        anvil.web3j(),
                        anvil.transactionManager(anvil.credentials(0)),
                        LocalSystem.GAS)
                .balanceOf(account)
                .send();
    }

    private static void mintUsd(String account, BigInteger amount) throws Exception {
        io.freehold.contracts.generated.MockStablecoin.load(
                        deployment.stablecoin(),
                        anvil.web3j(),
                        anvil.transactionManager(anvil.credentials(0)),
                        LocalSystem.GAS)
                .mint(account, amount)
                .send();
    }

    private static void fund(String account) throws Exception {
        rpc("anvil_setBalance", account, "0x56bc75e2d63100000");
    }

    /** Any JSON-RPC result. */
    public static final class Raw extends Response<Object> {}

    private static Object rpc(String method, Object... params) throws Exception {
        Raw r =
                new Request<>(method, List.of(params), new HttpService(anvil.rpcUrl()), Raw.class)
                        .send();
        assertThat(r.hasError()).as(method).isFalse();
        return r.getResult();
    }
}
