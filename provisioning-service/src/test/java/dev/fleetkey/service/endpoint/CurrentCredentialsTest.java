package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Principal;
import java.util.List;

import org.eclipse.californium.elements.auth.ExtensiblePrincipal;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.elements.auth.X509CertPath;
import org.junit.jupiter.api.Test;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.testing.TestCertificates;

/** A session's credential, checked against the directory as it is now: valid, revoked, another device's, expired. */
class CurrentCredentialsTest {

    private static final Eui64 DEVICE = TestBundles.GOOD_DEVICE;
    private static final byte[] IDENTITY = "device-identity".getBytes(StandardCharsets.US_ASCII);

    private final InMemoryDirectory directory = new InMemoryDirectory();
    private final CurrentCredentials credentials = new CurrentCredentials(directory);
    private final TestCertificates.Issued deviceCa = TestCertificates.ca("Device CA");

    @Test
    void aSessionOfAValidCredentialNamesItsDeviceInEveryMode() {
        KeyPair rawKey = TestCertificates.p256();
        directory.add(DEVICE, IDENTITY, TestBundles.GOOD_PSK);
        directory.addRawPublicKey(DEVICE, rawKey.getPublic());
        directory.addCertifiedDevice(DEVICE);

        for (Principal session : List.of(pskSession(DEVICE), rawKeySession(DEVICE, rawKey), certificateSession(
                TestCertificates.device(DEVICE, deviceCa)))) {
            assertThat(credentials.stillValid(session)).as(session.getClass().getSimpleName()).contains(DEVICE);
        }
    }

    @Test
    void aSessionOfARevokedDeviceIsNoLongerValidInAnyMode() {
        KeyPair rawKey = TestCertificates.p256();
        directory.add(DEVICE, IDENTITY, TestBundles.GOOD_PSK);
        directory.addRawPublicKey(DEVICE, rawKey.getPublic());
        directory.addCertifiedDevice(DEVICE);
        directory.revoke(DEVICE);

        for (Principal session : List.of(pskSession(DEVICE), rawKeySession(DEVICE, rawKey), certificateSession(
                TestCertificates.device(DEVICE, deviceCa)))) {
            assertThat(credentials.stillValid(session)).as(session.getClass().getSimpleName()).isEmpty();
        }
    }

    @Test
    void aCredentialNowRegisteredToAnotherDeviceDoesNotCarryTheSession() {
        KeyPair rawKey = TestCertificates.p256();
        directory.add(TestBundles.OTHER_DEVICE, IDENTITY, TestBundles.GOOD_PSK);
        directory.addRawPublicKey(TestBundles.OTHER_DEVICE, rawKey.getPublic());

        assertThat(credentials.stillValid(pskSession(DEVICE))).isEmpty();
        assertThat(credentials.stillValid(rawKeySession(DEVICE, rawKey))).isEmpty();
    }

    @Test
    void aSessionWhoseCertificateHasExpiredIsNoLongerValid() {
        directory.addCertifiedDevice(DEVICE);

        assertThat(credentials.stillValid(certificateSession(TestCertificates.expiredServer("expired.test", deviceCa))))
                .isEmpty();
    }

    @Test
    void aSessionNamingNoDeviceIsNotValid() {
        directory.add(DEVICE, IDENTITY, TestBundles.GOOD_PSK);

        assertThat(credentials.stillValid(new PreSharedKeyIdentity(new String(IDENTITY, StandardCharsets.US_ASCII))))
                .isEmpty();
    }

    private static Principal pskSession(Eui64 device) {
        return amended(new PreSharedKeyIdentity(new String(IDENTITY, StandardCharsets.US_ASCII)),
                new DevicePrincipals.PskDevice(device, IDENTITY));
    }

    private static Principal rawKeySession(Eui64 device, KeyPair key) {
        return amended(new RawPublicKeyIdentity(key.getPublic()), device);
    }

    /** The session's device is the one its certificate names (the handshake checked that). */
    private static Principal certificateSession(TestCertificates.Issued certificate) {
        return amended(X509CertPath.fromCertificatesChain(certificate.certificate()), DEVICE);
    }

    private static Principal amended(ExtensiblePrincipal<? extends Principal> principal, Object handshakeArgument) {
        return principal.amend(new DevicePrincipals().getInfo(principal, handshakeArgument));
    }
}
