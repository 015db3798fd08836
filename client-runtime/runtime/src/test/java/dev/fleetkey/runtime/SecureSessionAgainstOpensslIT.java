package dev.fleetkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.testing.CoapWire;
import dev.fleetkey.runtime.testing.OpensslDtlsServer;

/** The public API, configured from a bundle, against openssl's DTLS 1.2 server. */
class SecureSessionAgainstOpensslIT {

    @Test
    void sessionFromABundleTalksCoapThroughOpenssl() throws Exception {
        try (OpensslDtlsServer openssl = OpensslDtlsServer.start("device", TestBundles.GOOD_PSK)) {
            BundlePayload template = TestBundles.pskDevicePayload(1);
            Instant now = Instant.now();
            BundlePayload bundle = new BundlePayload(template.formatVersion(), BundleKind.DEVICE, template.bundleId(), 1,
                    now.minusSeconds(60), now.plus(Duration.ofDays(1)), template.device(), template.template(),
                    List.of(TestBundles.pskServer("fleetkey", URI.create("coaps://fleetkey.example.net:5684"))),
                    new DtlsPolicy(Duration.ofMillis(300), true, false), true);
            try (SecureSession session = SecureSession.open(bundle, "fleetkey", Optional.of(openssl.address()))) {
                CompletableFuture<CoapReply> reply = CompletableFuture.supplyAsync(() -> {
                    try {
                        return session.post("/checkin", "fw=1.2.3".getBytes(), 0);
                    } catch (DeviceRuntimeException e) {
                        throw new IllegalStateException(e);
                    }
                });
                CoapWire.Request request = CoapWire.parseRequest(openssl.awaitApplicationData(Duration.ofSeconds(10)));
                openssl.send(CoapWire.contentResponse(request, "got " + request.path()));

                assertThat(request.code()).isEqualTo(2); // POST
                assertThat(reply.get(10, TimeUnit.SECONDS).text()).isEqualTo("got /checkin");
                assertThat(openssl.transcript()).contains("CIPHER is PSK-AES128-CCM8");
            }
        }
    }
}
