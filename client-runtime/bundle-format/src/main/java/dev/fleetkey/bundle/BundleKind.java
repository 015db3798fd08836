package dev.fleetkey.bundle;

/** What a bundle carries: one device's credentials, or a product line's fleet configuration. */
public enum BundleKind implements WireCoded {
    /** Per device: its servers and its own credentials (secrets included). */
    DEVICE(1),
    /** Per product line and release: servers, trust anchors, cipher policy; no per-device secret. */
    FLEET(2);

    private final int code;

    BundleKind(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    @Override
    public int code() {
        return code;
    }

    static BundleKind fromCode(long code) throws MalformedBundleException {
        return WireCoded.byCode(BundleKind.class, code).orElseThrow(() -> new MalformedBundleException(
                "unknown bundle kind " + code + " (expected 1 = device or 2 = fleet)"));
    }
}
