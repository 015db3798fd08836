package dev.fleetkey.bundle;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import java.io.IOException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.OriginatorPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;

/**
 * Seals a device bundle's secrets (PSKs, private keys) for one recipient, and opens them again.
 *
 * <p>The envelope is CMS AuthEnvelopedData (RFC 5083): AES-128-GCM content encryption, the content
 * key agreed by ephemeral-static ECDH on P-256 with the X9.63 SHA-256 KDF and wrapped with AES-128
 * key wrap (RFC 5753), the recipient named by a key identifier (a certificate's subject key
 * identifier, or {@link #recipientKeyId(PublicKey)}). The plaintext is
 * deterministic CBOR mapping a server's index to its secret parts; the servers in the payload keep
 * only their public parts. Sealing happens before signing, so the signature covers the ciphertext.
 *
 * <p>Recipient: a station's transport key at manufacturing time, or the device's current key for
 * updates. Stateless and thread-safe.
 */
public final class BundleSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private BundleSecrets() {
    }

    /** Seals for the holder of {@code recipient}'s key, naming it by the certificate's subject key identifier. */
    public static BundlePayload seal(BundlePayload payload, X509Certificate recipient) {
        return seal(payload, Crypto.subjectKeyIdentifier(recipient), recipient.getPublicKey(), RANDOM);
    }

    /** Seals for the holder of {@code recipient}, naming it by {@link #recipientKeyId(PublicKey)}. */
    public static BundlePayload seal(BundlePayload payload, PublicKey recipient) {
        return seal(payload, recipientKeyId(recipient), recipient, RANDOM);
    }

    /**
     * Moves every secret of {@code payload} into an envelope for {@code recipient}.
     *
     * @param recipientKeyId the key identifier the envelope names the recipient by
     * @param random the randomness for the ephemeral key, content key and nonce (fixed only for
     *     reproducible test vectors)
     * @return the payload to sign: servers without secrets, {@code secretsInClear} false and the
     *     envelope in {@link BundlePayload#sealedSecrets()}; {@code payload} itself when it holds no secret
     * @throws IllegalArgumentException for a fleet bundle, an already sealed one, or a recipient key
     *     that is not EC P-256
     */
    public static BundlePayload seal(BundlePayload payload, byte[] recipientKeyId, PublicKey recipient,
                                     SecureRandom random) {
        Objects.requireNonNull(recipientKeyId, "recipientKeyId");
        Objects.requireNonNull(random, "random");
        if (payload.kind() != BundleKind.DEVICE) {
            throw new IllegalArgumentException("only device bundles carry secrets to seal");
        }
        if (payload.hasSealedSecrets()) {
            throw new IllegalArgumentException("bundle " + payload.bundleIdHex() + " is already sealed");
        }
        if (!(recipient instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("the recipient key must be an EC P-256 public key");
        }
        if (!payload.hasClearSecrets()) {
            return payload;
        }
        CBORObject secrets = CBORObject.NewMap();
        List<ServerEntry> publicOnly = new ArrayList<>();
        List<ServerEntry> servers = payload.servers();
        for (int i = 0; i < servers.size(); i++) {
            ServerEntry s = servers.get(i);
            if (s.credentials().hasSecret()) {
                secrets.Add(i, BundleCodec.encodeSecretParts(s.credentials()));
            }
            publicOnly.add(new ServerEntry(s.name(), s.uri(), s.host(), s.mode(), s.cipherSuites(),
                    withoutSecret(s.credentials())));
        }
        byte[] envelope = encrypt(DeterministicCbor.encode(secrets), recipientKeyId, recipient, random);
        return payload.withSecrets(publicOnly, false, envelope);
    }

    /**
     * Opens the sealed secrets of {@code payload} with the recipient's private key.
     *
     * @return the payload with every server's secrets in its credentials and no envelope;
     *     {@code payload} itself when it has no sealed secrets
     * @throws SecretsDecryptionException when the key is not the recipient's or the envelope is damaged
     * @throws MalformedBundleException when the decrypted secrets do not fit the servers
     */
    public static BundlePayload open(BundlePayload payload, PrivateKey recipientKey)
            throws SecretsDecryptionException, MalformedBundleException {
        Objects.requireNonNull(recipientKey, "recipientKey");
        if (!payload.hasSealedSecrets()) {
            return payload;
        }
        CBORObject secrets = DeterministicCbor.decode(decrypt(payload.sealedSecrets(), recipientKey));
        if (secrets.getType() != CBORType.Map) {
            throw new MalformedBundleException("sealed secrets must be a map of server index to secrets");
        }
        List<ServerEntry> servers = new ArrayList<>(payload.servers());
        for (Map.Entry<CBORObject, CBORObject> e : secrets.getEntries()) {
            CBORObject index = e.getKey();
            if (index.getType() != CBORType.Integer || !index.CanValueFitInInt32() || index.AsInt32() < 0
                    || index.AsInt32() >= servers.size()) {
                throw new MalformedBundleException("sealed secrets name a server index the bundle does not have");
            }
            int i = index.AsInt32();
            ServerEntry s = servers.get(i);
            servers.set(i, new ServerEntry(s.name(), s.uri(), s.host(), s.mode(), s.cipherSuites(),
                    withSecret(s.credentials(), CborMap.of(e.getValue(), "sealed-secrets[" + i + "]"))));
        }
        try {
            return payload.withSecrets(servers, false, null);
        } catch (IllegalArgumentException e) {
            throw new MalformedBundleException("sealed secrets break a bundle rule: " + e.getMessage());
        }
    }

    /**
     * Seals arbitrary bytes for {@code recipient} in the same envelope as bundle secrets (used for exports
     * to an operator's own servers), naming it by {@link #recipientKeyId(PublicKey)}.
     *
     * @return a DER {@code ContentInfo} of type id-ct-authEnvelopedData
     * @throws IllegalArgumentException when the recipient key is not EC P-256
     */
    public static byte[] sealData(byte[] plaintext, PublicKey recipient) {
        Objects.requireNonNull(plaintext, "plaintext");
        if (!(recipient instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("the recipient key must be an EC P-256 public key");
        }
        return encrypt(plaintext, recipientKeyId(recipient), recipient, RANDOM);
    }

    /**
     * Opens what {@link #sealData(byte[], PublicKey)} sealed.
     *
     * @throws SecretsDecryptionException when the key is not the recipient's or the envelope is damaged
     */
    public static byte[] openData(byte[] envelope, PrivateKey recipientKey) throws SecretsDecryptionException {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(recipientKey, "recipientKey");
        return decrypt(envelope, recipientKey);
    }

    /**
     * The key identifier {@link #seal(BundlePayload, PublicKey)} names a recipient by: the first 8
     * bytes of the SHA-256 of its SubjectPublicKeyInfo. Short because every byte counts in a device
     * bundle; it only labels the recipient (a device holds one key and simply tries it).
     */
    public static byte[] recipientKeyId(PublicKey key) {
        return java.util.Arrays.copyOf(Sha256.digest(key.getEncoded()), 8);
    }

    /** The key identifier of the envelope's recipient, or null when the envelope cannot be read. */
    static byte[] envelopeRecipientKeyId(byte[] envelope) {
        try {
            Collection<RecipientInformation> recipients = new CMSAuthEnvelopedData(envelope).getRecipientInfos().getRecipients();
            if (recipients.size() == 1 && recipients.iterator().next().getRID()
                    instanceof org.bouncycastle.cms.KeyAgreeRecipientId id) {
                return id.getSubjectKeyIdentifier();
            }
        } catch (CMSException | RuntimeException e) {
            // shown as unreadable by the caller
        }
        return null;
    }

    private static byte[] encrypt(byte[] plaintext, byte[] keyId, PublicKey recipient, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Crypto.BC);
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair ephemeral = generator.generateKeyPair();
            JceKeyAgreeRecipientInfoGenerator recipientInfo = new CompactOriginator(ephemeral)
                    .setProvider(Crypto.BC).setSecureRandom(random);
            recipientInfo.addRecipient(keyId, recipient);
            CMSAuthEnvelopedDataGenerator generatorCms = new CMSAuthEnvelopedDataGenerator();
            generatorCms.addRecipientInfoGenerator(recipientInfo);
            // the nonce is drawn here: left to itself the builder would not take it from `random`
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            AlgorithmParameters gcm = AlgorithmParameters.getInstance("GCM", Crypto.BC);
            // a 128-bit tag; RFC 5084's default 96-bit one is left out of DER, and OpenSSL 3.0 cannot read that
            gcm.init(new GCMParameters(nonce, 16).getEncoded());
            OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES128_GCM)
                    .setProvider(Crypto.BC).setSecureRandom(random).setAlgorithmParameters(gcm).build();
            return generatorCms.generate(new CMSProcessableByteArray(plaintext), encryptor)
                    .toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (GeneralSecurityException | CMSException | IOException e) {
            throw new IllegalStateException("could not seal bundle secrets: " + e.getClass().getSimpleName(), e);
        }
    }

    private static byte[] decrypt(byte[] envelope, PrivateKey key) throws SecretsDecryptionException {
        try {
            CMSAuthEnvelopedData data = new CMSAuthEnvelopedData(envelope);
            if (!CMSAlgorithm.AES128_GCM.getId().equals(data.getEncryptionAlgOID())) {
                throw new SecretsDecryptionException("sealed secrets use content encryption " + data.getEncryptionAlgOID()
                        + "; bundles use AES-128-GCM");
            }
            Collection<RecipientInformation> recipients = data.getRecipientInfos().getRecipients();
            if (recipients.size() != 1) {
                throw new SecretsDecryptionException("sealed secrets must name exactly one recipient, not "
                        + recipients.size());
            }
            return recipients.iterator().next().getContent(new JceKeyAgreeEnvelopedRecipient(key).setProvider(Crypto.BC));
        } catch (CMSException | RuntimeException e) {
            // a wrong key fails the key unwrap, a changed byte fails the GCM tag: the same answer for both
            throw new SecretsDecryptionException("cannot open the bundle's sealed secrets with this key: the bundle was"
                    + " sealed for another recipient key, or its envelope is damaged");
        }
    }

    /**
     * Writes the ephemeral key with absent algorithm parameters, as RFC 5753 section 3.1.1 recommends
     * (the curve is the recipient's); BouncyCastle would repeat the curve OID, 10 bytes per bundle.
     */
    private static final class CompactOriginator extends JceKeyAgreeRecipientInfoGenerator {
        CompactOriginator(KeyPair ephemeral) {
            super(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES128_WRAP);
        }

        @Override
        protected OriginatorPublicKey createOriginatorPublicKey(SubjectPublicKeyInfo key) {
            return new OriginatorPublicKey(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey),
                    key.getPublicKeyData().getBytes());
        }
    }

    private static ServerCredentials withoutSecret(ServerCredentials c) {
        if (c instanceof ServerCredentials.Psk psk) {
            return new ServerCredentials.Psk(psk.identity(), null);
        } else if (c instanceof ServerCredentials.RawPublicKey rpk) {
            return new ServerCredentials.RawPublicKey(null, rpk.clientPublicKey(), rpk.serverPublicKeys(), rpk.serverKeyPins());
        }
        ServerCredentials.Certificates x509 = (ServerCredentials.Certificates) c;
        return new ServerCredentials.Certificates(null, x509.clientChain(), x509.trustAnchors());
    }

    private static ServerCredentials withSecret(ServerCredentials c, CborMap secret)
            throws MalformedBundleException {
        if (c.hasSecret()) {
            throw new MalformedBundleException("a server with a secret in clear also has a sealed one");
        }
        try {
            if (c instanceof ServerCredentials.Psk psk) {
                secret.requireOnlyKnownKeys(java.util.Set.of(BundleCodec.C_PSK_KEY));
                return new ServerCredentials.Psk(psk.identity(), secret.bytes(BundleCodec.C_PSK_KEY, "psk"));
            }
            secret.requireOnlyKnownKeys(java.util.Set.of(BundleCodec.C_PRIVATE_KEY));
            byte[] privateKey = secret.bytes(BundleCodec.C_PRIVATE_KEY, "private-key");
            if (c instanceof ServerCredentials.RawPublicKey rpk) {
                return new ServerCredentials.RawPublicKey(privateKey, rpk.clientPublicKey(), rpk.serverPublicKeys(),
                        rpk.serverKeyPins());
            }
            ServerCredentials.Certificates x509 = (ServerCredentials.Certificates) c;
            return new ServerCredentials.Certificates(privateKey, x509.clientChain(), x509.trustAnchors());
        } catch (UnsupportedFormatException e) {
            throw new MalformedBundleException("sealed secrets hold a part this server's mode does not use");
        }
    }
}
