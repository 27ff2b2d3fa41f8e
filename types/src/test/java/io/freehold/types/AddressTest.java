package io.freehold.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

    // The test vectors of EIP-55 itself.
    @ParameterizedTest
    @ValueSource(
            strings = {
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
                "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
                "0x52908400098527886E0F7030069857D2E4169EE7",
                "0xde709f2102306220921060314715629080e2fb77",
            })
    void acceptsValidChecksumsAndPrintsThemBack(String checksummed) {
        assertThat(Address.fromHex(checksummed).toChecksumHex()).isEqualTo(checksummed);
    }

    @Test
    void acceptsSingleCaseInputWithoutAChecksumAndPrintsTheChecksummedForm() {
        Address lower = Address.fromHex("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        Address upper = Address.fromHex("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED");

        assertThat(lower).isEqualTo(upper).hasSameHashCodeAs(upper);
        assertThat(lower.toChecksumHex()).isEqualTo("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        assertThat(upper.toLowerCaseHex()).isEqualTo("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    }

    @Test
    void rejectsAMixedCaseAddressWithAWrongChecksum() {
        // the first EIP-55 vector with one letter's case flipped
        assertThatThrownBy(() -> Address.fromHex("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checksum")
                .hasMessageContaining("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", // no 0x
                "0X5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", // 0X
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae", // 39 digits
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00", // 42 digits
                "0x",
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", // not hex
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea d", // space
            })
    void rejectsMalformedHex(String malformed) {
        assertThatThrownBy(() -> Address.fromHex(malformed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(malformed);
    }

    @Test
    void roundTripsBytesAndKeepsThemToItself() {
        byte[] bytes = new byte[20];
        bytes[19] = 1;
        Address address = Address.fromBytes(bytes);
        bytes[19] = 2;

        assertThat(address.toLowerCaseHex())
                .isEqualTo("0x0000000000000000000000000000000000000001");
        byte[] copy = address.toBytes();
        copy[0] = 9;
        assertThat(address.toBytes()[0]).isZero();
        assertThat(address).isNotEqualTo(Address.ZERO);
        assertThat(Address.ZERO)
                .isEqualTo(Address.fromHex("0x0000000000000000000000000000000000000000"));
    }

    @Test
    void rejectsBytesOfTheWrongLength() {
        assertThatThrownBy(() -> Address.fromBytes(new byte[32]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("20 bytes");
    }
}
