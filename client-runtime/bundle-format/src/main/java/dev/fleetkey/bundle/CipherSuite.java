package dev.fleetkey.bundle;

/** The cipher suites the profile allows, with their IANA code points (the value on the wire). */
public enum CipherSuite implements WireCoded {
    /** RFC 6655; the profile's suite for pre-shared keys. */
    TLS_PSK_WITH_AES_128_CCM_8(0xC0A8, CredentialMode.PSK),
    /** RFC 7251; the profile's suite for raw public keys and certificates. */
    TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8(0xC0AE, null);

    private final int code;
    private final CredentialMode onlyMode;

    CipherSuite(int code, CredentialMode onlyMode) {
        this.code = code;
        this.onlyMode = onlyMode;
    }

    /** The IANA code point. */
    @Override
    public int code() {
        return code;
    }

    /** Whether this suite can authenticate with credentials of {@code mode}. */
    public boolean supports(CredentialMode mode) {
        return onlyMode == null ? mode != CredentialMode.PSK : onlyMode == mode;
    }

    static CipherSuite fromCode(long code) throws MalformedBundleException {
        return WireCoded.byCode(CipherSuite.class, code).orElseThrow(() -> new MalformedBundleException(
                String.format("cipher suite 0x%04X is not allowed by the profile", code)));
    }
}
