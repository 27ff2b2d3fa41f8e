package io.freehold.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freehold.node.RunningNode;
import io.freehold.sdk.FreeholdClient;
import io.freehold.sdk.FreeholdSettings;
import io.freehold.sdk.UnavailableException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a certificate configured the node serves TLS only: the SDK trusting that certificate gets
 * answers; a plaintext client and a client that does not trust it get nothing.
 */
class TlsTest {

    @TempDir static Path dir;

    private static RunningNode node;
    private static Path certificate;

    @BeforeAll
    static void start() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        X500Name name = new X500Name("CN=freehold-test-node");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder =
                new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofDays(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        name,
                        keys.getPublic());
        builder.addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(
                        new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")
                        }));
        X509Certificate cert =
                new JcaX509CertificateConverter()
                        .getCertificate(
                                builder.build(
                                        new JcaContentSignerBuilder("SHA256withRSA")
                                                .build(keys.getPrivate())));
        certificate = Files.writeString(dir.resolve("node.crt"), pem(cert));
        // PKCS#8 ("BEGIN PRIVATE KEY"), the form the gRPC server's TLS reads.
        Path key =
                Files.writeString(
                        dir.resolve("node.key"),
                        pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
        node =
                RunningNode.start(
                        dir,
                        Map.of(
                                "grpc.server.ssl.cert-chain",
                                "file:" + certificate,
                                "grpc.server.ssl.private-key",
                                "file:" + key));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aClientThatTrustsTheCertificateIsServedOverTls() {
        try (FreeholdClient client =
                FreeholdClient.create(
                        FreeholdSettings.builder()
                                .target("127.0.0.1:" + node.grpcPort())
                                .tls(true)
                                .trustedCaPem(certificate)
                                .build())) {
            assertThat(client.status().chainId()).isEqualTo(node.anvil.chainId());
        }
    }

    @Test
    void plaintextAndUntrustingClientsAreNotServed() {
        FreeholdSettings.Builder base =
                FreeholdSettings.builder()
                        .target("127.0.0.1:" + node.grpcPort())
                        .deadline(Duration.ofSeconds(5))
                        .retryAttempts(1);
        try (FreeholdClient plaintext = FreeholdClient.create(base.tls(false).build())) {
            assertThatThrownBy(plaintext::status).isInstanceOf(UnavailableException.class);
        }
        try (FreeholdClient untrusting = FreeholdClient.create(base.tls(true).build())) {
            assertThatThrownBy(untrusting::status).isInstanceOf(UnavailableException.class);
        }
    }

    private static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
