package dev.fleetkey.service.stations;

import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.pki.DeviceKeyRejectedException;
import dev.fleetkey.service.pki.DevicePublicKeys;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import dev.fleetkey.service.system.RequestText;
import dev.fleetkey.service.system.StateConflictException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates and manages stations (the admin API and the admin UI both call this). A token is returned
 * exactly once, by {@link #create} or {@link #rotateToken}; afterwards only its hash exists.
 */
@Service
public class StationService {

    static final int MAX_QUOTA = 100_000;
    private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}";

    private final StationRepository stations;
    private final TemplateCatalog templates;
    private final DevicePublicKeys publicKeys;
    private final AuditTrail audit;

    StationService(StationRepository stations, TemplateCatalog templates, DevicePublicKeys publicKeys, AuditTrail audit) {
        this.stations = stations;
        this.templates = templates;
        this.publicKeys = publicKeys;
        this.audit = audit;
    }

    /** What an administrator fills in; {@code transportPublicKey} is optional (PEM or base64 SPKI). */
    public record StationDraft(String name, List<String> allowedTemplates, Integer quotaPerMinute, String transportPublicKey) {
    }

    /**
     * Changes to a station; null leaves a field as it is. An empty {@code transportPublicKey} removes the key.
     */
    public record StationChanges(String name, List<String> allowedTemplates, Integer quotaPerMinute,
            String transportPublicKey, Boolean enabled) {
    }

    /** A station with its new token: show the token once, then forget it. */
    public record StationWithToken(Station station, String token) {
        @Override
        public String toString() {
            return "StationWithToken[" + station + ", token redacted]";
        }
    }

    /**
     * @throws InvalidFieldException naming the field for a bad name, template list, quota or key
     * @throws StateConflictException {@code station-exists} for a taken name
     */
    @Transactional
    public StationWithToken create(StationDraft draft) {
        String name = validName(draft.name());
        if (stations.findByName(name).isPresent()) {
            throw new StateConflictException("station-exists", "A station named '" + name + "' exists already: choose another name");
        }
        List<String> allowed = validTemplates(draft.allowedTemplates());
        int quota = validQuota(draft.quotaPerMinute());
        byte[] key = transportKey(draft.transportPublicKey());
        String token = StationTokens.newToken();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long id = stations.insert(name, allowed, quota, key, StationTokens.hash(token), now);
        audit.record("station.created", "station:" + id + ":" + name);
        return new StationWithToken(get(id), token);
    }

    public List<Station> list() {
        return stations.all();
    }

    /** @throws NotFoundException for an unknown id */
    public Station get(long id) {
        return stations.find(id).orElseThrow(() -> new NotFoundException("No station " + id + ": list the stations to find its id"));
    }

    @Transactional
    public Station update(long id, StationChanges changes) {
        Station current = get(id);
        String name = changes.name() == null ? current.name() : validName(changes.name());
        if (!name.equals(current.name()) && stations.findByName(name).isPresent()) {
            throw new StateConflictException("station-exists", "A station named '" + name + "' exists already: choose another name");
        }
        List<String> allowed = changes.allowedTemplates() == null ? current.allowedTemplates()
                : validTemplates(changes.allowedTemplates());
        int quota = changes.quotaPerMinute() == null ? current.quotaPerMinute() : validQuota(changes.quotaPerMinute());
        byte[] key = changes.transportPublicKey() == null ? current.transportKey()
                : changes.transportPublicKey().isBlank() ? null : transportKey(changes.transportPublicKey());
        boolean enabled = changes.enabled() == null ? current.enabled() : changes.enabled();
        stations.update(new Station(id, name, allowed, quota, key, enabled, current.tokenActive(), current.createdAt(),
                current.tokenIssuedAt()));
        audit.record(enabled ? "station.updated" : "station.disabled", "station:" + id + ":" + name);
        return get(id);
    }

    /** A new token for the station; the old one stops working at once. */
    @Transactional
    public StationWithToken rotateToken(long id) {
        Station station = get(id);
        String token = StationTokens.newToken();
        stations.setToken(id, StationTokens.hash(token), Instant.now());
        audit.record("station.token-rotated", "station:" + id + ":" + station.name());
        return new StationWithToken(get(id), token);
    }

    /** Revokes the token and disables the station; its devices and history stay. */
    @Transactional
    public Station revoke(long id) {
        Station station = get(id);
        stations.setToken(id, null, Instant.now());
        stations.update(new Station(id, station.name(), station.allowedTemplates(), station.quotaPerMinute(),
                station.transportKey(), false, false, station.createdAt(), station.tokenIssuedAt()));
        audit.record("station.revoked", "station:" + id + ":" + station.name());
        return get(id);
    }

    /** The enabled station holding {@code token}; empty for anything else (never says which check failed). */
    public Optional<Station> authenticate(String token) {
        if (token == null || !StationTokens.wellFormed(token)) {
            return Optional.empty();
        }
        return stations.findActiveByTokenHash(StationTokens.hash(token));
    }

    private static String validName(String name) {
        if (name == null || !name.trim().matches(NAME_PATTERN)) {
            throw new InvalidFieldException("name", "name must be 1-64 characters: letters, digits, space, '.', '_' or '-',"
                    + " starting with a letter or digit (e.g. \"line-3-station-2\")");
        }
        return name.trim();
    }

    private List<String> validTemplates(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw new InvalidFieldException("allowedTemplates", "allowedTemplates must list at least one template id: known are "
                    + knownTemplateIds());
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (String id : requested) {
            String exact = id == null ? "" : RequestText.exact("allowedTemplates", id);
            if (templates.all().stream().noneMatch(t -> t.id().equals(exact))) {
                throw new InvalidFieldException("allowedTemplates", "Unknown template id '" + abbreviate(exact)
                        + "' in allowedTemplates: known are " + knownTemplateIds() + " (give ids without @version)");
            }
            ids.add(exact);
        }
        return List.copyOf(ids);
    }

    private static int validQuota(Integer quota) {
        if (quota == null || quota < 1 || quota > MAX_QUOTA) {
            throw new InvalidFieldException("quotaPerMinute", "quotaPerMinute must be a whole number from 1 to " + MAX_QUOTA
                    + " (requests per minute this station may make)");
        }
        return quota;
    }

    /** PEM ({@code -----BEGIN PUBLIC KEY-----}) or bare base64 of a P-256 SubjectPublicKeyInfo, as DER. */
    private byte[] transportKey(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        byte[] input;
        if (text.contains("-----BEGIN")) {
            input = text.getBytes(StandardCharsets.US_ASCII);
        } else {
            try {
                input = Base64.getMimeDecoder().decode(text.trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("transportPublicKey", "transportPublicKey is neither PEM nor base64: send the"
                        + " station's P-256 public key as PEM (-----BEGIN PUBLIC KEY-----) or base64 DER SubjectPublicKeyInfo");
            }
        }
        try {
            return publicKeys.fromSubjectPublicKeyInfo(input).getEncoded();
        } catch (DeviceKeyRejectedException e) {
            throw new InvalidFieldException("transportPublicKey", "transportPublicKey is not usable: " + e.getMessage());
        }
    }

    private String knownTemplateIds() {
        String known = templates.all().stream().map(DeviceTemplate::id).distinct().collect(Collectors.joining(", "));
        return known.isEmpty() ? "(none loaded)" : known;
    }

    static String abbreviate(String s) {
        String shown = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
