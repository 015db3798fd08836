package dev.fleetkey.bundle.enroll;

import dev.fleetkey.bundle.Eui64;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * PKCS#10 certification requests (RFC 2986) for a device's client certificate, as EST ({@code /sen},
 * {@code /sren}, RFC 7030 and RFC 9148) carries them: subject CN = the canonical EUI-64 and a requested
 * subjectAltName URI {@code urn:dev:mac:...} (RFC 9039), the same names the device's certificates carry,
 * signed with ECDSA-SHA256 by the key being certified (proof of possession).
 */
public final class CertificationRequests {

    private CertificationRequests() {
    }

    /**
     * A DER PKCS#10 request for {@code device}'s certificate on {@code publicKey}.
     *
     * @param signingKey the private key of {@code publicKey}; may live in a token (PKCS#11), then give its provider
     * @param provider   the provider that signs with {@code signingKey}; null for the default providers
     * @throws IllegalArgumentException the key cannot sign ECDSA-SHA256 (the message names the key type)
     */
    public static byte[] deviceRequest(Eui64 device, PublicKey publicKey, PrivateKey signingKey, Provider provider) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(signingKey, "signingKey");
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, device.urn())));
            JcaContentSignerBuilder signerBuilder = new JcaContentSignerBuilder("SHA256withECDSA");
            if (provider != null) {
                signerBuilder.setProvider(provider);
            }
            ContentSigner signer = signerBuilder.build(signingKey);
            return new JcaPKCS10CertificationRequestBuilder(
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, device.canonical()).build(), publicKey)
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(signer).getEncoded();
        } catch (OperatorCreationException | IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot sign a certification request with this " + signingKey.getAlgorithm()
                    + " key: " + e.getClass().getSimpleName(), e);
        }
    }
}
