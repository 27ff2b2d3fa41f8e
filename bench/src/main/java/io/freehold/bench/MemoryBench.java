package io.freehold.bench;

import io.freehold.contracts.math.MarketState;
import io.freehold.contracts.math.MarketTerms;
import io.freehold.node.ingest.ChainState;
import io.freehold.node.risk.RiskConfiguration;
import io.freehold.node.risk.RiskEngine;
import io.freehold.node.state.Checkpoint;
import io.freehold.node.state.MarketRecord;
import io.freehold.node.state.PositionRecord;
import io.freehold.node.state.PriceFeedRecord;
import io.freehold.node.state.TokenRecord;
import io.freehold.node.store.StateSnapshot;
import io.freehold.types.Address;
import io.freehold.types.BlockHash;
import io.freehold.types.MarketId;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Memory (issue 7, item 3): the heap the node holds for {@code n} positions, measured after full
 * GCs at each stage of loading them as the node does at start: the store's rows ({@link
 * StateSnapshot}, the naive per-position objects), the follower's {@link ChainState} built from
 * them, then the {@link RiskEngine} (tracked positions and the liquidation index). Baseline: the
 * heap empty.
 */
final class MemoryBench implements Benchmark {

    private static final int MARKETS = 10;
    private static final Address ORACLE = Address.of("0x00000000000000000000000000000000000a11ce");

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Result run(boolean quick, Path work) throws Exception {
        int n = quick ? 50_000 : 1_000_000;
        long empty = usedAfterGc();
        StateSnapshot rows = snapshot(n);
        long withRows = usedAfterGc();
        ChainState state = ChainState.of(rows);
        long withState = usedAfterGc();
        rows = null; // the node drops the snapshot once the state is built
        long stateOnly = usedAfterGc();
        RiskEngine engine = new RiskEngine(RiskConfiguration.defaults(), ORACLE);
        engine.reset(state);
        long withEngine = usedAfterGc();
        int tracked = engine.markets().size();
        long node = withEngine - empty;

        Result r =
                new Result(
                        name(),
                        String.format("Memory: heap for %,d positions (state + risk engine)", n));
        r.figure(
                String.format("node heap for %,d positions", n),
                node / 1048576.0,
                "MiB",
                "heap empty",
                empty / 1048576.0);
        r.figure(
                "per position, node (state + risk engine)",
                (double) node / n,
                "bytes",
                "per position, store rows only",
                (double) (withRows - empty) / n);
        r.figure("per position, ChainState alone", (double) (stateOnly - empty) / n, "bytes");
        r.figure("per position, risk engine alone", (double) (withEngine - stateOnly) / n, "bytes");
        r.figure(
                "projected for 1,000,000 positions",
                (double) node / n * 1_000_000 / 1073741824.0,
                "GiB");
        r.fact("positions", n)
                .fact("emptyBytes", empty)
                .fact("rowsBytes", withRows - empty)
                .fact("stateBytes", stateOnly - empty)
                .fact("engineBytes", withEngine - stateOnly)
                .fact("nodeBytes", node)
                .fact("markets", tracked)
                .fact("stateCount", state.positionCount());
        r.note(
                "%,d borrowers over %d markets; used heap after System.gc() (G1, -Xmx %d MiB); while the snapshot and the"
                        + " state coexist (start-up peak) the heap held %,.0f MiB",
                n,
                MARKETS,
                Runtime.getRuntime().maxMemory() >> 20,
                (withState - empty) / 1048576.0);
        // Keep both alive until measured.
        if (state.positionCount() != n || engine.asOf().isEmpty()) {
            throw new IllegalStateException(
                    "loaded " + state.positionCount() + " positions, expected " + n);
        }
        return r;
    }

    private static StateSnapshot snapshot(int n) {
        List<MarketRecord> markets = new ArrayList<>();
        List<PositionRecord> positions = new ArrayList<>(n);
        List<PriceFeedRecord> feeds = new ArrayList<>();
        List<TokenRecord> tokens = new ArrayList<>();
        long now = 1_800_000_000L;
        for (int m = 0; m < MARKETS; m++) {
            MarketId id = SyntheticBook.marketId(m);
            Address token = Address.of(String.format("0x%040x", 0x70CE0000L + m));
            Address usd = Address.of(String.format("0x%040x", 0x05DL));
            BigInteger w = SyntheticBook.WAD;
            MarketTerms params =
                    new MarketTerms(
                            token,
                            usd,
                            ORACLE,
                            SyntheticBook.LLTV,
                            w.multiply(BigInteger.valueOf(65)).divide(BigInteger.valueOf(100)),
                            w.multiply(BigInteger.valueOf(108)).divide(BigInteger.valueOf(100)),
                            w.divide(BigInteger.valueOf(50)),
                            w.multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(100)),
                            w.multiply(BigInteger.valueOf(8)).divide(BigInteger.TEN),
                            w.multiply(BigInteger.valueOf(8)).divide(BigInteger.TEN),
                            BigInteger.ZERO,
                            BigInteger.ZERO,
                            BigInteger.TEN.pow(7));
            markets.add(
                    new MarketRecord(
                            id,
                            params,
                            new MarketState(
                                    SyntheticBook.TOTAL_BORROW_ASSETS.multiply(BigInteger.TWO),
                                    SyntheticBook.TOTAL_BORROW_SHARES.multiply(BigInteger.TWO),
                                    SyntheticBook.TOTAL_BORROW_ASSETS,
                                    SyntheticBook.TOTAL_BORROW_SHARES,
                                    BigInteger.ZERO,
                                    now)));
            feeds.add(
                    new PriceFeedRecord(
                            token,
                            SyntheticBook.PRICE,
                            now,
                            BigInteger.valueOf(30L * 24 * 3600),
                            1_000));
            tokens.add(
                    new TokenRecord(
                            token, false, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO));
            int inMarket = n / MARKETS + (m < n % MARKETS ? 1 : 0);
            SyntheticBook.borrowers(
                    m, inMarket, 11, b -> positions.add(SyntheticBook.record(id, b)));
        }
        positions.sort(
                java.util.Comparator.comparing((PositionRecord p) -> p.marketId().hex())
                        .thenComparing(p -> p.account().hex()));
        Checkpoint cp = new Checkpoint(1_000, BlockHash.of(String.format("0x%064x", 1_000)), now);
        return new StateSnapshot(
                Optional.of(cp),
                List.of(),
                markets,
                positions,
                feeds,
                tokens,
                List.of(),
                List.of());
    }

    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
