package dev.fleetkey.service.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;

/**
 * What a device reports on {@code POST /checkin}: its firmware version and the sequence numbers of the
 * bundles it holds. The body is a CBOR map (Content-Format 60) or the same as JSON (50):
 * {@code {"firmware": "1.4.2", "device-sequence": 3, "fleet-sequence": 7}}; both sequences optional.
 * An optional {@code "device"} key must name the authenticated device (checked by the resource).
 *
 * @param firmwareVersion printable text, 1..64 characters
 * @param claimedDevice   the EUI-64 text the body named, or null
 */
public record CheckinReport(String firmwareVersion, OptionalLong deviceSequence, OptionalLong fleetSequence,
                            String claimedDevice) {

    private static final Pattern FIRMWARE = Pattern.compile("[\\x21-\\x7e]{1,64}");
    static final int CBOR = 60;
    static final int JSON = 50;

    public CheckinReport {
        Objects.requireNonNull(firmwareVersion, "firmwareVersion");
        if (!FIRMWARE.matcher(firmwareVersion).matches()) {
            throw new IllegalArgumentException("\"firmware\" must be 1..64 printable ASCII characters without spaces");
        }
        requireSequence("device-sequence", deviceSequence);
        requireSequence("fleet-sequence", fleetSequence);
    }

    /**
     * Reads a check-in body.
     *
     * @throws IllegalArgumentException naming what to fix
     */
    static CheckinReport parse(byte[] body, int contentFormat) {
        CBORObject map;
        try {
            if (contentFormat == JSON) {
                map = CBORObject.FromJSONString(new String(body, StandardCharsets.UTF_8));
            } else if (contentFormat == CBOR) {
                map = CBORObject.DecodeFromBytes(body);
            } else {
                throw new IllegalArgumentException("send the check-in as CBOR (Content-Format 60) or JSON (50)");
            }
        } catch (CBORException e) {
            throw new IllegalArgumentException("the check-in body is not well-formed "
                    + (contentFormat == JSON ? "JSON" : "CBOR"));
        }
        if (map.getType() != CBORType.Map) {
            throw new IllegalArgumentException("the check-in body must be a map with \"firmware\"");
        }
        for (CBORObject key : map.getKeys()) {
            String name = key.getType() == CBORType.TextString ? key.AsString() : "";
            if (!name.equals("firmware") && !name.equals("device-sequence") && !name.equals("fleet-sequence")
                    && !name.equals("device")) {
                throw new IllegalArgumentException("unknown check-in field " + key
                        + "; expected firmware, device-sequence, fleet-sequence, device");
            }
        }
        CBORObject firmware = map.get("firmware");
        if (firmware == null || firmware.getType() != CBORType.TextString) {
            throw new IllegalArgumentException("\"firmware\" (text, the firmware version) is missing");
        }
        CBORObject device = map.get("device");
        return new CheckinReport(firmware.AsString(), sequence(map, "device-sequence"), sequence(map, "fleet-sequence"),
                device == null || device.getType() != CBORType.TextString ? null : device.AsString());
    }

    private static OptionalLong sequence(CBORObject map, String name) {
        CBORObject value = map.get(name);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isNumber() || !value.AsNumber().IsInteger() || !value.AsNumber().CanFitInInt64()) {
            throw new IllegalArgumentException("\"" + name + "\" must be an unsigned integer");
        }
        return OptionalLong.of(value.AsNumber().ToInt64Checked());
    }

    private static void requireSequence(String name, OptionalLong value) {
        Objects.requireNonNull(value, name);
        if (value.isPresent() && value.getAsLong() < 0) {
            throw new IllegalArgumentException("\"" + name + "\" must not be negative");
        }
    }
}
