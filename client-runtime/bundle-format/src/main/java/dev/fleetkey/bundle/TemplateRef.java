package dev.fleetkey.bundle;

import java.util.Objects;

/** The provisioning template (and its version) a bundle was made from. */
public record TemplateRef(String id, int version) {

    public TemplateRef {
        Objects.requireNonNull(id, "template id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("template id must not be blank");
        }
        if (version < 1) {
            throw new IllegalArgumentException("template version must be >= 1, was " + version);
        }
    }

    @Override
    public String toString() {
        return id + "@" + version;
    }
}
