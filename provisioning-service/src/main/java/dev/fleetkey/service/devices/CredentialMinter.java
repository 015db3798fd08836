package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.credentials.CertificateCredential;
import dev.fleetkey.bundle.credentials.PskCredential;
import dev.fleetkey.bundle.credentials.RawPublicKeyCredential;
import dev.fleetkey.service.credentials.DeviceCredentialIssuer;
import dev.fleetkey.service.credentials.DiversifiedPskDeriver;
import dev.fleetkey.service.credentials.PskBatchKeys;
import dev.fleetkey.service.credentials.PskIdentityInUseException;
import dev.fleetkey.service.credentials.PskIdentityScheme;
import dev.fleetkey.service.credentials.PskIssuer;
import dev.fleetkey.service.templates.DeviceTemplate;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import org.springframework.stereotype.Component;

/**
 * Makes one credential of a device for one server of its template, in the server's mode, and stores it
 * with its secret sealed. Callers hold the transaction.
 */
@Component
class CredentialMinter {

    private final PskIssuer psks;
    private final PskBatchKeys batches;
    private final DeviceCredentialIssuer keys;
    private final DeviceSecrets secrets;
    private final DeviceRepository devices;
    private final DevicePublicKeyRegistry publicKeys;

    CredentialMinter(PskIssuer psks, PskBatchKeys batches, DeviceCredentialIssuer keys, DeviceSecrets secrets,
            DeviceRepository devices, DevicePublicKeyRegistry publicKeys) {
        this.psks = psks;
        this.batches = batches;
        this.keys = keys;
        this.secrets = secrets;
        this.devices = devices;
        this.publicKeys = publicKeys;
    }

    /**
     * Makes the device's credentials for every server of {@code template}. A key made on the device is bound
     * to it first, once for all its rpk and x509 servers.
     *
     * @param deviceKey a key made on the device (checked already), used for rpk and x509 servers; null to
     *                  have the service make a key pair per server
     * @throws PublicKeyInUseException if {@code deviceKey} is or was bound to a device, this one included
     */
    void mintAll(Device device, DeviceTemplate template, PublicKey deviceKey, Instant now) {
        if (deviceKey != null) {
            publicKeys.register(deviceKey.getEncoded(), device);
        }
        for (DeviceTemplate.Server server : template.servers()) {
            mint(device, template, server, deviceKey, now);
        }
    }

    private void mint(Device device, DeviceTemplate template, DeviceTemplate.Server server, PublicKey deviceKey,
            Instant now) {
        switch (server.mode()) {
            case PSK -> mintPsk(device, server, now);
            case RPK -> {
                RawPublicKeyCredential rpk = deviceKey != null ? keys.rawPublicKeyMadeOnDevice(deviceKey)
                        : keys.issueRawPublicKey();
                byte[] spki = rpk.subjectPublicKeyInfo();
                registerServiceKey(spki, device, deviceKey);
                devices.insertCredential(device.id(), server.name(),
                        new CredentialMaterial.RawPublicKey(spki, origin(deviceKey)),
                        sealPrivateKey(rpk.privateKey(), device, server), now);
            }
            case X509 -> mintCertificate(device, template, server, deviceKey, origin(deviceKey), now);
            default -> throw new IllegalStateException("unknown mode " + server.mode());
        }
    }

    /**
     * Certifies {@code key} for every x509 server of {@code template}, as provisioning with a device key does;
     * the key is bound to the device first. Answers the new credentials, in the template's server order.
     *
     * @param origin who made the key pair: the device, or the service for a key it hands out and does not keep
     * @throws PublicKeyInUseException if {@code key} is or was bound to a device, this one included
     */
    List<X509Certificate> mintCertificates(Device device, DeviceTemplate template, PublicKey key,
            DeviceCredential.KeyOrigin origin, Instant now) {
        publicKeys.register(key.getEncoded(), device);
        List<X509Certificate> issued = new ArrayList<>();
        for (DeviceTemplate.Server server : template.servers()) {
            if (server.mode() == DeviceTemplate.Mode.X509) {
                issued.add(mintCertificate(device, template, server, key, origin, now));
            }
        }
        return issued;
    }

    private X509Certificate mintCertificate(Device device, DeviceTemplate template, DeviceTemplate.Server server,
            PublicKey deviceKey, DeviceCredential.KeyOrigin origin, Instant now) {
        var validity = template.credentials().certificateValidity();
        boolean crl = template.credentials().crlDistributionPoint();
        CertificateCredential x509 = deviceKey != null
                ? keys.issueClientCertificate(device.eui64(), validity, deviceKey, crl)
                : keys.issueClientCertificate(device.eui64(), validity, crl);
        byte[] spki = x509.leaf().getPublicKey().getEncoded();
        registerServiceKey(spki, device, deviceKey);
        devices.insertCredential(device.id(), server.name(), new CredentialMaterial.Certificate(spki, der(x509),
                x509.leaf().getSerialNumber().toString(16), origin),
                sealPrivateKey(x509.privateKey(), device, server), now);
        return x509.leaf();
    }

    /** A key pair the service just made is new to the world; were it not, its random source would be broken. */
    private void registerServiceKey(byte[] spki, Device device, PublicKey deviceKey) {
        if (deviceKey != null) {
            return; // registered once by mintAll
        }
        try {
            publicKeys.register(spki, device);
        } catch (PublicKeyInUseException e) {
            throw new IllegalStateException("A key pair the service just generated is already registered: its random"
                    + " number generator is broken", e);
        }
    }

    private void mintPsk(Device device, DeviceTemplate.Server server, Instant now) {
        DeviceTemplate.Psk settings = server.psk();
        PskCredential psk;
        try {
            psk = switch (settings.identity()) {
                case RANDOM -> psks.issue(device.eui64(), settings.keyLength(),
                        new PskIdentityScheme.Random(settings.identityLength()));
                case EUI64 -> psks.issue(device.eui64(), settings.keyLength(), new PskIdentityScheme.Eui64Bytes());
                case PATTERN -> psks.issue(device.eui64(), settings.keyLength(),
                        new PskIdentityScheme.Eui64Pattern(settings.identityPattern()));
                case DIVERSIFIED -> psks.issueDiversified(device.eui64(), batches.deriver(batch(settings, device)),
                        nextKeyVersion(device, server), settings.keyLength());
            };
        } catch (PskIdentityInUseException e) {
            throw e.withAdvice("PSK identities are never reused, not even by a rotation of the same device: templates"
                    + " whose devices are rotated or replaced use identity random or diversified");
        }
        byte[] key = psk.key();
        try {
            devices.insertCredential(device.id(), server.name(), new CredentialMaterial.Psk(psk.identity()),
                    secrets.seal(key, DeviceSecrets.Kind.PSK, device.eui64(), server.name()), now);
        } finally {
            Arrays.fill(key, (byte) 0);
            psk.wipe();
        }
    }

    /** The batch defaults to the template id, so each product line has its own master key. */
    private static String batch(DeviceTemplate.Psk settings, Device device) {
        return settings.batch() != null ? settings.batch() : device.templateId();
    }

    /** A rotation moves a diversified key to the next version; the first credential takes the template's. */
    private int nextKeyVersion(Device device, DeviceTemplate.Server server) {
        return devices.allCredentials(device.id()).stream()
                .filter(c -> c.serverName().equals(server.name()) && c.pskIdentity() != null)
                .max(Comparator.comparingLong(DeviceCredential::id))
                .flatMap(c -> DiversifiedPskDeriver.parseIdentity(c.pskIdentity()))
                .map(id -> Math.max(id.keyVersion() + 1, server.psk().keyVersion()))
                .orElse(server.psk().keyVersion());
    }

    private SealedKey sealPrivateKey(byte[] pkcs8, Device device, DeviceTemplate.Server server) {
        if (pkcs8 == null) {
            return null;
        }
        try {
            return secrets.seal(pkcs8, DeviceSecrets.Kind.PRIVATE_KEY, device.eui64(), server.name());
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static DeviceCredential.KeyOrigin origin(PublicKey deviceKey) {
        return deviceKey != null ? DeviceCredential.KeyOrigin.DEVICE : DeviceCredential.KeyOrigin.SERVICE;
    }

    private static byte[] der(CertificateCredential x509) {
        try {
            return x509.leaf().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("An issued certificate cannot be encoded", e);
        }
    }
}
