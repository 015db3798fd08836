package dev.fleetkey.bundle.update;

import com.upokecenter.cbor.CBORObject;
import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.CborMap;
import dev.fleetkey.bundle.DeterministicCbor;
import dev.fleetkey.bundle.MalformedBundleException;
import dev.fleetkey.bundle.TemplateRef;
import dev.fleetkey.bundle.UnsupportedFormatException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The update manifest to deterministic CBOR and back; FORMAT.md section 9 gives the CDDL. Keys 1 and 2
 * mean what they mean in a bundle payload (format version, kind), and the manifest's kind (3) is no
 * bundle kind: a signed manifest is never accepted as a bundle, nor a bundle as a manifest.
 */
public final class UpdateManifestCodec {

    /** The kind code of an update manifest, beside device (1) and fleet (2) bundles. */
    public static final int KIND_UPDATE_MANIFEST = 3;

    static final int VERSION = 1, KIND = 2, TEMPLATE = 3, HARDWARE = 4, FIRMWARE = 5, SEQUENCE = 6, NOT_BEFORE = 7,
            NOT_AFTER = 8, COMPONENTS = 9;
    static final int C_ROLE = 1, C_SIZE = 2, C_SHA256 = 3, C_NAME = 4;

    private static final Set<Integer> MANIFEST_KEYS =
            Set.of(VERSION, KIND, TEMPLATE, HARDWARE, FIRMWARE, SEQUENCE, NOT_BEFORE, NOT_AFTER, COMPONENTS);
    private static final Set<Integer> COMPONENT_KEYS = Set.of(C_ROLE, C_SIZE, C_SHA256, C_NAME);

    private UpdateManifestCodec() {
    }

    /** Deterministic CBOR: equal manifests give equal bytes. */
    public static byte[] encode(UpdateManifest manifest) {
        CBORObject components = CBORObject.NewArray();
        for (PackageComponent c : manifest.components()) {
            CBORObject map = CBORObject.NewMap().Add(C_ROLE, c.role().code()).Add(C_SIZE, c.size())
                    .Add(C_SHA256, c.sha256());
            if (c.name() != null) {
                map.Add(C_NAME, c.name());
            }
            components.Add(map);
        }
        CBORObject m = CBORObject.NewMap()
                .Add(VERSION, UpdateManifest.FORMAT_VERSION)
                .Add(KIND, KIND_UPDATE_MANIFEST)
                .Add(TEMPLATE, CBORObject.NewArray().Add(manifest.template().id()).Add(manifest.template().version()))
                .Add(HARDWARE, manifest.hardwareClass())
                .Add(FIRMWARE, manifest.firmwareVersion())
                .Add(SEQUENCE, manifest.sequence())
                .Add(NOT_BEFORE, manifest.notBefore().getEpochSecond())
                .Add(COMPONENTS, components);
        if (manifest.notAfter() != null) {
            m.Add(NOT_AFTER, manifest.notAfter().getEpochSecond());
        }
        return DeterministicCbor.encode(m);
    }

    /**
     * Decodes a manifest, refusing anything but its one deterministic encoding.
     *
     * @throws MalformedBundleException not a manifest, or breaking a rule of the format
     * @throws UnsupportedFormatException another format version, or an unknown critical field
     */
    public static UpdateManifest decode(byte[] cbor) throws BundleException {
        CborMap m = CborMap.of(DeterministicCbor.decode(cbor), "manifest");
        if (!m.has(KIND) || m.uint(KIND, "kind") != KIND_UPDATE_MANIFEST) {
            throw new MalformedBundleException("signed content is not an update manifest (kind must be "
                    + KIND_UPDATE_MANIFEST + ")");
        }
        long version = m.uint(VERSION, "format-version");
        if (version != UpdateManifest.FORMAT_VERSION) {
            throw new UnsupportedFormatException("update manifest format version " + version + " is not supported"
                    + " (this reader knows " + UpdateManifest.FORMAT_VERSION + ")");
        }
        m.requireOnlyKnownKeys(MANIFEST_KEYS);
        List<CBORObject> template = m.templateReference(TEMPLATE, "template");
        List<PackageComponent> components = new ArrayList<>();
        List<CBORObject> items = m.array(COMPONENTS, "components");
        for (int i = 0; i < items.size(); i++) {
            CborMap c = CborMap.of(items.get(i), "manifest.components[" + i + "]").requireOnlyKnownKeys(COMPONENT_KEYS);
            ComponentRole role = ComponentRole.ofCode(c.uint(C_ROLE, "role"));
            if (role == null) {
                throw new MalformedBundleException("manifest.components[" + i + "].role is not a known role");
            }
            try {
                components.add(new PackageComponent(role, c.has(C_NAME) ? c.text(C_NAME, "name") : null,
                        c.uint(C_SIZE, "size"), c.bytes(C_SHA256, "sha256")));
            } catch (IllegalArgumentException e) {
                throw new MalformedBundleException("manifest.components[" + i + "]: " + e.getMessage());
            }
        }
        try {
            UpdateManifest manifest = new UpdateManifest(
                    new TemplateRef(template.get(0).AsString(), template.get(1).AsInt32Value()),
                    m.text(HARDWARE, "hardware-class"), m.text(FIRMWARE, "firmware-version"),
                    m.uint(SEQUENCE, "sequence"), Instant.ofEpochSecond(m.uint(NOT_BEFORE, "not-before")),
                    m.has(NOT_AFTER) ? Instant.ofEpochSecond(m.uint(NOT_AFTER, "not-after")) : null, components);
            if (!java.util.Arrays.equals(encode(manifest), cbor)) {
                throw new MalformedBundleException("manifest is not in its one encoding");
            }
            return manifest;
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new MalformedBundleException("manifest: " + e.getMessage());
        }
    }
}
