package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.CredentialMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A device's current credentials with their secrets opened, for building its bundle; and, once delivered,
 * the deletion of private keys its template says not to retain. Callers hold the transaction.
 */
@Component
public class DeliverableCredentials {

    private final DeviceRepository devices;
    private final DeviceSecrets secrets;

    DeliverableCredentials(DeviceRepository devices, DeviceSecrets secrets) {
        this.devices = devices;
        this.secrets = secrets;
    }

    /**
     * One current credential, secret in clear. {@link #wipe()} it when done; {@code toString} hides the secret.
     *
     * @param secret       the PSK or the PKCS#8 private key; null when the key was made on the device or discarded
     * @param publicKey    SPKI DER (rpk, x509)
     * @param certificate  client certificate DER (x509)
     * @param keyDiscarded whether a service-made private key was deleted after an earlier delivery
     */
    public record Deliverable(long credentialId, String serverName, CredentialMode mode, byte[] pskIdentity, byte[] secret,
            byte[] publicKey, byte[] certificate, boolean keyDiscarded) {

        public void wipe() {
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(credentialId);
        }

        @Override
        public String toString() {
            return "Deliverable[" + serverName + " " + mode + ", secret " + (secret == null ? "none" : "(redacted)") + "]";
        }
    }

    /** The device's current credentials, opened. */
    public List<Deliverable> current(Device device) {
        return open(device, devices.currentCredentials(device.id()));
    }

    /** {@link #current(Device)} of several devices, read in one query: by device id, in the order given. */
    public Map<Long, List<Deliverable>> current(List<Device> several) {
        Map<Long, List<DeviceCredential>> stored = devices.currentCredentials(several.stream().map(Device::id).toList());
        Map<Long, List<Deliverable>> open = new LinkedHashMap<>();
        several.forEach(device -> open.put(device.id(), open(device, stored.get(device.id()))));
        return open;
    }

    private List<Deliverable> open(Device device, List<DeviceCredential> stored) {
        List<Deliverable> open = new ArrayList<>();
        for (DeviceCredential c : stored) {
            DeviceSecrets.Kind kind = c.mode() == CredentialMode.PSK ? DeviceSecrets.Kind.PSK : DeviceSecrets.Kind.PRIVATE_KEY;
            byte[] secret = c.sealedKey() == null ? null
                    : secrets.open(c.sealedKey(), kind, device.eui64(), c.serverName());
            open.add(new Deliverable(c.id(), c.serverName(), c.mode(), c.pskIdentity(), secret, c.publicKey(),
                    c.certificate(), c.secretDiscardedAt() != null));
        }
        return open;
    }

    /** Deletes the sealed private keys of these delivered credentials (PSKs are kept: servers need them). */
    public void discardDeliveredPrivateKeys(List<Deliverable> delivered, java.time.Instant now) {
        for (Deliverable d : delivered) {
            if (d.mode() != CredentialMode.PSK && d.secret() != null) {
                devices.discardSecret(d.credentialId(), now);
            }
        }
    }
}
