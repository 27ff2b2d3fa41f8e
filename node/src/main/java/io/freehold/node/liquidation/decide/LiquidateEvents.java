package io.freehold.node.liquidation.decide;

import io.freehold.contracts.bindings.PoolEvents;
import io.freehold.node.liquidation.LiquidatorRpc;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The pool's {@code Liquidate} events: what a mined liquidation really repaid and seized (the
 * chain's numbers, recorded as the attempt's outcome), and who else liquidated a position (the
 * reason an attempt failed or was given up).
 */
public final class LiquidateEvents {

    /**
     * {@code Liquidate(bytes32 indexed id, address indexed liquidator, address indexed borrower,
     * ...)}.
     */
    static final String TOPIC = PoolEvents.LIQUIDATE.topic();

    /** One {@code Liquidate} event (amounts in base units) and where it was mined. */
    public record Liquidated(PoolEvents.Liquidation event, String txHash, long block) {
        public Address liquidator() {
            return event.liquidator();
        }

        public Address borrower() {
            return event.borrower();
        }

        public Address receiver() {
            return event.receiver();
        }

        public BigInteger repaidAssets() {
            return event.repaidAssets();
        }

        public BigInteger repaidShares() {
            return event.repaidShares();
        }

        public BigInteger seizedCollateral() {
            return event.seizedCollateral();
        }

        public BigInteger badDebtAssets() {
            return event.badDebtAssets();
        }

        BigInteger badDebtShares() {
            return event.badDebtShares();
        }
    }

    private LiquidateEvents() {}

    /** The liquidation of {@code borrower} in {@code receipt}, emitted by {@code pool}. */
    public static Optional<Liquidated> in(
            TransactionReceipt receipt, Address pool, MarketId marketId, Address borrower) {
        for (Log log : receipt.getLogs()) {
            Optional<Liquidated> event = decode(log, pool, marketId);
            if (event.isPresent() && event.get().borrower().equals(borrower)) {
                return event;
            }
        }
        return Optional.empty();
    }

    /**
     * Every liquidation of {@code borrower} in {@code marketId} in blocks {@code from..to}, in
     * chain order.
     */
    public static List<Liquidated> of(
            LiquidatorRpc rpc,
            Address pool,
            MarketId marketId,
            Address borrower,
            long from,
            long to) {
        // Any liquidator: a null topic matches anything (List.of refuses nulls).
        List<String> topics = Arrays.asList(TOPIC, marketId.hex(), null, topic(borrower));
        List<Liquidated> events = new ArrayList<>();
        for (Log log : rpc.logs(from, Math.max(from, to), pool, topics)) {
            decode(log, pool, marketId).ifPresent(events::add);
        }
        return events;
    }

    /**
     * "liquidated first by 0x… in tx 0x… (block n)" for each liquidation by someone other than
     * {@code us}.
     */
    public static Optional<String> byOthers(List<Liquidated> events, Address us) {
        List<String> others = new ArrayList<>();
        for (Liquidated e : events) {
            if (!e.liquidator().equals(us)) {
                others.add(
                        "liquidated by "
                                + e.liquidator()
                                + " in tx "
                                + e.txHash()
                                + " (block "
                                + e.block()
                                + ", repaid "
                                + e.repaidAssets()
                                + ", seized "
                                + e.seizedCollateral()
                                + ")");
            }
        }
        return others.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", others));
    }

    private static Optional<Liquidated> decode(Log log, Address pool, MarketId marketId) {
        List<String> topics = log.getTopics();
        if (log.isRemoved()
                || topics == null
                || topics.size() != 4
                || !pool.hex().equalsIgnoreCase(log.getAddress())
                || !TOPIC.equalsIgnoreCase(topics.get(0))
                || !marketId.hex().equalsIgnoreCase(topics.get(1))) {
            return Optional.empty();
        }
        // The one decoder of the event (bindings), which ingestion and the SDK's receipts use too.
        return Optional.of(
                new Liquidated(
                        PoolEvents.LIQUIDATE.decode(log),
                        log.getTransactionHash(),
                        Numeric.decodeQuantity(log.getBlockNumberRaw()).longValueExact()));
    }

    private static String topic(Address a) {
        return "0x" + "0".repeat(24) + a.hex().substring(2);
    }
}
