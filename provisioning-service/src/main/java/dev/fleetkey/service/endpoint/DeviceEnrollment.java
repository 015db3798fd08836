package dev.fleetkey.service.endpoint;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import javax.security.auth.x500.X500Principal;

/**
 * What the endpoint's EST-coaps resources (RFC 9148, under {@code /.well-known/est}) and its revocation list
 * ask of the service. Implemented by the EST feature; the endpoint only carries CoAP: paths, content-format
 * checks and codes. Refusals are {@link dev.fleetkey.service.system.FleetkeyException}s (4.00 for a bad
 * value, 4.03 otherwise) or {@link DeviceRequestRefused} (4.03), with a message the device may read.
 */
public interface DeviceEnrollment {

    /** CoAP Content-Formats of EST-coaps (RFC 9148 section 8.2). */
    int PKCS7_SERVER_GENERATED_KEY = 280;
    int PKCS7_CERTS_ONLY = 281;
    int PKCS8 = 284;
    int CSR_ATTRIBUTES = 285;
    int PKCS10 = 286;
    int PKIX_CERT = 287;
    int MULTIPART_CORE = 62;
    int OCTET_STREAM = 42;

    /**
     * Whether some template trusts the manufacturer CA this factory certificate chain (leaf first) leads to:
     * asked in the handshake when the chain does not lead to a device issuing CA.
     */
    boolean trustsFactoryChain(List<X509Certificate> chain);

    /** The subjects of every manufacturer CA a template trusts, named in the CertificateRequest. */
    List<X500Principal> factoryIssuers();

    /** {@code /crts}: the CA certificates, as {@link #PKCS7_CERTS_ONLY} or (the root alone) {@link #PKIX_CERT}. */
    Reply caCertificates(int format);

    /**
     * {@code /sen} and {@code /sren}: certifies the CSR's key for the enrollee's device.
     *
     * @param csr       DER PKCS#10
     * @param reEnroll  {@code /sren}: only a session with the Fleetkey certificate being renewed may ask
     * @param format    {@link #PKCS7_CERTS_ONLY} or {@link #PKIX_CERT}
     */
    Reply enroll(Enrollee enrollee, byte[] csr, boolean reEnroll, int format);

    /** {@code /att}: the CSR attributes (RFC 7030 section 4.5.2), {@link #CSR_ATTRIBUTES}. */
    Reply csrAttributes();

    /**
     * {@code /skg}: a key pair made by the service and its certificate, as multipart-core {@link #MULTIPART_CORE}
     * (RFC 9148 section 4.8): the key sealed or in clear, as the device's template allows.
     *
     * @param csr DER PKCS#10 naming the device; its key is not certified (RFC 7030 section 4.4.1)
     */
    Reply serverKeyGeneration(Enrollee enrollee, byte[] csr);

    /** The device CA's current revocation list: DER ({@link #OCTET_STREAM}) or in a certs-only CMS (281). */
    Reply deviceCaCrl(int format);

    /**
     * Who asks, as the DTLS handshake proved it.
     *
     * @param session      the session's device, mode and key
     * @param factoryChain the factory certificate chain (leaf first) when the session authenticated with one;
     *                     empty for a credential Fleetkey issued
     */
    record Enrollee(DeviceSession session, List<X509Certificate> factoryChain) {
        public Enrollee {
            Objects.requireNonNull(session, "session");
            factoryChain = List.copyOf(factoryChain);
        }

        /** Whether the session authenticated with a factory certificate, not a Fleetkey credential. */
        public boolean factory() {
            return !factoryChain.isEmpty();
        }
    }

    /**
     * An answer's Content-Format and payload.
     *
     * @param contentFormat a CoAP Content-Format number
     */
    record Reply(int contentFormat, byte[] payload) {
        public Reply {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Reply r && r.contentFormat == contentFormat && Arrays.equals(r.payload, payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Reply[" + contentFormat + ", " + payload.length + " bytes]";
        }
    }
}
