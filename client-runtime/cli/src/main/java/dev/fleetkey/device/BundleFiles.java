package dev.fleetkey.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.VerifiedBundle;

/** Reading the files a user names on the command line, with messages that say which file is wrong. */
final class BundleFiles {

    private BundleFiles() {
    }

    /** The signed bundle: DER as served by the service, or the same wrapped in PEM armour. */
    static byte[] readBundle(Path file) throws CommandFailure.Unusable {
        byte[] bytes = read(file, "bundle");
        String start = new String(bytes, 0, Math.min(bytes.length, 11), StandardCharsets.US_ASCII);
        if (start.equals("-----BEGIN ")) {
            String text = new String(bytes, StandardCharsets.US_ASCII);
            String body = text.replaceAll("-----[^-]+-----", "").replaceAll("\\s", "");
            try {
                return Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure.Unusable("bundle file " + file + " has PEM armour but its body is not base64");
            }
        }
        return bytes;
    }

    /** The bundle-signer certificates (PEM or DER, one or more). */
    static List<X509Certificate> readTrust(Path file) throws CommandFailure.Unusable {
        byte[] bytes = read(file, "trust");
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new CommandFailure.Unusable("trust file " + file + " holds no certificate");
            }
            return certificates;
        } catch (CertificateException | IOException e) {
            throw new CommandFailure.Unusable("trust file " + file + " is not a PEM or DER X.509 certificate "
                    + "(download it from /api/v1/trust/bundle-signer.pem)");
        }
    }

    /** Verifies the bundle against the trust file. */
    static VerifiedBundle verify(Path bundle, Path trust, VerificationContext context)
            throws CommandFailure.Unusable, BundleException {
        return verifier(trust).verify(readBundle(bundle), context);
    }

    /** A verifier that trusts the bundle signers of the trust file. */
    static BundleVerifier verifier(Path trust) throws CommandFailure.Unusable {
        return BundleVerifier.builder().trustAnchors(readTrust(trust)).build();
    }

    /** The bytes of {@code file}, which holds the {@code what} (e.g. "package"). */
    static byte[] read(Path file, String what) throws CommandFailure.Unusable {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CommandFailure.Unusable(what + " file " + file + " does not exist");
        } catch (IOException e) {
            throw new CommandFailure.Unusable(what + " file " + file + " cannot be read: " + e.getMessage());
        }
    }
}
