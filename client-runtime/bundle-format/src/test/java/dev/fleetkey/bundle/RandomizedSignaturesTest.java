package dev.fleetkey.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestBytes;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/**
 * A signing key inside a PKCS#11 token cannot use RFC 6979 nonces: the token signs with its own random nonce.
 * FORMAT.md, "Deterministic and randomized signatures": such a bundle has the same payload bytes and the same
 * envelope as one from the reference signer, only its signature value differs, and verifiers accept both.
 */
class RandomizedSignaturesTest {

    private final BundleVerifier verifier = BundleVerifier.builder().trustAnchor(TestBundles.SIGNER.certificate()).build();
    private final BundlePayload payload = TestBundles.pskDevicePayload(5);

    @Test
    void theReferenceSignerIsDeterministicForAKeyInMemory() {
        assertThat(TestBundles.signer().deterministic()).isTrue();
        assertThat(TestBundles.signer().sign(payload)).isEqualTo(TestBundles.signer().sign(payload));
    }

    @Test
    void bundlesSignedWithRandomNoncesVerifyWithTheSamePayloadAndDifferOnlyInTheSignature() throws Exception {
        byte[] deterministic = TestBundles.signer().sign(payload);
        byte[] first = randomized(BundleCodec.encode(payload));
        byte[] second = randomized(BundleCodec.encode(payload));

        assertThat(first).isNotEqualTo(second).isNotEqualTo(deterministic);
        for (byte[] bundle : new byte[][] {deterministic, first, second}) {
            VerifiedBundle verified = verifier.verify(bundle, VerificationContext.forDevice(TestBundles.GOOD_DEVICE, 4));
            assertThat(verified.payload()).isEqualTo(payload);
            assertThat(TestBytes.requireIndexOf(bundle, BundleCodec.encode(payload))).isNotNegative();
        }
    }

    /** What a token produces: BundleSigner's envelope, ECDSA with a random nonce (JCA's SHA256withECDSA). */
    private static byte[] randomized(byte[] payloadCbor) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.BC).build())
                .setDirectSignature(true)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Crypto.BC)
                        .build(TestBundles.SIGNER.privateKey()), Crypto.subjectKeyIdentifier(TestBundles.SIGNER.certificate())));
        generator.addCertificate(new JcaX509CertificateHolder(TestBundles.SIGNER.certificate()));
        return generator.generate(new CMSProcessableByteArray(payloadCbor), true).getEncoded("DER");
    }
}
