package dev.fleetkey.runtime.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.SecureSession;

/** One CoAP GET from a {@link SecureSession} answered by the test through openssl, which knows no CoAP. */
public final class OpensslExchange {

    private OpensslExchange() {
    }

    /**
     * Sends GET {@code path} and answers it with "echo PATH".
     *
     * @param firstOnConnection whether this request runs a handshake (openssl prints its summary first)
     */
    public static CoapReply get(SecureSession session, OpensslDtlsServer openssl, String path,
                                boolean firstOnConnection) throws Exception {
        CompletableFuture<CoapReply> reply = CompletableFuture.supplyAsync(() -> {
            try {
                return session.get(path);
            } catch (DeviceRuntimeException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] data = firstOnConnection ? openssl.awaitApplicationData(Duration.ofSeconds(15))
                : openssl.awaitMoreApplicationData(Duration.ofSeconds(15));
        CoapWire.Request request = CoapWire.parseRequest(data);
        openssl.send(CoapWire.contentResponse(request, "echo " + request.path()));
        return reply.get(15, TimeUnit.SECONDS);
    }
}
