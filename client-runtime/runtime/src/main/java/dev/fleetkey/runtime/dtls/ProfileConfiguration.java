package dev.fleetkey.runtime.dtls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;

/**
 * The Californium configuration of an RFC 7925 client, built in code. It never touches
 * {@code Californium3.properties}: {@code Configuration.getStandard()} would write that file into the
 * working directory of every device, so this class creates its own module set instead.
 */
final class ProfileConfiguration {

    /** RFC 7925 section 11: the back-off of the retransmission timer is capped at 60 s. */
    static final Duration MAX_RETRANSMISSION_TIMEOUT = Duration.ofSeconds(60);
    /** Scandium's and RFC 6347's default number of retransmissions of one flight. */
    static final int MAX_RETRANSMISSIONS = DtlsConfig.DEFAULT_MAX_RETRANSMISSIONS;

    private ProfileConfiguration() {
    }

    static Configuration pskClient(Duration initialRetransmission) {
        Configuration config = new Configuration(SystemConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                DtlsConfig.DEFINITIONS, CoapConfig.DEFINITIONS);
        long initialMillis = initialRetransmission.toMillis();
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8));
        config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, initialMillis, TimeUnit.MILLISECONDS);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSION_TIMEOUT, MAX_RETRANSMISSION_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, MAX_RETRANSMISSIONS);
        // Californium randomises the first timer up to 1.5x by default; the profile gives a fixed value.
        config.set(DtlsConfig.DTLS_RETRANSMISSION_INIT_RANDOM, 1.0f);
        config.set(DtlsConfig.DTLS_USE_SERVER_NAME_INDICATION, false);
        // A device talks to one server: keep the footprint small.
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, 4);
        config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
        config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 1);
        // CoAP must not give up on a request while DTLS is still retransmitting the handshake.
        config.set(CoapConfig.ACK_TIMEOUT, initialMillis, TimeUnit.MILLISECONDS);
        return config;
    }

    /** An upper bound for a full handshake plus one CoAP exchange, to bound a blocking wait. */
    static Duration worstCaseExchange(Duration initialRetransmission) {
        long handshake = 0;
        long timer = initialRetransmission.toMillis();
        for (int i = 0; i <= MAX_RETRANSMISSIONS; i++) {
            handshake += Math.min(timer, MAX_RETRANSMISSION_TIMEOUT.toMillis());
            timer *= 2;
        }
        // CoAP: ACK_TIMEOUT x 1.5 (random factor) x (2^(MAX_RETRANSMIT+1) - 1), MAX_RETRANSMIT = 4.
        long coap = initialRetransmission.toMillis() * 3 / 2 * 31;
        return Duration.ofMillis(handshake + coap + 2_000);
    }
}
