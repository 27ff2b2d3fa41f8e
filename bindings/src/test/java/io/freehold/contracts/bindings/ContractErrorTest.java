package io.freehold.contracts.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.math.ActionRevert;
import io.freehold.contracts.math.LiquidationRevert;
import io.freehold.types.Address;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The catalogue generated from the ABIs: it holds every revert the exact math predicts (so the
 * math's list cannot drift from the contracts' either), and revert data decodes against it.
 */
class ContractErrorTest {

    @Test
    void holdsEveryRevertTheMathPredicts() {
        for (ActionRevert r : ActionRevert.values()) {
            assertThat(ContractError.bySelector(r.selector()).signature())
                    .as(r.name())
                    .isEqualTo(r.errorSignature());
        }
        for (LiquidationRevert r : LiquidationRevert.values()) {
            assertThat(ContractError.bySelector(r.selector()).signature())
                    .as(r.name())
                    .isEqualTo(r.errorSignature());
        }
    }

    @Test
    void holdsTheAuctionAndCureWindowErrors() {
        assertThat(ContractError.TAKE_EXCEEDS_LOT.signature())
                .isEqualTo("TakeExceedsLot(uint256,uint256)");
        assertThat(ContractError.PRICE_ABOVE_LIMIT.parameterNames())
                .containsExactly("price", "maxPrice");
        assertThat(ContractError.TAKER_NOT_ALLOWED.signature())
                .isEqualTo("TakerNotAllowed(address)");
        assertThat(ContractError.AUCTION_NEEDS_RESTART.signature())
                .isEqualTo("AuctionNeedsRestart(uint256,uint256)");
        assertThat(ContractError.CURE_WINDOW_OPEN.signature())
                .isEqualTo("CureWindowOpen(bytes32,address,uint256)");
        assertThat(ContractError.INVALID_AUCTION_PARAM.signature())
                .isEqualTo("InvalidAuctionParam(string,uint256,uint256,uint256)");
        assertThat(ContractError.INVALID_CURE_TERMS.signature())
                .isEqualTo("InvalidCureTerms(string,uint256,uint256,uint256)");
    }

    @Test
    void decodesAnInvalidAuctionParameter() {
        // abi.encodeWithSelector(InvalidAuctionParam.selector, "duration", 60, 3600, 2592000)
        String data =
                ContractError.INVALID_AUCTION_PARAM.selector()
                        + word(128)
                        + word(60)
                        + word(3_600)
                        + word(2_592_000)
                        + word(8)
                        + "6475726174696f6e"
                        + "0".repeat(48);
        DecodedRevert d = DecodedRevert.decode(data);
        assertThat(d.error()).isEqualTo(ContractError.INVALID_AUCTION_PARAM);
        assertThat(d.arguments())
                .containsExactly(
                        "duration",
                        BigInteger.valueOf(60),
                        BigInteger.valueOf(3_600),
                        BigInteger.valueOf(2_592_000));
    }

    private static String word(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(64 - hex.length()) + hex;
    }

    @Test
    void knowsTheSelectorsSolidityComputes() {
        // cast sig "MaxLtvExceeded(uint256,uint256)" and the two built-ins.
        assertThat(ContractError.ERROR.selector()).isEqualTo("0x08c379a0");
        assertThat(ContractError.PANIC.selector()).isEqualTo("0x4e487b71");
        assertThat(ContractError.MAX_LTV_EXCEEDED.parameterNames())
                .containsExactly("debt", "maxDebt");
        assertThat(ContractError.REENTRANT_CALL.signature())
                .isEqualTo("ReentrancyGuardReentrantCall()");
        assertThat(ContractError.bySelector("0xdeadbeef")).isEqualTo(ContractError.UNKNOWN);
    }

    @Test
    void decodesArgumentsByTheErrorsDeclaration() {
        String receiver = "00000000000000000000000090f79bf6eb2c4f870365e785982e1f101e93b906";
        DecodedRevert d =
                DecodedRevert.decode(
                        ContractError.STALE_PRICE.selector()
                                + receiver
                                + "0000000000000000000000000000000000000000000000000000000000000064");
        assertThat(d.error()).isEqualTo(ContractError.STALE_PRICE);
        assertThat(d.arguments())
                .isEqualTo(
                        List.of(
                                Address.of("0x90f79bf6eb2c4f870365e785982e1f101e93b906"),
                                BigInteger.valueOf(100)));
        assertThat(DecodedRevert.decode(ContractError.STALE_PRICE.selector() + "12").error())
                .isEqualTo(ContractError.UNKNOWN);
        assertThat(DecodedRevert.decode(null).data()).isEqualTo("0x");
    }
}
