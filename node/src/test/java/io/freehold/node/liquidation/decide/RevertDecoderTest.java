package io.freehold.node.liquidation.decide;

import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.contracts.math.ActionRevert;
import io.freehold.contracts.math.LiquidationRevert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Revert data as the chain returns it, named by the pool's custom errors and decoded by their ABI.
 */
class RevertDecoderTest {

    @Test
    void everyErrorOfTheLendingPoolInterfaceIsNamed() throws Exception {
        // The source of truth: the errors declared in ILendingPool.sol, MarketId spelled as its ABI
        // type.
        Path source = locate("contracts/src/interfaces/ILendingPool.sol");
        Matcher m = Pattern.compile("error (\\w+)\\(([^)]*)\\);").matcher(Files.readString(source));
        Map<String, String> known = RevertDecoder.knownErrors();
        int count = 0;
        while (m.find()) {
            StringBuilder types = new StringBuilder();
            for (String parameter : m.group(2).split(",")) {
                if (parameter.isBlank()) {
                    continue;
                }
                String type = parameter.strip().split("\\s+")[0];
                types.append(types.length() == 0 ? "" : ",")
                        .append(type.equals("MarketId") ? "bytes32" : type);
            }
            String signature = m.group(1) + "(" + types + ")";
            assertThat(known)
                    .as(signature)
                    .containsEntry(RevertDecoder.selector(signature), signature);
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(20);
    }

    @Test
    void selectorsAgreeWithTheContractsMath() {
        for (LiquidationRevert r : LiquidationRevert.values()) {
            assertThat(RevertDecoder.selector(r.errorSignature())).isEqualTo(r.selector());
            assertThat(RevertDecoder.knownErrors()).containsKey(r.selector());
        }
        for (ActionRevert r : ActionRevert.values()) {
            assertThat(RevertDecoder.knownErrors())
                    .as(r.errorSignature())
                    .containsKey(r.selector());
        }
    }

    @Test
    void decodesArgumentsByTheErrorsAbi() {
        String receiver = "00000000000000000000000090f79bf6eb2c4f870365e785982e1f101e93b906";
        RevertDecoder.Decoded d =
                RevertDecoder.decode(
                        RevertDecoder.selector("ReceiverNotAllowed(address)") + receiver);
        assertThat(d.name()).isEqualTo("ReceiverNotAllowed");
        assertThat(d.arguments()).containsExactly("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
        assertThat(d.skipReason()).isEqualTo(SkipReason.RECEIVER_NOT_ALLOWED);
        assertThat(d).hasToString("ReceiverNotAllowed(0x90f79bf6eb2c4f870365e785982e1f101e93b906)");

        // What anvil answered in the spike: PositionHealthy(1.31e18).
        RevertDecoder.Decoded healthy =
                RevertDecoder.decode(
                        "0x03c2373a000000000000000000000000000000000000000000000000122e0e0f2fc30000");
        assertThat(healthy).hasToString("PositionHealthy(1310000000000000000)");
        assertThat(healthy.skipReason()).isEqualTo(SkipReason.POSITION_HEALTHY);

        String stale =
                RevertDecoder.selector("StalePrice(address,uint256)")
                        + receiver
                        + "0000000000000000000000000000000000000000000000000000000000000064";
        assertThat(RevertDecoder.decode(stale))
                .hasToString("StalePrice(0x90f79bf6eb2c4f870365e785982e1f101e93b906, 100)");
        assertThat(RevertDecoder.decode(stale).skipReason()).isEqualTo(SkipReason.STALE_PRICE);

        String allowance =
                RevertDecoder.selector("ERC20InsufficientAllowance(address,uint256,uint256)")
                        + receiver
                        + "0000000000000000000000000000000000000000000000000000000000000001"
                        + "0000000000000000000000000000000000000000000000000000000000000002";
        assertThat(RevertDecoder.decode(allowance).skipReason())
                .isEqualTo(SkipReason.INSUFFICIENT_ALLOWANCE);
    }

    @Test
    void solidityStringsAndPanicsAndTheUnknown() {
        // Error("no") as abi.encodeWithSignature("Error(string)", "no")
        String error =
                "0x08c379a0"
                        + "0000000000000000000000000000000000000000000000000000000000000020"
                        + "0000000000000000000000000000000000000000000000000000000000000002"
                        + "6e6f000000000000000000000000000000000000000000000000000000000000";
        assertThat(RevertDecoder.decode(error)).hasToString("Error(no)");
        assertThat(RevertDecoder.decode("0x4e487b71" + "0".repeat(62) + "11"))
                .hasToString("Panic(17)");
        assertThat(RevertDecoder.decode("0xdeadbeef").name()).isEqualTo("unknown");
        assertThat(RevertDecoder.decode("0xdeadbeef").toString()).contains("0xdeadbeef");
        assertThat(RevertDecoder.decode("0x").toString()).contains("no revert data");
        assertThat(RevertDecoder.decode(null).skipReason()).isEqualTo(SkipReason.WOULD_REVERT);
        // Truncated arguments are reported, not thrown.
        assertThat(
                        RevertDecoder.decode(
                                        RevertDecoder.selector("PositionHealthy(uint256)") + "12")
                                .toString())
                .contains("malformed");
    }

    private static Path locate(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException("cannot find " + relative + " above the working directory");
    }
}
