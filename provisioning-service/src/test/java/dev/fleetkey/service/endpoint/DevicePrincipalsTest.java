package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.Principal;

import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.junit.jupiter.api.Test;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.testing.TestBundles;

/** What a handshake stores in its principal comes back unchanged on every request, and cannot be changed there. */
class DevicePrincipalsTest {

    private static final Eui64 DEVICE = TestBundles.GOOD_DEVICE;
    private static final byte[] IDENTITY = "device-identity".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aPskSessionNamesItsDeviceAndIdentityAsTheHandshakeFoundThem() {
        byte[] handed = IDENTITY.clone();
        Principal session = pskSession(handed);
        handed[0] = 'X';

        assertThat(DevicePrincipals.deviceOf(session)).contains(DEVICE);
        assertThat(DevicePrincipals.pskIdentityOf(session)).hasValueSatisfying(read -> assertThat(read).isEqualTo(IDENTITY));
        DevicePrincipals.pskIdentityOf(session).orElseThrow()[0] = 'Y';
        assertThat(DevicePrincipals.pskIdentityOf(session)).hasValueSatisfying(read -> assertThat(read).isEqualTo(IDENTITY));
        assertThat(DevicePrincipals.isFactory(session)).isFalse();
    }

    @Test
    void aFactoryCertificateSessionIsMarkedAsOne() {
        PreSharedKeyIdentity principal = new PreSharedKeyIdentity("unused");
        Principal session = principal.amend(new DevicePrincipals().getInfo(principal,
                new DevicePrincipals.FactoryDevice(DEVICE)));

        assertThat(DevicePrincipals.deviceOf(session)).contains(DEVICE);
        assertThat(DevicePrincipals.isFactory(session)).isTrue();
        assertThat(DevicePrincipals.pskIdentityOf(session)).isEmpty();
    }

    private static Principal pskSession(byte[] identity) {
        PreSharedKeyIdentity principal = new PreSharedKeyIdentity(new String(IDENTITY, StandardCharsets.US_ASCII));
        return principal.amend(new DevicePrincipals().getInfo(principal, new DevicePrincipals.PskDevice(DEVICE, identity)));
    }
}
