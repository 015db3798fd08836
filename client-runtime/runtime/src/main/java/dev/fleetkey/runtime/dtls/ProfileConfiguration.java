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
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.SignatureAndHashAlgorithm;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite.CertificateKeyAlgorithm;
import org.eclipse.californium.scandium.dtls.cipher.XECDHECryptography.SupportedGroup;

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

    /** A client offering exactly the profile's suite for the mode of {@code settings}. */
    static Configuration client(ClientSettings settings) {
        Configuration config = new Configuration(SystemConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                DtlsConfig.DEFINITIONS, CoapConfig.DEFINITIONS);
        Duration initialRetransmission = settings.initialRetransmission();
        long initialMillis = initialRetransmission.toMillis();
        config.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
        ClientCredentials credentials = settings.credentials();
        if (credentials instanceof ClientCredentials.Psk) {
            config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8));
            config.set(DtlsConfig.DTLS_USE_SERVER_NAME_INDICATION, false);
        } else {
            // RFC 7925 sections 4.3 and 5: one suite, P-256 only, ECDSA with SHA-256 only.
            config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8));
            config.set(DtlsConfig.DTLS_CURVES, List.of(SupportedGroup.secp256r1));
            config.set(DtlsConfig.DTLS_SIGNATURE_AND_HASH_ALGORITHMS, List.of(SignatureAndHashAlgorithm.SHA256_WITH_ECDSA));
            config.set(DtlsConfig.DTLS_CERTIFICATE_KEY_ALGORITHMS, List.of(CertificateKeyAlgorithm.EC));
            boolean x509 = credentials instanceof ClientCredentials.Certificates;
            config.set(DtlsConfig.DTLS_CERTIFICATE_TYPES,
                    List.of(x509 ? CertificateType.X_509 : CertificateType.RAW_PUBLIC_KEY));
            // SNI only names a DNS host (RFC 6066 section 3); ServerIdentityVerifier checks the name itself.
            config.set(DtlsConfig.DTLS_USE_SERVER_NAME_INDICATION, x509);
            config.set(DtlsConfig.DTLS_VERIFY_SERVER_CERTIFICATES_SUBJECT, false);
        }
        // RFC 9146: offer a zero-length CID of our own, so the server's CID identifies us after a NAT rebinding.
        config.set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, settings.connectionId() ? Integer.valueOf(0) : null);
        config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, initialMillis, TimeUnit.MILLISECONDS);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSION_TIMEOUT, MAX_RETRANSMISSION_TIMEOUT.toMillis(),
                TimeUnit.MILLISECONDS);
        config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, MAX_RETRANSMISSIONS);
        // Californium randomises the first timer up to 1.5x by default; the profile gives a fixed value.
        config.set(DtlsConfig.DTLS_RETRANSMISSION_INIT_RANDOM, 1.0f);
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
