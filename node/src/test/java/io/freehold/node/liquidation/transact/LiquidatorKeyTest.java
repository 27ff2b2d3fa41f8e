package io.freehold.node.liquidation.transact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.node.liquidation.LiquidatorConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.WalletUtils;

/**
 * The key comes from an encrypted keystore or a variable, and never shows in a string or a message.
 */
class LiquidatorKeyTest {

    // anvil's dev account 3, the local system's liquidator
    private static final String KEY =
            "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
    private static final String ADDRESS = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
    private static final String SECRET_PART = "7c852118294e51e6";

    @TempDir Path dir;

    @Test
    void fromTheVariableNamedByPrivateKeyEnv() {
        LiquidatorKey key =
                LiquidatorKey.load(
                        LiquidatorConfiguration.defaults(),
                        Map.of("FREEHOLD_LIQUIDATOR_KEY", KEY)::get);
        assertThat(key.address().hex()).isEqualTo(ADDRESS);
        assertThat(key.toString())
                .contains(ADDRESS)
                .contains("FREEHOLD_LIQUIDATOR_KEY")
                .doesNotContain(SECRET_PART);
    }

    @Test
    void fromAnEncryptedKeystoreWithItsPasswordInAFileOrAVariable() throws Exception {
        String file =
                WalletUtils.generateWalletFile(
                        "correct horse",
                        ECKeyPair.create(Credentials.create(KEY).getEcKeyPair().getPrivateKey()),
                        dir.toFile(),
                        false);
        Path keystore = dir.resolve(file);
        Path password = Files.writeString(dir.resolve("password"), "correct horse\n");

        LiquidatorKey fromFile =
                LiquidatorKey.load(
                        LiquidatorConfiguration.defaults()
                                .withKeystore(keystore.toString(), password.toString()),
                        Map.<String, String>of()::get);
        assertThat(fromFile.address().hex()).isEqualTo(ADDRESS);
        assertThat(fromFile.toString())
                .contains("keystore")
                .doesNotContain(SECRET_PART)
                .doesNotContain("horse");

        LiquidatorKey fromVariable =
                LiquidatorKey.load(
                        LiquidatorConfiguration.defaults().withKeystore(keystore.toString(), null),
                        Map.of("FREEHOLD_LIQUIDATOR_KEYSTORE_PASSWORD", "correct horse")::get);
        assertThat(fromVariable.address().hex()).isEqualTo(ADDRESS);

        assertThatThrownBy(
                        () ->
                                LiquidatorKey.load(
                                        LiquidatorConfiguration.defaults()
                                                .withKeystore(keystore.toString(), null),
                                        Map.of(
                                                        "FREEHOLD_LIQUIDATOR_KEYSTORE_PASSWORD",
                                                        "battery staple")
                                                ::get))
                .hasMessageContaining("freehold.node.liquidator.keystore")
                .hasMessageContaining("password")
                .hasMessageNotContaining("battery");
        assertThatThrownBy(
                        () ->
                                LiquidatorKey.load(
                                        LiquidatorConfiguration.defaults()
                                                .withKeystore(keystore.toString(), null),
                                        Map.<String, String>of()::get))
                .hasMessageContaining("FREEHOLD_LIQUIDATOR_KEYSTORE_PASSWORD");
        assertThatThrownBy(
                        () ->
                                LiquidatorKey.load(
                                        LiquidatorConfiguration.defaults()
                                                .withKeystore(
                                                        dir.resolve("missing.json").toString(),
                                                        null),
                                        Map.<String, String>of()::get))
                .hasMessageContaining("freehold.node.liquidator.keystore")
                .hasMessageContaining("does not exist");
    }

    @Test
    void noKeyOrAMalformedOneNamesTheSettingsAndNeverEchoesTheValue() {
        assertThatThrownBy(
                        () ->
                                LiquidatorKey.load(
                                        LiquidatorConfiguration.defaults()
                                                .withMode(LiquidatorConfiguration.Mode.EXECUTE),
                                        Map.<String, String>of()::get))
                .hasMessageContaining("freehold.node.liquidator.mode")
                .hasMessageContaining("keystore")
                .hasMessageContaining("FREEHOLD_LIQUIDATOR_KEY");
        assertThatThrownBy(
                        () ->
                                LiquidatorKey.load(
                                        LiquidatorConfiguration.defaults(),
                                        Map.of("FREEHOLD_LIQUIDATOR_KEY", "0x" + SECRET_PART)::get))
                .hasMessageContaining("freehold.node.liquidator.private-key-env")
                .hasMessageNotContaining(SECRET_PART);
        assertThat(
                        LiquidatorKey.find(
                                LiquidatorConfiguration.defaults(), Map.<String, String>of()::get))
                .isEmpty();
    }
}
