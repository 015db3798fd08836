package dev.fleetkey.runtime.keys;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the slot holding the token with a given label. SunPKCS11 selects tokens by slot only, and the JDK offers
 * no public way to read a token's label, so this asks the module through the JDK's own PKCS#11 wrapper, which
 * the JVM must export: {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED} (the
 * fleetkey-device jar's manifest does this). Reflection keeps the build free of that flag.
 */
final class TokenSlots {

    private static final String WRAPPER = "sun.security.pkcs11.wrapper.";

    private TokenSlots() {
    }

    /** The slot id of the token labelled {@code label} in {@code module}. */
    static long slotOf(Path module, String label) throws DeviceKeyException {
        List<String> seen = new ArrayList<>();
        try {
            Class<?> pkcs11 = Class.forName(WRAPPER + "PKCS11");
            Method getInstance = pkcs11.getMethod("getInstance", String.class, String.class,
                    Class.forName(WRAPPER + "CK_C_INITIALIZE_ARGS"), boolean.class);
            Object module11 = getInstance.invoke(null, module.toString(), "C_GetFunctionList", null, false);
            long[] slots = (long[]) pkcs11.getMethod("C_GetSlotList", boolean.class).invoke(module11, true);
            Method tokenInfo = pkcs11.getMethod("C_GetTokenInfo", long.class);
            for (long slot : slots) {
                Object info = tokenInfo.invoke(module11, slot);
                String tokenLabel = new String((char[]) info.getClass().getField("label").get(info)).strip();
                if (tokenLabel.equals(label)) {
                    return slot;
                }
                if (!tokenLabel.isEmpty()) {
                    seen.add("'" + tokenLabel + "'");
                }
            }
        } catch (IllegalAccessException | ClassNotFoundException | NoSuchMethodException | NoSuchFieldException e) {
            throw new DeviceKeyException("this JVM does not let the runtime list PKCS#11 tokens: run it with"
                    + " --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED", e);
        } catch (InvocationTargetException e) {
            throw new DeviceKeyException("the PKCS#11 module " + module + " cannot be loaded or listed ("
                    + e.getCause().getMessage() + "): check --pkcs11-module", e.getCause());
        }
        throw new DeviceKeyException("no token labelled '" + label + "' in " + module + " (tokens present: "
                + (seen.isEmpty() ? "none" : String.join(", ", seen)) + "): check --pkcs11-token");
    }
}
