package io.freehold.node.liquidation.decide;

import io.freehold.contracts.math.FixedPoint;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.contracts.math.Risk;
import io.freehold.node.liquidation.LiquidatorConfiguration;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.node.liquidation.attempts.Attempt;
import io.freehold.node.liquidation.attempts.AttemptKind;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Freehold's pool as a {@link LiquidationProtocol}: {@link Preflight} plans and checks
 * (liquidations and the keeper's calls), profits are counted in loan-token base units (gas priced
 * with {@code native-price}), and a mined liquidation or take is proven by the pool's {@code
 * Liquidate}, a keeper's call by its own event ({@link KeeperEvents}).
 */
public final class FreeholdProtocol implements LiquidationProtocol {

    private static final BigInteger WEI_PER_COIN = BigInteger.TEN.pow(18);

    private final LiquidatorConfiguration config;
    private final Preflight preflight;
    private final PoolReader reader;

    public FreeholdProtocol(
            LiquidatorConfiguration config, Preflight preflight, PoolReader reader) {
        this.config = config;
        this.preflight = preflight;
        this.reader = reader;
    }

    @Override
    public PreflightResult check(
            LiquidationCandidate candidate, LiquidatorRpc.Head head, BigInteger committedFunds) {
        return preflight.check(candidate, head, committedFunds);
    }

    @Override
    public Address receiver() {
        return preflight.receiver();
    }

    @Override
    public BigInteger gasCost(BigInteger wei) {
        return FixedPoint.mulDivUp(wei, config.nativePrice(), WEI_PER_COIN);
    }

    @Override
    public Optional<Proof> prove(Attempt a, TransactionReceipt receipt, BigInteger gasCost) {
        long block = receipt.getBlockNumber().longValueExact();
        BigInteger zero = BigInteger.ZERO;
        if (a.kind() != AttemptKind.LIQUIDATE && a.kind() != AttemptKind.TAKE) {
            return KeeperEvents.in(
                            receipt,
                            a.kind(),
                            a.target().orElse(reader.pool()),
                            a.marketId(),
                            a.borrower())
                    .map(
                            p ->
                                    new Proof(
                                            zero,
                                            zero,
                                            zero,
                                            p.keeperReward().subtract(gasCost),
                                            a.kind()
                                                    + " in block "
                                                    + block
                                                    + ": "
                                                    + p.description()));
        }
        Optional<LiquidateEvents.Liquidated> found =
                LiquidateEvents.in(receipt, reader.pool(), a.marketId(), a.borrower());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        LiquidateEvents.Liquidated event = found.get();
        // The seized collateral valued at the appraisal of the inclusion block, as preflight valued
        // it at its own.
        MarketTerms terms = reader.terms(a.marketId(), block);
        BigInteger price = reader.appraisal(terms.oracle(), terms.collateralToken(), block).price();
        BigInteger profit =
                Risk.collateralValue(event.seizedCollateral(), price)
                        .subtract(event.repaidAssets())
                        .subtract(gasCost);
        return Optional.of(
                new Proof(
                        event.repaidAssets(),
                        event.seizedCollateral(),
                        event.badDebtAssets(),
                        profit,
                        "liquidated in block "
                                + block
                                + ": repaid "
                                + event.repaidAssets()
                                + ", seized "
                                + event.seizedCollateral()
                                + ", bad debt "
                                + event.badDebtAssets()));
    }
}
