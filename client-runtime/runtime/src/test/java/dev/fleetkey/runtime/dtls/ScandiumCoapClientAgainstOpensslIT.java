package dev.fleetkey.runtime.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.fleetkey.bundle.credentials.PskCredential;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.HandshakeTimeoutException;
import dev.fleetkey.runtime.testing.CoapWire;
import dev.fleetkey.runtime.testing.OpensslDtlsServer;

class ScandiumCoapClientAgainstOpensslIT {

    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final String IDENTITY = "device-7f3a";
    private static final Duration FAST = Duration.ofMillis(200);

    @Test
    void completesPskHandshakeWithOpensslAndReceivesTheEchoedPath() throws Exception {
        try (OpensslDtlsServer openssl = OpensslDtlsServer.start(IDENTITY, KEY);
             ScandiumCoapClient client = ScandiumCoapClient.start(settings(openssl, IDENTITY, KEY))) {
            CompletableFuture<CoapReply> reply = CompletableFuture.supplyAsync(() -> getQuietly(client, "/hello"));

            CoapWire.Request request = CoapWire.parseRequest(openssl.awaitApplicationData(Duration.ofSeconds(10)));
            openssl.send(CoapWire.contentResponse(request, "echo " + request.path()));

            assertThat(openssl.transcript()).contains("CIPHER is PSK-AES128-CCM8");
            assertThat(request.path()).isEqualTo("/hello");
            CoapReply answer = reply.get(10, TimeUnit.SECONDS);
            assertThat(answer.code()).isEqualTo("2.05");
            assertThat(answer.text()).isEqualTo("echo /hello");
            assertThat(client.connectionInfo()).hasValueSatisfying(info ->
                    assertThat(info.cipherSuite()).isEqualTo("TLS_PSK_WITH_AES_128_CCM_8"));
        }
    }

    @Test
    void wrongKeyIsReportedAsHandshakeTimeoutBecauseOpensslDropsTheBadFinished() throws Exception {
        byte[] wrongKey = KEY.clone();
        wrongKey[0] ^= 1;
        try (OpensslDtlsServer openssl = OpensslDtlsServer.start(IDENTITY, KEY);
             ScandiumCoapClient client = ScandiumCoapClient.start(settings(openssl, IDENTITY, wrongKey))) {
            assertThatThrownBy(() -> client.get("/hello"))
                    .isInstanceOf(HandshakeTimeoutException.class)
                    .hasMessageContaining("timed out")
                    .hasMessageNotContaining(HexFormat.of().formatHex(wrongKey));
        }
    }

    private static ClientSettings settings(OpensslDtlsServer openssl, String identity, byte[] key) {
        return new ClientSettings(openssl.address(),
                new ClientCredentials.Psk(new PskCredential(identity.getBytes(StandardCharsets.UTF_8), key)), FAST);
    }

    private static CoapReply getQuietly(ScandiumCoapClient client, String path) {
        try {
            return client.get(path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
