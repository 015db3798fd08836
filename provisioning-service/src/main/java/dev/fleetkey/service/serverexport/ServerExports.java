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

    /**
     * Seals the export of {@code serverName} of template {@code templateId} (its newest loaded version) for
     * {@code recipient}.
     *
     * @throws NotFoundException for an unknown template or server
     */
    @Transactional(readOnly = true)
    SealedExport export(String templateId, String serverName, PublicKey recipient) {
        DeviceTemplate template = templates.all().stream().filter(t -> t.id().equals(templateId))
                .max(Comparator.comparingInt(DeviceTemplate::version))
                .orElseThrow(() -> new NotFoundException("No template '" + templateId + "' is loaded"));
        DeviceTemplate.Server server = template.server(serverName)
                .orElseThrow(() -> new NotFoundException("Template " + template.reference() + " has no server '"
                        + serverName + "'; its servers: " + template.servers().stream()
                        .map(DeviceTemplate.Server::name).toList()));
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Device device : devices.notRevokedOfTemplate(templateId)) {
            entries.addAll(entriesOf(device, serverName));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", FORMAT);
        document.put("exportedAt", Instant.now().toString());
        document.put("template", Map.of("id", template.id(), "version", template.version()));
        Map<String, Object> serverPart = new LinkedHashMap<>();
        serverPart.put("name", server.name());
        serverPart.put("uri", server.uri().toString());
        serverPart.put("host", server.host());
        serverPart.put("mode", server.mode().yamlName());
        document.put("server", serverPart);
        document.put("cipherSuites", List.of(server.mode() == DeviceTemplate.Mode.PSK
                ? "TLS_PSK_WITH_AES_128_CCM_8" : "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"));
        document.put("devices", entries);
        document.put("deviceCaChainPem", pem(authorities.deviceCa().chainWithoutRoot()));
        document.put("rootCaPem", pem(List.of(authorities.rootCertificate())));
        document.put("deviceCaCrlPem", crlPem(revocationLists.current(RevocationLists.DEVICE_CA).der()));
        byte[] json = JSON.writeValueAsBytes(document);
        try {
            byte[] envelope = BundleSecrets.sealData(json, recipient);
            String keyId = HexFormat.of().formatHex(BundleSecrets.recipientKeyId(recipient));
            audit.record("server-export.issued", "template:" + template.reference() + " server:" + serverName
                    + " devices:" + entries.size() + " recipient:" + keyId);
            return new SealedExport(envelope, entries.size(), keyId);
        } finally {
            Arrays.fill(json, (byte) 0);
        }
    }

    /** Every credential the device may use on this server now: the current one and any still in its overlap. */
    private List<Map<String, Object>> entriesOf(Device device, String serverName) {
        List<Map<String, Object>> entries = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        for (DevicePsks.OpenPsk psk : psks.activePsks(device)) {
            if (psk.serverName().equals(serverName)) {
                Map<String, Object> entry = entry(device, "psk");
                byte[] identity = psk.credential().identity();
                byte[] key = psk.credential().key();
                entry.put("pskIdentityHex", hex.formatHex(identity));
                entry.put("pskHex", hex.formatHex(key));
                Arrays.fill(key, (byte) 0);
                psk.wipe();
                entries.add(entry);
            }
        }
        for (DeviceCredential c : devices.activeCredentials(device.id())) {
            if (!c.serverName().equals(serverName) || c.mode() == CredentialMode.PSK) {
                continue;
            }
            Map<String, Object> entry = entry(device, c.mode() == CredentialMode.RAW_PUBLIC_KEY ? "rpk" : "x509");
            entry.put("subjectPublicKeyInfo", Base64.getEncoder().encodeToString(c.publicKey()));
            entry.put("subjectPublicKeyInfoSha256Hex", hex.formatHex(Sha256.digest(c.publicKey())));
            if (c.certificate() != null) {
                entry.put("certificateSerialHex", c.certificateSerial());
                entry.put("certificatePem", pem(List.of(c.certificate())));
            }
            entries.add(entry);
        }
        return entries;
    }

    private static Map<String, Object> entry(Device device, String mode) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("eui64", device.eui64().canonical());
        entry.put("endpoint", device.eui64().urn());
        entry.put("mode", mode);
        return entry;
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
