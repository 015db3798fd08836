package dev.fleetkey.bundle;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * The decoded bundle as JSON, for people ({@code fleetkey-device show}) and for the golden test
 * vectors' expected output. Secrets are redacted unless revealed; keys appear as the SHA-256 of their
 * SubjectPublicKeyInfo (the value pins use); certificates as subject, issuer, serial and validity plus
 * their DER in base64. The output is stable: fixed key order, two-space indentation, one trailing newline.
 */
public final class BundleJson {

    /** What a redacted secret shows. */
    public static final String REDACTED = "(redacted)";

    private static final HexFormat HEX = HexFormat.of();

    private BundleJson() {
    }

    /**
     * Renders {@code payload}.
     *
     * @param reveal whether PSKs and private keys are shown (hex and base64 PKCS#8) instead of {@value #REDACTED}
     */
    public static String render(BundlePayload payload, boolean reveal) {
        CBORObject json = CBORObject.NewOrderedMap()
                .Add("formatVersion", payload.formatVersion())
                .Add("kind", payload.kind().name().toLowerCase())
                .Add("bundleId", payload.bundleIdHex())
                .Add("sequence", payload.sequence())
                .Add("issuedAt", payload.issuedAt().toString())
                .Add("notAfter", payload.notAfter().toString());
        if (payload.device() != null) {
            json.Add("device", payload.device().canonical());
        }
        json.Add("template", CBORObject.NewOrderedMap().Add("id", payload.template().id())
                .Add("version", payload.template().version()));
        json.Add("dtls", CBORObject.NewOrderedMap()
                .Add("initialRetransmissionMs", payload.dtlsPolicy().initialRetransmission().toMillis())
                .Add("resumption", payload.dtlsPolicy().resumption())
                .Add("connectionId", payload.dtlsPolicy().connectionId()));
        json.Add("secrets", payload.hasSealedSecrets() ? "sealed" : payload.secretsInClear() ? "in-clear"
                : payload.hasClearSecrets() ? "opened" : "none");
        if (payload.hasSealedSecrets()) {
            byte[] envelope = payload.sealedSecrets();
            byte[] keyId = BundleSecrets.envelopeRecipientKeyId(envelope);
            json.Add("sealedSecrets", CBORObject.NewOrderedMap()
                    .Add("recipientKeyId", keyId == null ? "(unreadable envelope)" : HEX.formatHex(keyId))
                    .Add("size", envelope.length)
                    .Add("sha256", Sha256.hex(envelope)));
        }
        CBORObject servers = CBORObject.NewArray();
        payload.servers().forEach(s -> servers.Add(server(s, reveal)));
        json.Add("servers", servers);
        StringBuilder out = new StringBuilder();
        write(json, 0, out);
        return out.append('\n').toString();
    }

    private static CBORObject server(ServerEntry s, boolean reveal) {
        CBORObject suites = CBORObject.NewArray();
        s.cipherSuites().forEach(c -> suites.Add(c.name()));
        return CBORObject.NewOrderedMap()
                .Add("name", s.name())
                .Add("uri", s.uri().toString())
                .Add("host", s.host())
                .Add("mode", switch (s.mode()) {
                    case PSK -> "psk";
                    case RAW_PUBLIC_KEY -> "rpk";
                    case X509 -> "x509";
                })
                .Add("cipherSuites", suites)
                .Add("credentials", credentials(s.credentials(), reveal));
    }

    private static CBORObject credentials(ServerCredentials c, boolean reveal) {
        CBORObject m = CBORObject.NewOrderedMap();
        if (c instanceof ServerCredentials.Psk psk) {
            if (psk.identity() != null) {
                m.Add("identity", HEX.formatHex(psk.identity()));
            }
            if (psk.key() != null) {
                m.Add("key", reveal ? HEX.formatHex(psk.key()) : REDACTED);
            }
        } else if (c instanceof ServerCredentials.RawPublicKey rpk) {
            privateKey(m, rpk.clientPrivateKey(), reveal);
            if (rpk.clientPublicKey() != null) {
                m.Add("publicKey", key(rpk.clientPublicKey()));
            }
            m.Add("serverPublicKeys", list(rpk.serverPublicKeys(), BundleJson::key));
            m.Add("serverKeyPins", list(rpk.serverKeyPins(), pin -> CBORObject.FromObject(HEX.formatHex(pin))));
        } else if (c instanceof ServerCredentials.Certificates x509) {
            privateKey(m, x509.clientPrivateKey(), reveal);
            m.Add("clientChain", list(x509.clientChain(), BundleJson::certificate));
            m.Add("trustAnchors", list(x509.trustAnchors(), BundleJson::certificate));
        }
        return m;
    }

    private static void privateKey(CBORObject m, byte[] pkcs8, boolean reveal) {
        if (pkcs8 != null) {
            m.Add("privateKey", reveal ? Base64.getEncoder().encodeToString(pkcs8) : REDACTED);
        }
    }

    private static CBORObject key(byte[] spki) {
        return CBORObject.NewOrderedMap().Add("spkiSha256", Sha256.hex(spki));
    }

    private static CBORObject certificate(byte[] der) {
        CBORObject m = CBORObject.NewOrderedMap();
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            m.Add("subject", cert.getSubjectX500Principal().getName(X500Principal.RFC2253))
                    .Add("issuer", cert.getIssuerX500Principal().getName(X500Principal.RFC2253))
                    .Add("serial", cert.getSerialNumber().toString(16))
                    .Add("notBefore", cert.getNotBefore().toInstant().toString())
                    .Add("notAfter", cert.getNotAfter().toInstant().toString())
                    .Add("spkiSha256", Sha256.hex(cert.getPublicKey().getEncoded()));
        } catch (CertificateException | RuntimeException e) {
            m.Add("error", "not a readable X.509 certificate");
        }
        return m.Add("base64", Base64.getEncoder().encodeToString(der));
    }

    private interface Render {
        CBORObject apply(byte[] value);
    }

    private static CBORObject list(List<byte[]> values, Render render) {
        CBORObject a = CBORObject.NewArray();
        values.forEach(v -> a.Add(render.apply(v)));
        return a;
    }

    /** Indented JSON; scalars are escaped by the CBOR library's JSON writer. */
    private static void write(CBORObject value, int depth, StringBuilder out) {
        if (value.getType() == CBORType.Map) {
            if (value.size() == 0) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            int i = 0;
            for (CBORObject key : value.getKeys()) {
                indent(depth + 1, out).append(key.ToJSONString()).append(": ");
                write(value.get(key), depth + 1, out);
                out.append(++i < value.size() ? ",\n" : "\n");
            }
            indent(depth, out).append('}');
        } else if (value.getType() == CBORType.Array) {
            if (value.size() == 0) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < value.size(); i++) {
                indent(depth + 1, out);
                write(value.get(i), depth + 1, out);
                out.append(i + 1 < value.size() ? ",\n" : "\n");
            }
            indent(depth, out).append(']');
        } else {
            out.append(value.ToJSONString());
        }
    }

    private static StringBuilder indent(int depth, StringBuilder out) {
        return out.append("  ".repeat(depth));
    }
}
