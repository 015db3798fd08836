package dev.fleetkey.service.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.pki.CertificateIssuer;
import dev.fleetkey.service.pki.CertificateProfile;
import dev.fleetkey.service.pki.P256Crypto;
import dev.fleetkey.service.pki.SerialNumbers;
import dev.fleetkey.service.pki.SerialRegistry;
import dev.fleetkey.service.pki.TestPki;

class CredentialUniquenessTest {

    @Test
    void tenThousandSerialsDrawnInParallelThreadsAreDistinct() {
        SerialNumbers serials = new SerialNumbers(new SecureRandom(), SerialRegistry.inMemory());
        var issuer = TestPki.shared().deviceCa().certificate();

        List<BigInteger> drawn = IntStream.range(0, 10_000).parallel().mapToObj(i -> serials.next(issuer)).toList();

        assertThat(drawn).doesNotHaveDuplicates().allSatisfy(s -> assertThat(s.signum()).isPositive());
    }

    @Test
    void certificatesIssuedInParallelThreadsHaveDistinctSerials() {
        CertificateIssuer issuer = new CertificateIssuer(TestPki.shared().deviceCa(),
                CertificateProfile.deviceClient(TestPki.serials(), Clock.systemUTC()), P256Crypto.preferred());
        DeviceCredentialIssuer devices = new DeviceCredentialIssuer(issuer, P256Crypto.preferred());
        // one device-made key for all: this test is about serials, and keygen would only slow it down
        PublicKey key = P256Crypto.preferred().generateKeyPair().getPublic();

        List<BigInteger> serials = IntStream.range(0, 2_000).parallel()
                .mapToObj(i -> devices.issueClientCertificate(new Eui64(i), Duration.ofDays(1), key).leaf()
                        .getSerialNumber())
                .toList();

        assertThat(serials).hasSize(2_000).doesNotHaveDuplicates();
    }
}
