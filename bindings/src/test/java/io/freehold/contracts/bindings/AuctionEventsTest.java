package io.freehold.contracts.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.generated.LendingPool;
import io.freehold.types.Address;
import io.freehold.types.MarketId;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The auction's and the cure window's decoders read a log as the generated wrapper does (the
 * reference), each parameter from where the ABI puts it.
 */
class AuctionEventsTest {

    private static final String AUCTION = "0x" + "77".repeat(20);
    private static final MarketId ID = MarketId.of("0x" + "ab".repeat(32));

    @Test
    void startedAndRestartedDecodeAsTheWrapperDoes() {
        Log started = log(AuctionEvents.STARTED, "0x" + words(8), uint(7), addr("22"));
        DutchAuction.AuctionStartedEventResponse s =
                DutchAuction.getAuctionStartedEventFromLog(started);
        assertThat(AuctionEvents.STARTED.decode(started))
                .isEqualTo(
                        new AuctionEvents.Round(
                                s.auctionId.longValueExact(),
                                MarketId.fromBytes(s.marketId),
                                Address.of(s.borrower),
                                Address.of(s.keeper),
                                s.lot,
                                s.tab,
                                s.startPrice,
                                s.floorPrice,
                                s.startedAt.longValueExact(),
                                s.endsAt.longValueExact(),
                                s.keeperReward,
                                0));
        Log restarted = log(AuctionEvents.RESTARTED, "0x" + words(9), uint(7), addr("22"));
        DutchAuction.AuctionRestartedEventResponse r =
                DutchAuction.getAuctionRestartedEventFromLog(restarted);
        AuctionEvents.Round round = AuctionEvents.RESTARTED.decode(restarted);
        assertThat(round.restarts()).isEqualTo(r.restarts.intValueExact()).isEqualTo(108);
        assertThat(round.keeperReward()).isEqualTo(r.keeperReward);
        assertThat(round.endsAt()).isEqualTo(r.endsAt.longValueExact());
    }

    @Test
    void takenAndEndedDecodeAsTheWrapperDoes() {
        Log taken = log(AuctionEvents.TAKEN, "0x" + words(7), uint(3), addr("22"));
        DutchAuction.AuctionTakenEventResponse t = DutchAuction.getAuctionTakenEventFromLog(taken);
        assertThat(AuctionEvents.TAKEN.decode(taken))
                .isEqualTo(
                        new AuctionEvents.Taken(
                                3,
                                ID,
                                Address.of(t.borrower),
                                Address.of(t.taker),
                                Address.of(t.receiver),
                                t.collateral,
                                t.paid,
                                t.price,
                                t.lotLeft,
                                t.debtLeft));
        Log ended = log(AuctionEvents.ENDED, "0x" + uint(40) + uint(41), uint(3), addr("22"));
        DutchAuction.AuctionEndedEventResponse e = DutchAuction.getAuctionEndedEventFromLog(ended);
        assertThat(AuctionEvents.ENDED.decode(ended))
                .isEqualTo(
                        new AuctionEvents.Ended(
                                3, ID, Address.of(e.borrower), e.lotLeft, e.badDebt));
    }

    @Test
    void theCureWindowEventsDecodeAsTheWrapperDoes() {
        Log flagged = new Log();
        flagged.setAddress(AUCTION);
        flagged.setTopics(List.of(AuctionEvents.CURE_FLAGGED.topic(), ID.hex(), addr("22")));
        flagged.setData("0x" + uint(1_700_000_000L) + uint(4) + uint(99));
        LendingPool.CureFlaggedEventResponse f = LendingPool.getCureFlaggedEventFromLog(flagged);
        assertThat(AuctionEvents.CURE_FLAGGED.decode(flagged))
                .isEqualTo(
                        new AuctionEvents.Flagged(
                                ID,
                                Address.of(f.borrower),
                                f.flaggedAt.longValueExact(),
                                f.appraisalSeq,
                                f.price));
        Log cleared = new Log();
        cleared.setAddress(AUCTION);
        cleared.setTopics(List.of(AuctionEvents.CURE_FLAG_CLEARED.topic(), ID.hex(), addr("22")));
        cleared.setData("0x");
        assertThat(AuctionEvents.CURE_FLAG_CLEARED.decode(cleared))
                .isEqualTo(new AuctionEvents.FlagCleared(ID, Address.of("0x" + "22".repeat(20))));
    }

    /** A log of {@code event} with topics (topic0, auction id, market id, borrower) and data. */
    private static Log log(AbiEvent<?> event, String data, String auctionId, String borrower) {
        Log log = new Log();
        log.setAddress(AUCTION);
        log.setTopics(List.of(event.topic(), "0x" + auctionId, ID.hex(), borrower));
        log.setData(data);
        return log;
    }

    /**
     * {@code n} data words: addresses where the events put them (the first two), the rest small
     * distinct numbers.
     */
    private static String words(int n) {
        StringBuilder b = new StringBuilder();
        b.append(addr("33").substring(2));
        b.append(addr("44").substring(2));
        for (int i = 2; i < n; i++) {
            b.append(uint(100 + i));
        }
        return b.toString();
    }

    private static String uint(long v) {
        return String.format("%064x", BigInteger.valueOf(v));
    }

    private static String addr(String b) {
        return "0x" + "0".repeat(24) + b.repeat(20);
    }
}
