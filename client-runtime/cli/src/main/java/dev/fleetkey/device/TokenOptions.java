package dev.fleetkey.device;

import java.nio.file.Path;

import dev.fleetkey.runtime.keys.DeviceKeyStore;
import dev.fleetkey.runtime.keys.DeviceKeyException;
import dev.fleetkey.runtime.keys.Pkcs11Token;
import dev.fleetkey.runtime.keys.SoftwareKeys;
import picocli.CommandLine.Option;

/**
 * Where the device's certificate key lives when it never leaves a secure element: a PKCS#11 token. Without these
 * options keys are software keys (the bundle's, or a renewed one in the state directory). The PIN is read from an
 * environment variable, never from the command line.
 */
final class TokenOptions {

    static final String DEFAULT_PIN_VARIABLE = "FLEETKEY_PKCS11_PIN";

    @Option(names = "--pkcs11-module", paramLabel = "SO", description = "the PKCS#11 module of the token holding the"
            + " device's key, e.g. /usr/lib/softhsm/libsofthsm2.so")
    private Path module;

    @Option(names = "--pkcs11-token", paramLabel = "LABEL", description = "the token's label (with --pkcs11-module)")
    private String token;

    @Option(names = "--pkcs11-key", paramLabel = "LABEL", description = "the label of the key the bundle's certificate"
            + " certifies, stored in the token with that certificate; after a renewal the state directory names the key")
    private String key;

    @Option(names = "--pkcs11-pin-env", paramLabel = "VAR", defaultValue = DEFAULT_PIN_VARIABLE,
            description = "the environment variable holding the token's user PIN (default: ${DEFAULT-VALUE})")
    private String pinVariable;

    /** Whether the key is in a token. */
    boolean inToken() {
        return module != null || token != null || key != null;
    }

    /** The key store these options name: the token, or software keys. */
    DeviceKeyStore keyStore() throws CommandFailure, DeviceKeyException {
        if (!inToken()) {
            return new SoftwareKeys();
        }
        if (module == null || token == null) {
            throw new CommandFailure.Usage("--pkcs11-module and --pkcs11-token go together (with --pkcs11-key for the"
                    + " bundle's certificate key)");
        }
        String pin = System.getenv(pinVariable);
        if (pin == null || pin.isEmpty()) {
            throw new CommandFailure.Usage("the token's PIN is read from the environment variable " + pinVariable
                    + ", which is not set");
        }
        return Pkcs11Token.open(module, token, key, pin.toCharArray());
    }
}
