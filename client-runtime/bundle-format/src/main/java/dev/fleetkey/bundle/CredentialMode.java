package dev.fleetkey.bundle;

/** The three credential modes of the DTLS IoT profile (RFC 7925 sections 4-6). */
public enum CredentialMode implements WireCoded {
    /** Pre-shared key, TLS_PSK_WITH_AES_128_CCM_8. */
    PSK(1),
    /** Raw public key (RFC 7250), TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8. */
    RAW_PUBLIC_KEY(2),
    /** X.509 certificates, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8. */
    X509(3);

    private final int code;

    CredentialMode(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    @Override
    public int code() {
        return code;
    }

    static CredentialMode fromCode(long code) throws MalformedBundleException {
        return WireCoded.byCode(CredentialMode.class, code).orElseThrow(() -> new MalformedBundleException(
                "unknown credential mode " + code + " (expected 1 = psk, 2 = rpk, 3 = x509)"));
    }
}
