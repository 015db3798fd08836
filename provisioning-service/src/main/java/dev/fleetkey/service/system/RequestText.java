package dev.fleetkey.service.system;

/**
 * Identifiers in requests (EUI-64s, template names) are taken exactly as sent. A leading or trailing space or a
 * control character (a C string's NUL, a line break from a scanned label) is a mistake in the caller's data;
 * trimming it away would hide that mistake and make two spellings name one thing.
 */
public final class RequestText {

    private RequestText() {
    }

    /**
     * {@code value} unchanged, or an {@link InvalidFieldException} naming {@code field} when it has a space at either end or a control
     * character anywhere; null and empty pass through for the caller's own "missing" message.
     */
    public static String exact(String field, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidFieldException(field, field + " holds a control character (such as NUL or a line "
                    + "break): send the value alone, as printable text");
        }
        if (value.strip().length() != value.length()) {
            throw new InvalidFieldException(field, field + " has a space at its start or end: send the value "
                    + "without surrounding spaces");
        }
        return value;
    }
}
