package dev.fleetkey.service.templates;

import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import java.util.List;

/**
 * The one place a template server becomes a bundle {@link ServerEntry}: its credential mode and cipher suite
 * follow from the template's mode; the caller supplies only what goes into the entry for that mode (a device's
 * own credential in device bundles, trust anchors and pins in fleet bundles).
 */
public final class ServerEntries {

    /** What a caller puts into the entry of a server, per mode of the template server. */
    public interface Credentials {
        ServerCredentials.Psk psk(DeviceTemplate.Server server);

        ServerCredentials.RawPublicKey rawPublicKey(DeviceTemplate.Server server);

        ServerCredentials.Certificates certificates(DeviceTemplate.Server server);
    }

    private ServerEntries() {
    }

    /** The entries of every server of {@code template}, in template order. */
    public static List<ServerEntry> of(DeviceTemplate template, Credentials credentials) {
        return template.servers().stream().map(server -> of(server, credentials)).toList();
    }

    /** The entry of {@code server}, its credentials asked of {@code credentials} for the server's mode. */
    public static ServerEntry of(DeviceTemplate.Server server, Credentials credentials) {
        ServerCredentials values = switch (server.mode()) {
            case PSK -> credentials.psk(server);
            case RPK -> credentials.rawPublicKey(server);
            case X509 -> credentials.certificates(server);
        };
        return new ServerEntry(server.name(), server.uri(), server.host(), credentialMode(server.mode()),
                List.of(cipherSuite(server.mode())), values);
    }

    /** The bundle credential mode of a template server mode. */
    public static CredentialMode credentialMode(DeviceTemplate.Mode mode) {
        return switch (mode) {
            case PSK -> CredentialMode.PSK;
            case RPK -> CredentialMode.RAW_PUBLIC_KEY;
            case X509 -> CredentialMode.X509;
        };
    }

    private static CipherSuite cipherSuite(DeviceTemplate.Mode mode) {
        return mode == DeviceTemplate.Mode.PSK
                ? CipherSuite.TLS_PSK_WITH_AES_128_CCM_8 : CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8;
    }
}
