package io.freehold.contracts.math;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The harness of {@link PoolDifferentialTest}: the chain, the mirror rebuilt from its logs, the
 * test's clock, and the one way every transaction goes: predicted, sent at a chosen timestamp, its
 * outcome and events compared with the prediction, its logs applied to the mirror, the mirror
 * compared with the prediction, and every view at its block compared with the mirror.
 */
final class DifferentialRun {

    final Random random;
    final ChainFixture chain;
    final PoolMirror mirror;
    private final DifferentialChecks checks = new DifferentialChecks();
    private final List<String> accounts = new ArrayList<>();
    private final Map<String, Integer> tally = new TreeMap<>();
    private final Deque<String> recent = new ArrayDeque<>();
    private long now;

    /** Rebuilds the mirror from every log since the deployment and checks it against the views. */
    DifferentialRun(ChainFixture chain, long seed) throws Exception {
        this.random = new Random(seed);
        this.chain = chain;
        this.mirror = new PoolMirror(chain.deployment.lendingPool(), chain.deployment.oracle());
        for (int i = 0; i < ChainFixture.ACCOUNTS; i++) {
            accounts.add(chain.address(i));
        }
        BigInteger head = chain.head();
        for (Log log : chain.logs(head)) {
            mirror.apply(log, chain.timestamp(log.getBlockNumber()));
        }
        now = chain.timestamp(head);
        compareViews(head, "after the deployment, rebuilt from its logs");
    }

    /** How many actions ended how, e.g. {@code "BORROW MaxLtvExceeded" -> 13}. */
    Map<String, Integer> tally() {
        return tally;
    }

    /** The last actions, newest last, for a failure message. */
    List<String> recent() {
        return List.copyOf(recent);
    }

    long now() {
        return now;
    }

    /** The timestamp of the next transaction: 1 to 90 seconds on. */
    long tick() {
        now += 1 + random.nextInt(90);
        return now;
    }

    /** Lets {@code seconds} pass in an empty block and compares every view there. */
    void jump(long seconds) throws Exception {
        now += seconds;
        BigInteger block = chain.mineAt(now);
        note("TIME +" + seconds + " s");
        tally.merge("TIME ok", 1, Integer::sum);
        compareViews(block, "after a time jump");
    }

    /** Sends a borrower's or lender's action and checks it against its preview, then every view. */
    ChainFixture.Sent action(
            String kind,
            ChainFixture.MarketRef market,
            int account,
            BigInteger amount,
            ActionPreview p,
            long t,
            RemoteFunctionCall<TransactionReceipt> call)
            throws Exception {
        ChainFixture.Sent sent = chain.send(t, call);
        String what =
                note(
                        kind
                                + " "
                                + market.name()
                                + " account "
                                + account
                                + " amount "
                                + amount
                                + " -> "
                                + p.revert()
                                        .map(Object::toString)
                                        .orElse("assets " + p.assets() + " shares " + p.shares()));
        checks.outcome(what, sent, p.revert());
        if (sent.revertData().isEmpty() && p.revert().isEmpty()) {
            checks.accrual(what, sent.receipt(), p.accrual());
            checks.rentPulled(what, sent.receipt(), p.rentPulled());
        }
        checks.assertNone(what);
        // claimRent emits RentClaimed even when it pays nothing, so the mirror follows a zero claim
        // from
        // its logs like any other; the label only tells the zero claims apart in the tally.
        boolean zeroClaim =
                kind.equals("CLAIM_RENT") && p.revert().isEmpty() && p.assets().signum() == 0;
        String label = p.revert().map(r -> name(r.reason())).orElse(zeroClaim ? "ok, zero" : "ok");
        finish(kind + " " + label, sent, what, () -> {});
        if (p.revert().isEmpty()) {
            checks.stateAfter(
                    what,
                    mirror,
                    market.idHex(),
                    chain.address(account),
                    p.market(),
                    p.position(),
                    p.rent());
            checks.assertNone(what);
        }
        return sent;
    }

    /**
     * Sends a liquidation and checks it against its preview: the revert, or the accrual, the
     * Liquidate event, the rent pulled and the state after.
     */
    void liquidation(
            ChainFixture.MarketRef market,
            int borrower,
            BigInteger request,
            LiquidationPreview p,
            Accrual accrual,
            long t,
            RemoteFunctionCall<TransactionReceipt> call)
            throws Exception {
        ChainFixture.Sent sent = chain.send(t, call);
        String what =
                note(
                        "LIQUIDATE "
                                + market.name()
                                + " borrower "
                                + borrower
                                + " request "
                                + request
                                + " -> "
                                + p.revert()
                                        .map(Object::toString)
                                        .orElse(
                                                "repaid "
                                                        + p.repaidAssets()
                                                        + " seized "
                                                        + p.seizedCollateral()
                                                        + " bad debt "
                                                        + p.badDebtAssets()));
        checks.outcome(what, sent, p.revert());
        if (sent.revertData().isEmpty() && p.revert().isEmpty()) {
            checks.accrual(what, sent.receipt(), Optional.of(accrual).filter(Accrual::emitsEvent));
            checks.liquidation(what, sent.receipt(), p);
        }
        checks.assertNone(what);
        String label =
                p.revert()
                        .map(r -> name(r.reason()))
                        .orElse(
                                p.badDebtAssets().signum() > 0
                                        ? "ok, bad debt"
                                        : p.position().borrowShares().signum() == 0
                                                ? "ok, closed"
                                                : "ok, partial");
        finish("LIQUIDATE " + label, sent, what, () -> {});
        if (p.revert().isEmpty()) {
            checks.stateAfter(
                    what,
                    mirror,
                    market.idHex(),
                    chain.address(borrower),
                    p.market(),
                    p.position(),
                    p.rent());
            checks.assertNone(what);
        }
    }

    /**
     * Sends a transaction the math does not predict (an appraisal, a rent deposit), then compares
     * every view.
     */
    void other(String kind, String description, long t, RemoteFunctionCall<TransactionReceipt> call)
            throws Exception {
        ChainFixture.Sent sent = chain.send(t, call);
        String what = note(kind + " " + description);
        if (sent.revertData().isPresent()) {
            throw new AssertionError(what + " reverted: " + sent.revertReason());
        }
        finish(kind + " ok", sent, what, () -> {});
    }

    /**
     * Keeps every appraisal younger than half its max age, so borrows and liquidations see fresh
     * prices.
     */
    void refreshAgingPrices() throws Exception {
        for (ChainFixture.MarketRef market : chain.markets) {
            PoolMirror.Feed feed = mirror.feed(market.token());
            if (now - feed.updatedAt() > feed.maxAge() / 2) {
                long t = tick();
                other(
                        "REFRESH",
                        market.name(),
                        t,
                        chain.oracle().forceAppraisal(market.token(), feed.price(), "refresh"));
            }
        }
    }

    /** Applies the receipt to the mirror and compares every view at its block. */
    private void finish(String outcome, ChainFixture.Sent sent, String what, Runnable afterLogs)
            throws Exception {
        tally.merge(outcome, 1, Integer::sum);
        TransactionReceipt receipt = sent.receipt();
        assertThat(chain.timestamp(receipt.getBlockNumber()))
                .as("block timestamp of " + what)
                .isEqualTo(now);
        if (sent.revertData().isEmpty()) {
            for (Log log : receipt.getLogs()) {
                mirror.apply(log, now);
            }
            afterLogs.run();
        }
        compareViews(receipt.getBlockNumber(), what);
    }

    private void compareViews(BigInteger block, String after) throws Exception {
        checks.views(chain, mirror, block, now, accounts);
        checks.assertNone("views " + after);
    }

    private String note(String line) {
        recent.addLast("t=" + now + " " + line);
        if (recent.size() > 25) {
            recent.removeFirst();
        }
        return line;
    }

    // ------------------------------------------------------------------ the mirror, by market

    MarketTerms terms(ChainFixture.MarketRef market) {
        return mirror.terms(market.idHex());
    }

    MarketState stored(ChainFixture.MarketRef market) {
        return mirror.market(market.idHex());
    }

    MarketState accrued(ChainFixture.MarketRef market, long t) {
        return stored(market).accrueTo(terms(market), t).market();
    }

    PositionState position(ChainFixture.MarketRef market, int account) {
        return mirror.position(market.idHex(), chain.address(account));
    }

    PoolRent rent(ChainFixture.MarketRef market) {
        return mirror.poolRent(market.token());
    }

    BigInteger price(ChainFixture.MarketRef market) {
        return mirror.feed(market.token()).price();
    }

    private static String name(RevertReason reason) {
        return reason.errorSignature().substring(0, reason.errorSignature().indexOf('('));
    }
}
