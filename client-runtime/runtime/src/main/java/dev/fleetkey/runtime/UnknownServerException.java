package dev.fleetkey.runtime;

import java.util.List;

/** The bundle names no server by the requested name. */
public final class UnknownServerException extends DeviceRuntimeException {

    private final String requested;
    private final List<String> known;

    /**
     * @param requested the name asked for
     * @param known     the server names the bundle does carry
     */
    public UnknownServerException(String requested, List<String> known) {
        super("the bundle names no server '" + requested + "'; it names: "
                + (known.isEmpty() ? "(none)" : String.join(", ", known)));
        this.requested = requested;
        this.known = List.copyOf(known);
    }

    /** The name asked for. */
    public String requested() {
        return requested;
    }

    /** The server names the bundle carries. */
    public List<String> known() {
        return known;
    }
}
