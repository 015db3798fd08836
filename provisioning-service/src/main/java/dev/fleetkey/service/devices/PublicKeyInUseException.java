package dev.fleetkey.service.devices;

import dev.fleetkey.service.system.FleetkeyException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A submitted public key (or a CSR's) is bound to a device already, or was once
 * (a revoked or rotated-out key is never bound again). The message names the device holding it; a station
 * that did not provision that device gets {@link #withoutHolder()} instead, which names none.
 */
public final class PublicKeyInUseException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    static final String TYPE = "public-key-in-use";

    private final transient Device holder;
    private final byte[] spkiSha256;
    private final String field;

    /**
     * @param holder the device the key is bound to, or null if unknown (a concurrent registration won)
     * @param requester the device the key was submitted for
     * @param field the request field that carried the key, or null
     */
    public PublicKeyInUseException(byte[] spkiSha256, Device holder, Device requester, String field) {
        super(TYPE, message(spkiSha256, holder, requester));
        this.holder = holder;
        this.spkiSha256 = spkiSha256.clone();
        this.field = field;
    }

    private PublicKeyInUseException(PublicKeyInUseException original, String field, String message) {
        super(TYPE, message);
        this.holder = original.holder;
        this.spkiSha256 = original.spkiSha256;
        this.field = field;
    }

    /** The device the key is bound to, if known. */
    public Optional<Device> holder() {
        return Optional.ofNullable(holder);
    }

    /** The request field that carried the key (publicKey or csr), or null. */
    @Override
    public String field() {
        return field;
    }

    /** The same refusal naming {@code field} (publicKey or csr) as the one at fault. */
    PublicKeyInUseException inField(String field) {
        return new PublicKeyInUseException(this, field, getMessage());
    }

    /** The same refusal without the holder's EUI-64, for a caller that may not learn which device has the key. */
    public PublicKeyInUseException withoutHolder() {
        return new PublicKeyInUseException(this, field, "The public key (SHA-256 " + hex(spkiSha256) + ") is already"
                + " bound to a device, or was used before and then revoked or rotated out; a key belongs to one device"
                + " and is never bound again. Have the device make a new key pair and submit its public key or CSR;"
                + " if this key really is this device's, ask an administrator");
    }

    private static String message(byte[] sha256, Device holder, Device requester) {
        String key = "The public key (SHA-256 " + hex(sha256) + ")";
        String rule = "; a key belongs to one device and, once revoked or rotated out, is never bound again."
                + " Have the device make a new key pair and submit its public key or CSR";
        if (holder == null) {
            return key + " was just bound to another device by a concurrent request" + rule;
        }
        if (holder.id() == requester.id()) {
            return key + " was already used by device " + holder.eui64() + " itself: a rotation or re-provisioning"
                    + " needs a new key" + rule;
        }
        return key + " is bound to device " + holder.eui64() + rule;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
