package dev.fleetkey.service.pki;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;

import dev.fleetkey.bundle.Eui64;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reads public keys made on the device (the service never sees their private halves): a P-256
 * SubjectPublicKeyInfo, or a PKCS#10 CSR whose signature proves possession. A CSR may name the device or no
 * one, never another identity; the template decides what a certificate says.
 */
public final class DevicePublicKeys {

    private final P256Crypto crypto;

    public DevicePublicKeys(P256Crypto crypto) {
        this.crypto = crypto;
    }

    /** A P-256 key from SubjectPublicKeyInfo, DER or PEM ({@code PUBLIC KEY}). */
    public PublicKey fromSubjectPublicKeyInfo(byte[] input) throws DeviceKeyRejectedException {
        byte[] der = pemOrDer(input, "PUBLIC KEY");
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new DeviceKeyRejectedException.Malformed("The input is not a DER SubjectPublicKeyInfo.", e);
        }
        return toP256Key(spki);
    }

    /**
     * The key of a PKCS#10 CSR (DER or PEM {@code CERTIFICATE REQUEST}) for {@code device}, after checking its
     * signature and that it asks for no other identity (see {@link CsrIdentity}).
     */
    public PublicKey fromCsr(byte[] input, Eui64 device) throws DeviceKeyRejectedException {
        byte[] der = pemOrDer(input, "CERTIFICATE REQUEST");
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new DeviceKeyRejectedException.Malformed("The input is not a DER PKCS#10 certification request.", e);
        }
        PublicKey key = toP256Key(csr.getSubjectPublicKeyInfo());
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(crypto.provider())
                    .build(key))) {
                throw new DeviceKeyRejectedException.BadCsrSignature(null);
            }
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new DeviceKeyRejectedException.BadCsrSignature(e);
        }
        CsrIdentity.check(csr, device);
        return key;
    }

    private PublicKey toP256Key(SubjectPublicKeyInfo spki) throws DeviceKeyRejectedException {
        ASN1ObjectIdentifier algorithm = spki.getAlgorithm().getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            throw new DeviceKeyRejectedException.UnsupportedAlgorithm(algorithmName(algorithm));
        }
        ASN1Encodable parameters = spki.getAlgorithm().getParameters();
        if (!SECObjectIdentifiers.secp256r1.equals(parameters)) {
            String curve = parameters instanceof ASN1ObjectIdentifier
                    ? curveName((ASN1ObjectIdentifier) parameters) : "given by explicit parameters";
            throw new DeviceKeyRejectedException.UnsupportedCurve(curve);
        }
        try {
            // decoding validates the point: off-curve points and the point at infinity are refused here
            return crypto.publicKey(spki.getEncoded());
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new DeviceKeyRejectedException.Malformed("The P-256 public key is not a valid curve point.", e);
        }
    }

    private static byte[] pemOrDer(byte[] input, String pemType) throws DeviceKeyRejectedException {
        if (input == null || input.length == 0) {
            throw new DeviceKeyRejectedException.Malformed("No key was given.", null);
        }
        String start = new String(input, 0, Math.min(input.length, 64), StandardCharsets.ISO_8859_1).stripLeading();
        if (!start.startsWith("-----BEGIN")) {
            return input;
        }
        try (PemReader reader = new PemReader(new StringReader(new String(input, StandardCharsets.US_ASCII)))) {
            PemObject pem = reader.readPemObject();
            if (pem == null || !pem.getType().equals(pemType)) {
                throw new DeviceKeyRejectedException.Malformed("The PEM block is not a " + pemType + ".", null);
            }
            return pem.getContent();
        } catch (IOException e) {
            throw new DeviceKeyRejectedException.Malformed("The PEM text cannot be read.", e);
        }
    }

    private static String curveName(ASN1ObjectIdentifier oid) {
        String name = ECNamedCurveTable.getName(oid);
        return name != null ? name : oid.getId();
    }

    private static String algorithmName(ASN1ObjectIdentifier oid) {
        switch (oid.getId()) {
            case "1.2.840.113549.1.1.1":
                return "RSA";
            case "1.3.101.112":
                return "Ed25519";
            case "1.3.101.113":
                return "Ed448";
            case "1.2.840.10040.4.1":
                return "DSA";
            default:
                return "algorithm " + oid.getId();
        }
    }
}
