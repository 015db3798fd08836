package dev.fleetkey.service.pki;

import java.nio.file.Path;

/** The keystore exists but the configured passphrase does not open it. */
public class WrongKeystorePassphraseException extends KeyVaultException {

    public WrongKeystorePassphraseException(Path file, Throwable cause) {
        super("Cannot open keystore " + file + ": the passphrase is wrong. Check FLEETKEY_KEYSTORE_PASSWORD "
                + "(it must be the passphrase the keystore was created with).", cause);
    }
}
