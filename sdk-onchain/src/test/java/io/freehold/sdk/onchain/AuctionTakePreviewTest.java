package io.freehold.sdk.onchain;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.generated.DutchAuction;
import io.freehold.contracts.local.LocalSystem;
import io.freehold.sdk.Auction;
import io.freehold.sdk.TakePreview;
import io.freehold.sdk.TokenAmount;
import io.freehold.types.Address;
import io.freehold.types.Uint256;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;

/**
 * The SDK's offline take preview ({@link Auction#previewTake}, from the same {@link Auction} the
 * node reports) against the auction contract on anvil: equal to an {@code eth_call} of {@code take}
 * at the auction's block and to the real take mined at the same timestamp, to the wei; for a part
 * and for the take that clears the debt, at the auction's moment and later.
 */
class AuctionTakePreviewTest {

    private static PoolChain chain;

    @BeforeAll
    static void startChain() throws Exception {
        chain = PoolChain.startWithAuctionMarket();
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void thePreviewIsTheContractsTakeAtTheSameTimestamp() throws Exception {
        Address borrower = PoolChain.address(chain.borrower);
        Credentials taker = chain.anvil.credentials(3);
        try (FreeholdPool asBorrower = chain.pool(chain.borrower);
                FreeholdPool asTaker = chain.pool(taker)) {
            asBorrower.lockCollateral(chain.market, TokenAmount.of(LocalSystem.tokens(400), 18));
            asBorrower.borrow(chain.market, TokenAmount.of(LocalSystem.usd(14_000), 6));
            chain.forcePrice(LocalSystem.priceOfCents(4_600));
            asTaker.flag(chain.market, borrower);
            chain.advance(Duration.ofSeconds(LocalSystem.AUCTION_CURE_WINDOW_SECONDS + 1));
            FreeholdAuction auction = asTaker.auction(chain.market);
            long id = auction.startAuction(chain.market, borrower).auctionId();
            // Approved up front, so each take below is the next block (no approval before it).
            chain.stablecoin(taker).approve(chain.poolAddress.toLowerCaseHex(), Uint256.MAX).send();
            chain.advance(Duration.ofMinutes(90));

            // A part, at the auction's own moment: eth_call at its block, then the real take.
            ChainAuction at = auction.activeAuction(chain.market, borrower).orElseThrow();
            Auction a = at.auction();
            assertThat(a.asOf()).isEqualTo(Instant.ofEpochSecond(at.timestamp()));
            TakePreview part = a.previewTake(LocalSystem.tokens(50));
            assertThat(part.price()).isEqualTo(a.currentPrice().orElseThrow());
            assertThat(simulatedTake(taker, auction, id, LocalSystem.tokens(50), part, at))
                    .isEqualTo(List.of(part.bought(), part.paid()));
            chain.nextBlockAt(at.timestamp());
            TakeReceipt taken =
                    auction.take(id, TokenAmount.of(LocalSystem.tokens(50), 18), part.price());
            assertThat(chain.timestamp(taken.blockNumber())).isEqualTo(at.timestamp());
            assertThat(List.of(taken.price(), taken.bought().baseUnits(), taken.paid().baseUnits()))
                    .isEqualTo(List.of(part.price(), part.bought(), part.paid()));
            assertThat(part.closesDebt()).isFalse();

            // A part previewed ten minutes ahead, taken then.
            a = auction.activeAuction(chain.market, borrower).orElseThrow().auction();
            Instant later = a.asOf().plusSeconds(600);
            TakePreview ahead = a.previewTake(LocalSystem.tokens(20), later);
            assertThat(ahead.price()).isLessThan(part.price());
            chain.nextBlockAt(later.getEpochSecond());
            // maxPrice at today's price: the preflight runs on the latest block, priced higher.
            taken = auction.take(id, TokenAmount.of(LocalSystem.tokens(20), 18), part.price());
            assertThat(List.of(taken.price(), taken.bought().baseUnits(), taken.paid().baseUnits()))
                    .isEqualTo(List.of(ahead.price(), ahead.bought(), ahead.paid()));

            // All the rest at the auction's moment: the take that clears the debt.
            at = auction.activeAuction(chain.market, borrower).orElseThrow();
            TakePreview all = at.auction().previewTake(Uint256.MAX);
            assertThat(all.closesDebt()).isTrue();
            assertThat(all.paid()).isEqualTo(at.auction().tabLeft());
            assertThat(simulatedTake(taker, auction, id, Uint256.MAX, all, at))
                    .isEqualTo(List.of(all.bought(), all.paid()));
            chain.nextBlockAt(at.timestamp());
            taken = auction.takeAll(id, all.price());
            assertThat(taken.ended()).isTrue();
            assertThat(List.of(taken.price(), taken.bought().baseUnits(), taken.paid().baseUnits()))
                    .isEqualTo(List.of(all.price(), all.bought(), all.paid()));
        }
    }

    /** What {@code take} returns as an {@code eth_call} from the taker at the auction's block. */
    private static List<BigInteger> simulatedTake(
            Credentials taker,
            FreeholdAuction auction,
            long id,
            BigInteger collateral,
            TakePreview preview,
            ChainAuction at)
            throws Exception {
        DutchAuction encoder =
                LocalSystem.auction(chain.anvil, chain.deployment, chain.anvil.credentials(0));
        String data =
                encoder.take(
                                BigInteger.valueOf(id),
                                collateral,
                                preview.price(),
                                taker.getAddress())
                        .encodeFunctionCall();
        var answer =
                chain.anvil
                        .web3j()
                        .ethCall(
                                Transaction.createEthCallTransaction(
                                        taker.getAddress(), auction.address().hex(), data),
                                DefaultBlockParameter.valueOf(BigInteger.valueOf(at.blockNumber())))
                        .send();
        assertThat(answer.hasError()).as(String.valueOf(answer.getError())).isFalse();
        List<Type> out =
                FunctionReturnDecoder.decode(
                        answer.getValue(),
                        List.of(
                                (TypeReference)
                                        new TypeReference<
                                                org.web3j.abi.datatypes.generated.Uint256>() {},
                                (TypeReference)
                                        new TypeReference<
                                                org.web3j.abi.datatypes.generated.Uint256>() {}));
        return List.of((BigInteger) out.get(0).getValue(), (BigInteger) out.get(1).getValue());
    }
}
