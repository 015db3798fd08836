package dev.fleetkey.service.serverexport;

import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceCredential;
import dev.fleetkey.service.devices.DevicePsks;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.RevocationLists;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator's own server (Leshan, libcoap, ...) needs to accept a template's fleet on one of its
 * servers: per non-revoked device the PSK identity and key, or the raw public key, or the certificate's
 * public key and serial; and the device CA chain. Written as JSON (format {@code fleetkey-server-export/1},
 * see ENDPOINT.md) and sealed for the operator's P-256 recipient key in the bundle format's envelope (CMS
 * AuthEnvelopedData, AES-128-GCM, ECDH), so the PSKs never travel or rest in clear.
 */
@Service
class ServerExports {

    static final String FORMAT = "fleetkey-server-export/1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TemplateCatalog templates;
    private final DeviceRepository devices;
    private final DevicePsks psks;
    private final CertificateAuthorities authorities;
    private final RevocationLists revocationLists;
    private final AuditTrail audit;

    ServerExports(TemplateCatalog templates, DeviceRepository devices, DevicePsks psks,
                  CertificateAuthorities authorities, RevocationLists revocationLists, AuditTrail audit) {
        this.revocationLists = revocationLists;
        this.templates = templates;
        this.devices = devices;
        this.psks = psks;
        this.authorities = authorities;
        this.audit = audit;
    }

    /** A sealed export and what it holds. */
    record SealedExport(byte[] envelope, int deviceCount, String recipientKeyIdHex) {
    }

    /** What the sealed export holds: the Fleetkey document, Leshan's security infos, or libcoap's PSK file. */
    enum Format {
        FLEETKEY("fleetkey"), LESHAN("leshan"), LIBCOAP("libcoap-psk");

        final String name;

        Format(String name) {
            this.name = name;
        }

        /** The format called {@code name}, or null. */
        static Format named(String name) {
            for (Format format : values()) {
                if (format.name.equals(name)) {
                    return format;
                }
            }
            return null;
        }
    }

    /**
     * Seals the export of {@code serverName} of template {@code templateId} (its newest loaded version) for
     * {@code recipient}, in {@code format}.
     *
     * @throws NotFoundException for an unknown template or server
     * @throws InvalidFieldException for the libcoap PSK file of a server that is not psk
     */
    @Transactional(readOnly = true)
    SealedExport export(String templateId, String serverName, PublicKey recipient, Format format) {
        DeviceTemplate template = templates.all().stream().filter(t -> t.id().equals(templateId))
                .max(Comparator.comparingInt(DeviceTemplate::version))
                .orElseThrow(() -> new NotFoundException("No template '" + templateId + "' is loaded"));
        DeviceTemplate.Server server = template.server(serverName)
                .orElseThrow(() -> new NotFoundException("Template " + template.reference() + " has no server '"
                        + serverName + "'; its servers: " + template.servers().stream()
                        .map(DeviceTemplate.Server::name).toList()));
        if (format == Format.LIBCOAP && server.mode() != DeviceTemplate.Mode.PSK) {
            throw new InvalidFieldException("format", "libcoap-psk lists PSKs, and server '" + serverName + "' of "
                    + template.reference() + " uses " + server.mode().yamlName() + ": export it as fleetkey or leshan");
        }
        List<ExportedCredential> credentials = new ArrayList<>();
        for (Device device : devices.notRevokedOfTemplate(templateId)) {
            credentials.addAll(credentialsOf(device, serverName));
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("exportedAt", Instant.now().toString());
        header.put("template", Map.of("id", template.id(), "version", template.version()));
        Map<String, Object> serverPart = new LinkedHashMap<>();
        serverPart.put("name", server.name());
        serverPart.put("uri", server.uri().toString());
        serverPart.put("host", server.host());
        serverPart.put("mode", server.mode().yamlName());
        header.put("server", serverPart);
        byte[] content = switch (format) {
            case FLEETKEY -> JSON.writeValueAsBytes(fleetkeyDocument(header, server, credentials));
            case LESHAN -> JSON.writeValueAsBytes(LeshanSecurityInfos.document(header, credentials));
            case LIBCOAP -> CoapServerPskFile.file(template.reference(), serverName, credentials);
        };
        credentials.forEach(ExportedCredential::wipe);
        try {
            byte[] envelope = BundleSecrets.sealData(content, recipient);
            String keyId = HexFormat.of().formatHex(BundleSecrets.recipientKeyId(recipient));
            audit.record("server-export.issued", "template:" + template.reference() + " server:" + serverName
                    + " format:" + format.name + " devices:" + credentials.size() + " recipient:" + keyId);
            return new SealedExport(envelope, credentials.size(), keyId);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private Map<String, Object> fleetkeyDocument(Map<String, Object> header, DeviceTemplate.Server server,
            List<ExportedCredential> credentials) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", FORMAT);
        document.putAll(header);
        document.put("cipherSuites", List.of(server.mode() == DeviceTemplate.Mode.PSK
                ? "TLS_PSK_WITH_AES_128_CCM_8" : "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"));
        HexFormat hex = HexFormat.of();
        List<Map<String, Object>> entries = new ArrayList<>();
        for (ExportedCredential c : credentials) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("eui64", c.eui64());
            entry.put("endpoint", c.endpoint());
            entry.put("mode", c.mode());
            if (c.psk() != null) {
                entry.put("pskIdentityHex", hex.formatHex(c.pskIdentity()));
                entry.put("pskHex", hex.formatHex(c.psk()));
            } else {
                entry.put("subjectPublicKeyInfo", Base64.getEncoder().encodeToString(c.subjectPublicKeyInfo()));
                entry.put("subjectPublicKeyInfoSha256Hex", hex.formatHex(Sha256.digest(c.subjectPublicKeyInfo())));
                if (c.certificatePem() != null) {
                    entry.put("certificateSerialHex", c.certificateSerialHex());
                    entry.put("certificatePem", c.certificatePem());
                }
            }
            entries.add(entry);
        }
        document.put("devices", entries);
        document.put("deviceCaChainPem", pem(authorities.deviceCa().chainWithoutRoot()));
        document.put("rootCaPem", pem(List.of(authorities.rootCertificate())));
        document.put("deviceCaCrlPem", crlPem(revocationLists.current(RevocationLists.DEVICE_CA).der()));
        return document;
    }

    /** Every credential the device may use on this server now: the current one and any still in its overlap. */
    private List<ExportedCredential> credentialsOf(Device device, String serverName) {
        List<ExportedCredential> credentials = new ArrayList<>();
        String eui64 = device.eui64().canonical();
        String urn = device.eui64().urn();
        for (DevicePsks.OpenPsk psk : psks.activePsks(device)) {
            if (psk.serverName().equals(serverName)) {
                credentials.add(new ExportedCredential(eui64, urn, "psk", psk.credential().identity(),
                        psk.credential().key(), null, null, null));
            }
            psk.wipe();
        }
        for (DeviceCredential c : devices.activeCredentials(device.id())) {
            if (!c.serverName().equals(serverName) || c.mode() == CredentialMode.PSK) {
                continue;
            }
            credentials.add(new ExportedCredential(eui64, urn, c.mode() == CredentialMode.RAW_PUBLIC_KEY ? "rpk" : "x509",
                    null, null, c.publicKey(), c.certificate() == null ? null : c.certificateSerial(),
                    c.certificate() == null ? null : pem(List.of(c.certificate()))));
        }
        return credentials;
    }

    private static String crlPem(byte[] der) {
        return "-----BEGIN X509 CRL-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END X509 CRL-----\n";
    }

    private static String pem(List<?> certificates) {
        StringBuilder out = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (Object certificate : certificates) {
            byte[] der;
            try {
                der = certificate instanceof X509Certificate ? ((X509Certificate) certificate).getEncoded()
                        : (byte[]) certificate;
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("a CA certificate cannot be encoded", e);
            }
            out.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(der))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return out.toString();
    }
}
