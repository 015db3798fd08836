package dev.fleetkey.service.stations;

import dev.fleetkey.service.system.FleetkeyException;
import java.util.List;

/**
 * A station asked for a template outside its allowed templates; it uses one of {@link #allowedTemplates()} or
 * has an administrator add the template to the station.
 */
public final class TemplateNotAllowedException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final String station;
    private final List<String> allowedTemplates;

    public TemplateNotAllowedException(Station station, String template) {
        super("template-not-allowed", "Station '" + station.name() + "' may provision templates " + station.allowedTemplates() + " only, not '"
                + StationService.abbreviate(template) + "': use one of those, or ask an administrator to add it to the"
                + " station's allowedTemplates");
        this.station = station.name();
        this.allowedTemplates = List.copyOf(station.allowedTemplates());
    }

    /** The name of the station that asked. */
    public String station() {
        return station;
    }

    /** The template ids the station may use. */
    public List<String> allowedTemplates() {
        return allowedTemplates;
    }
}
