package dev.fleetkey.service.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.TestCertificates;

/**
 * An endpoint serving all three modes on a free loopback port, with a server CA, a server certificate for
 * {@link #HOST}, a device issuing CA under a device root, and the device {@link TestBundles#GOOD_DEVICE} registered in every mode.
 */
final class EcdheEndpointFixture implements AutoCloseable {

    static final String HOST = "device.fleetkey.test";
    static final URI SERVER_URI = URI.create("coaps://" + HOST + ":5684");
    static final byte[] PSK_IDENTITY = "fixture-device".getBytes();
    static final byte[] PSK = TestBundles.GOOD_PSK;

    final TestCertificates.Issued serverCa = TestCertificates.ca("Fleetkey Server CA");
    final TestCertificates.Issued server = TestCertificates.server(HOST, serverCa);
    final TestCertificates.Issued deviceRoot = TestCertificates.ca("Fleetkey Device Root");
    /** An intermediate under {@link #deviceRoot}, as the service's device issuing CA is. */
    final TestCertificates.Issued deviceCa = TestCertificates.intermediateCa("Fleetkey Device CA", deviceRoot);
    final TestCertificates.Issued deviceCertificate = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);
    final KeyPair deviceKey = TestCertificates.p256();
    final InMemoryDirectory directory = new InMemoryDirectory();
    final DeviceEndpoint endpoint;

    EcdheEndpointFixture() throws Exception {
        this(true);
    }

    /** @param sendServerCa whether the endpoint's chain carries its CA after the leaf, or the leaf alone */
    EcdheEndpointFixture(boolean sendServerCa) throws Exception {
        directory.add(TestBundles.GOOD_DEVICE, PSK_IDENTITY, PSK);
        directory.addRawPublicKey(TestBundles.GOOD_DEVICE, deviceKey.getPublic());
        directory.addCertifiedDevice(TestBundles.GOOD_DEVICE);
        endpoint = new DeviceEndpoint(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), directory,
                Optional.of(new EndpointCredentials(server.privateKey(), server.keyPair().getPublic(),
                        sendServerCa ? List.of(server.certificate(), serverCa.certificate()) : List.of(server.certificate()),
                        List.of(deviceCa.certificate()))));
        endpoint.start();
    }

    InetSocketAddress address() {
        return endpoint.boundAddress();
    }

    BundlePayload pskBundle(DtlsPolicy policy) {
        return DeviceBundles.psk("fleetkey", SERVER_URI, PSK_IDENTITY, PSK, policy);
    }

    BundlePayload rpkBundle(DtlsPolicy policy) {
        return DeviceBundles.rpk("fleetkey", SERVER_URI, deviceKey, server.keyPair().getPublic(), policy);
    }

    BundlePayload x509Bundle(DtlsPolicy policy) {
        return DeviceBundles.x509("fleetkey", SERVER_URI, null, deviceCertificate, deviceCa.certificate(),
                serverCa.certificate(), policy);
    }

    /** A certificate bundle for another device, issued by {@code issuer}. */
    BundlePayload x509BundleFor(Eui64 device, TestCertificates.Issued issuer) {
        return DeviceBundles.x509("fleetkey", SERVER_URI, null, TestCertificates.device(device, issuer),
                issuer.certificate(), serverCa.certificate(), DeviceBundles.FAST);
    }

    @Override
    public void close() {
        endpoint.stop();
    }
}
