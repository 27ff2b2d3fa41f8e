package io.freehold.contracts.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.contracts.generated.LendingPool;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The shared event decoders read a log as the generated wrapper does (the reference), take the
 * layout from the ABI, and refuse what is not the canonical encoding instead of guessing.
 */
class PoolEventsTest {

    private static final String POOL = "0x" + "99".repeat(20);
    private static final MarketId ID = MarketId.of("0x" + "ab".repeat(32));

    @Test
    void liquidateDecodesAsTheWrapperDoes() {
        Log log = liquidate(POOL, wordAddress("11"), wordAddress("33"));
        PoolEvents.Liquidation e = PoolEvents.LIQUIDATE.decode(log);
        LendingPool.LiquidateEventResponse reference = LendingPool.getLiquidateEventFromLog(log);
        assertThat(e)
                .isEqualTo(
                        new PoolEvents.Liquidation(
                                MarketId.fromBytes(reference.id),
                                Address.of(reference.liquidator),
                                Address.of(reference.borrower),
                                Address.of(reference.receiver),
                                reference.repaidAssets,
                                reference.repaidShares,
                                reference.seizedCollateral,
                                reference.badDebtAssets,
                                reference.badDebtShares));
        assertThat(e.id()).isEqualTo(ID);
        assertThat(e.repaidAssets()).isEqualTo(BigInteger.ONE);
        assertThat(e.badDebtShares()).isEqualTo(BigInteger.valueOf(5));
    }

    @Test
    void supplyTakesOnBehalfFromItsTopic() {
        Log log = new Log();
        log.setAddress(POOL);
        log.setTopics(
                List.of(PoolEvents.SUPPLY.topic(), ID.hex(), wordAddress("11"), wordAddress("22")));
        log.setData("0x" + uint(7) + uint(8));
        assertThat(PoolEvents.SUPPLY.decode(log))
                .isEqualTo(
                        new PoolEvents.AssetFlow(
                                ID,
                                Address.of("0x" + "22".repeat(20)),
                                BigInteger.valueOf(7),
                                BigInteger.valueOf(8)));
    }

    @Test
    void malformedLogsAreRefused() {
        Log dirtyReceiver =
                liquidate(POOL, wordAddress("11"), "0xff" + wordAddress("33").substring(4));
        assertThatThrownBy(() -> PoolEvents.LIQUIDATE.decode(dirtyReceiver))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an address");

        Log shortData = liquidate(POOL, wordAddress("11"), wordAddress("33"));
        shortData.setData(shortData.getData().substring(0, shortData.getData().length() - 64));
        assertThatThrownBy(() -> PoolEvents.LIQUIDATE.decode(shortData))
                .hasMessageContaining("expected 6 data words");

        Log missingTopic = liquidate(POOL, wordAddress("11"), wordAddress("33"));
        missingTopic.setTopics(missingTopic.getTopics().subList(0, 3));
        assertThatThrownBy(() -> PoolEvents.LIQUIDATE.decode(missingTopic))
                .hasMessageContaining("expected 4 topics");

        Log other = liquidate(POOL, wordAddress("11"), wordAddress("33"));
        assertThatThrownBy(() -> PoolEvents.SUPPLY.decode(other))
                .hasMessageContaining("not a Supply log");
    }

    @Test
    void aWordReadAsAnotherTypeThanTheAbisFails() {
        AbiEvent<BigInteger> wrong =
                AbiEvent.of(LendingPool.LIQUIDATE_EVENT, (w, log) -> w.uint(0)); // 0 is receiver
        assertThatThrownBy(
                        () -> wrong.decode(liquidate(POOL, wordAddress("11"), wordAddress("33"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("data word 0 is ADDRESS in the ABI, read as UINT");
    }

    @Test
    void receiptsYieldOnlyTheEmittersLogs() {
        Log ours = liquidate(POOL, wordAddress("11"), wordAddress("33"));
        Log lookAlike = liquidate("0x" + "66".repeat(20), wordAddress("11"), wordAddress("33"));
        Log removed = liquidate(POOL, wordAddress("11"), wordAddress("33"));
        removed.setRemoved(true);
        assertThat(PoolEvents.LIQUIDATE.from(List.of(lookAlike, ours, removed), Address.of(POOL)))
                .containsExactly(PoolEvents.LIQUIDATE.decode(ours));
    }

    private static Log liquidate(String emitter, String liquidatorTopic, String receiverWord) {
        Log log = new Log();
        log.setAddress(emitter);
        log.setTopics(
                List.of(
                        PoolEvents.LIQUIDATE.topic(),
                        ID.hex(),
                        liquidatorTopic,
                        wordAddress("22")));
        log.setData(
                "0x" + receiverWord.substring(2) + uint(1) + uint(2) + uint(3) + uint(4) + uint(5));
        log.setTransactionHash("0x" + "cd".repeat(32));
        log.setBlockNumber("0x10");
        return log;
    }

    private static String wordAddress(String byteHex) {
        return "0x" + "00".repeat(12) + byteHex.repeat(20);
    }

    private static String uint(long v) {
        return String.format("%064x", v);
    }
}
