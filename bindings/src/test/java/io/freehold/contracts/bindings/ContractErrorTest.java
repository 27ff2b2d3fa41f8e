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
