package dev.fleetkey.service.firmware;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.bundle.TemplateRef;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.update.FleetRotation;
import dev.fleetkey.bundle.update.PackageComponent;
import dev.fleetkey.bundle.update.RotationRefusedException;
import dev.fleetkey.bundle.update.UpdateManifest;
import dev.fleetkey.bundle.update.UpdateManifestCodec;
import dev.fleetkey.bundle.update.UpdatePackage;
import dev.fleetkey.bundle.update.UpdatePackager;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import dev.fleetkey.service.system.StateConflictException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signed update packages (FORMAT.md section 9): a release (template version, hardware class, firmware
 * version, image) becomes a manifest, a fleet config bundle with the product line's next sequence, and
 * the image, signed with the service's bundle signer and written to {@code fleetkey.firmware-dir}.
 * Releasing the same inputs again rebuilds the package and returns the recorded one when the bytes are
 * identical; the same version with other inputs is a conflict. Used by the API and the web UI.
 */
@Service
public class FirmwarePackages {

    private final TemplateCatalog templates;
    private final FleetBundles fleetBundles;
    private final FirmwarePackageRepository repository;
    private final FleetSequences sequences;
    private final PackageFiles files;
    private final AuditTrail audit;
    private final BundleSigner signer;
    private final BundleVerifier ownBundles;

    FirmwarePackages(TemplateCatalog templates, FleetBundles fleetBundles, FirmwarePackageRepository repository,
            FleetSequences sequences, PackageFiles files, AuditTrail audit, BundleSigner signer) {
        this.templates = templates;
        this.fleetBundles = fleetBundles;
        this.repository = repository;
        this.sequences = sequences;
        this.files = files;
        this.audit = audit;
        this.signer = signer;
        this.ownBundles = BundleVerifier.builder().trustAnchor(signer.certificate()).build();
    }

    /** A package as listed: the release, its manifest's components, the file. */
    public record PackageView(long id, String productLine, int templateVersion, String hardwareClass,
                              String firmwareVersion, long sequence, Instant notBefore, Instant notAfter,
                              List<ComponentView> components, String fileName, long size, String sha256,
                              Instant createdAt, String createdBy) {
    }

    /** One component of a manifest. */
    public record ComponentView(String role, String name, long size, String sha256) {
    }

    /** The outcome of a release: the package, and whether it was made now or already existed byte for byte. */
    public record Released(PackageView pkg, boolean created) {
    }

    /** Every package, by product line and sequence. */
    public List<PackageView> list() {
        return repository.all().stream().map(FirmwarePackages::view).toList();
    }

    public Optional<PackageView> get(long id) {
        return repository.find(id).map(FirmwarePackages::view);
    }

    /** The package file's bytes. */
    public byte[] download(long id) {
        FirmwarePackageRepository.Row row = repository.find(id)
                .orElseThrow(() -> new NotFoundException("No firmware package " + id));
        return files.read(row.fileName());
    }

    /**
     * Packages a release.
     *
     * @param templateReference {@code id@version}
     * @throws NotFoundException unknown template
     * @throws InvalidFieldException bad names or empty image
     * @throws StateConflictException the version exists with other inputs, or the fleet bundle would break the
     *     rotation rules
     * @throws ProductLineNameException a template id that cannot name a package directory
     */
    @Transactional
    public Released release(String templateReference, String hardwareClass, String firmwareVersion, byte[] image) {
        DeviceTemplate template = templates.find(templateReference == null ? "" : templateReference)
                .orElseThrow(() -> new NotFoundException("No template '" + templateReference + "' is loaded (give"
                        + " id@version, e.g. demo-sensor@1)"));
        requireName("hardwareClass", hardwareClass);
        requireName("firmwareVersion", firmwareVersion);
        if (!template.id().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new ProductLineNameException(template.id());
        }
        if (image == null || image.length == 0) {
            throw new InvalidFieldException("image", "the firmware image is empty");
        }
        Optional<FirmwarePackageRepository.Row> existing =
                repository.findRelease(template.id(), hardwareClass, firmwareVersion);
        if (existing.isPresent()) {
            return repeat(existing.get(), template, image);
        }
        long sequence = sequences.next(template.id());
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        UpdatePackager.Packed packed = pack(template, hardwareClass, firmwareVersion, sequence, issuedAt, image);
        checkRotation(template.id(), sequence, packed);
        String fileName = template.id() + "/" + firmwareVersion + "-" + hardwareClass + UpdatePackage.EXTENSION;
        files.write(fileName, packed.bytes());
        try {
            UpdateManifest m = packed.manifest();
            repository.insert(new FirmwarePackageRepository.Row(0, template.id(), template.version(), hardwareClass,
                    firmwareVersion, sequence, m.notBefore(), m.notAfter(), m.image().sha256(), m.image().size(),
                    FleetBundles.bundleId(template.id(), sequence), Sha256.digest(packed.bytes()),
                    packed.bytes().length, UpdateManifestCodec.encode(m), fileName, Instant.now(),
                    ReleaseTokens.actor()));
        } catch (RuntimeException e) {
            files.delete(fileName);
            throw e;
        }
        audit.record("firmware.packaged", "package:" + fileName + " seq:" + sequence);
        return new Released(repository.findRelease(template.id(), hardwareClass, firmwareVersion).map(FirmwarePackages::view)
                .orElseThrow(), true);
    }

    private UpdatePackager.Packed pack(DeviceTemplate template, String hardwareClass, String firmwareVersion,
                                       long sequence, Instant issuedAt, byte[] image) {
        BundlePayload fleet = fleetBundles.payload(template, sequence, issuedAt);
        return new UpdatePackager(signer).pack(new UpdatePackager.Release(new TemplateRef(template.id(),
                        template.version()), hardwareClass, firmwareVersion, sequence, issuedAt, fleet.notAfter()),
                image, signer.sign(fleet), Map.of());
    }

    /**
     * The same release again: rebuilt from the recorded sequence and time, returned when it is the same release
     * (byte-identical with a key in memory; the same signed contents with a key in a token, see {@link SameRelease}).
     */
    private Released repeat(FirmwarePackageRepository.Row row, DeviceTemplate template, byte[] image) {
        byte[] recorded = files.read(row.fileName());
        UpdatePackager.Packed rebuilt = Arrays.equals(Sha256.digest(image), row.imageSha256())
                && template.version() == row.templateVersion()
                ? pack(template, row.hardwareClass(), row.firmwareVersion(), row.sequence(), row.notBefore(), image)
                : null;
        if (rebuilt == null || !SameRelease.check(recorded, rebuilt, signer.deterministic(), ownBundles)) {
            throw new StateConflictException("release-exists", "firmware " + row.firmwareVersion() + " for "
                    + row.productLine() + " " + row.hardwareClass() + " was packaged (sequence " + row.sequence()
                    + ") from other inputs (image, template version or fleet trust): give the new build a new version");
        }
        return new Released(view(row), false);
    }

    /** The service refuses to publish what devices would refuse: the rotation rules against the previous release. */
    private void checkRotation(String productLine, long sequence, UpdatePackager.Packed packed) {
        Optional<FirmwarePackageRepository.Row> previous = repository.latestBefore(productLine, sequence);
        if (previous.isEmpty()) {
            return;
        }
        try {
            BundlePayload before = ownBundles.verify(UpdatePackage.decode(files.read(previous.get().fileName()))
                    .components().get(1), VerificationContext.standalone().at(previous.get().notBefore())).payload();
            BundlePayload next = ownBundles.verify(UpdatePackage.decode(packed.bytes()).components().get(1),
                    VerificationContext.standalone().at(packed.manifest().notBefore())).payload();
            FleetRotation.check(before, next, null, Instant.now());
        } catch (RotationRefusedException e) {
            throw new StateConflictException(e.reason(), e.getMessage() + " (compared with release "
                    + previous.get().firmwareVersion() + ", sequence " + previous.get().sequence() + ")");
        } catch (BundleException e) {
            throw new IllegalStateException("a package this service wrote no longer verifies: " + e.getMessage(), e);
        }
    }

    private static void requireName(String field, String value) {
        if (value == null || !value.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")) {
            throw new InvalidFieldException(field, field + " must be 1-64 letters, digits, '.', '_', '+' or '-',"
                    + " starting with a letter or digit");
        }
    }

    private static PackageView view(FirmwarePackageRepository.Row row) {
        List<ComponentView> components;
        try {
            components = UpdateManifestCodec.decode(row.manifestCbor()).components().stream()
                    .map(FirmwarePackages::component).toList();
        } catch (BundleException e) {
            throw new IllegalStateException("stored manifest of package " + row.id() + " does not decode", e);
        }
        return new PackageView(row.id(), row.productLine(), row.templateVersion(), row.hardwareClass(),
                row.firmwareVersion(), row.sequence(), row.notBefore(), row.notAfter(), components, row.fileName(),
                row.packageSize(), HexFormat.of().formatHex(row.packageSha256()), row.createdAt(), row.createdBy());
    }

    private static ComponentView component(PackageComponent c) {
        return new ComponentView(c.role().name().toLowerCase().replace('_', '-'), c.name(), c.size(), c.sha256Hex());
    }
}
