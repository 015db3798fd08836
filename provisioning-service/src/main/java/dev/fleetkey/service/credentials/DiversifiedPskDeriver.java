package dev.fleetkey.service.credentials;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.PskCredential;

/**
 * Diversified PSKs: each device's key is derived from a batch master key, so a DTLS server holding only
 * the master key can compute any device's key from the identity it receives, and a leaked device key
 * reveals neither the master nor any other device's key.
 *
 * <p>Derivation: {@code key = HKDF-SHA256(IKM = master key, salt = none, info = EUI-64 (8 bytes,
 * big-endian) || key version (4 bytes, big-endian), L = key length)}.
 *
 * <p>Identity: the ASCII text {@code "v" + version + ":" + eui64 compact}, e.g. {@code v1:001122fffe334455}.
 * The version is visible so that a batch can be re-keyed: raising the version gives every device a new key
 * from the same master, and a server can tell which version a device still uses.
 */
public final class DiversifiedPskDeriver {

    public static final int MIN_MASTER_KEY_LENGTH = 32;
    private static final Pattern IDENTITY = Pattern.compile("v([1-9][0-9]{0,9}):(\\p{XDigit}{16})");

    private final byte[] masterKey;

    /** @param batchMasterKey at least 32 random bytes; copied */
    public DiversifiedPskDeriver(byte[] batchMasterKey) {
        if (batchMasterKey == null || batchMasterKey.length < MIN_MASTER_KEY_LENGTH) {
            throw new IllegalArgumentException("A batch master key must have at least " + MIN_MASTER_KEY_LENGTH
                    + " bytes");
        }
        this.masterKey = batchMasterKey.clone();
    }

    /** A device's identity (as the device will send it) and its derived key. */
    public PskCredential derive(Eui64 device, int keyVersion, int keyLength) {
        return new PskCredential(identity(device, keyVersion), key(device, keyVersion, keyLength));
    }

    /**
     * The key for an identity a device sent, for servers that derive rather than look up.
     *
     * @return empty if {@code identity} is not a diversified identity
     */
    public Optional<byte[]> keyForIdentity(byte[] identity, int keyLength) {
        return parseIdentity(identity).map(id -> key(id.device(), id.keyVersion(), keyLength));
    }

    /** The identity {@code v<version>:<eui64 compact>} in ASCII. */
    public static byte[] identity(Eui64 device, int keyVersion) {
        requireValidVersion(keyVersion);
        return ("v" + keyVersion + ":" + device.compact()).getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a diversified identity back; empty for any other identity. */
    public static Optional<DiversifiedIdentity> parseIdentity(byte[] identity) {
        Matcher m = IDENTITY.matcher(new String(identity, StandardCharsets.ISO_8859_1));
        if (!m.matches()) {
            return Optional.empty();
        }
        long version = Long.parseLong(m.group(1));
        if (version > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new DiversifiedIdentity(Eui64.parse(m.group(2)), (int) version));
    }

    private byte[] key(Eui64 device, int keyVersion, int keyLength) {
        requireValidVersion(keyVersion);
        PskKeyGenerator.requireValidLength(keyLength);
        byte[] info = ByteBuffer.allocate(12).put(device.toBytes()).putInt(keyVersion).array();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(masterKey, null, info));
        byte[] key = new byte[keyLength];
        hkdf.generateBytes(key, 0, keyLength);
        return key;
    }

    private static void requireValidVersion(int keyVersion) {
        if (keyVersion < 1) {
            throw new IllegalArgumentException("PSK key version " + keyVersion + " is invalid: versions start at 1");
        }
    }

    /** What a diversified identity names. */
    public record DiversifiedIdentity(Eui64 device, int keyVersion) {
    }

    @Override
    public String toString() {
        return "DiversifiedPskDeriver[masterKey=<hidden>]";
    }
}
