package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.ServerEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What applying a fleet bundle changes, for {@code update --dry-run}: servers, trust anchors and server
 * key pins added and removed. Anchors read "server: subject (sha256 prefix)", pins "server: sha256".
 */
public record FleetChanges(List<String> serversAdded, List<String> serversRemoved, List<String> anchorsAdded,
                           List<String> anchorsRemoved, List<String> pinsAdded, List<String> pinsRemoved) {

    public FleetChanges {
        serversAdded = List.copyOf(serversAdded);
        serversRemoved = List.copyOf(serversRemoved);
        anchorsAdded = List.copyOf(anchorsAdded);
        anchorsRemoved = List.copyOf(anchorsRemoved);
        pinsAdded = List.copyOf(pinsAdded);
        pinsRemoved = List.copyOf(pinsRemoved);
    }

    /**
     * The changes from the trust a device has today to {@code next}.
     *
     * @param current the current fleet bundle, or null before the first
     * @param deviceBundle the device bundle, whose servers count as today's when there is no fleet bundle yet
     */
    public static FleetChanges between(BundlePayload current, BundlePayload deviceBundle, BundlePayload next) {
        BundlePayload today = current != null ? current : deviceBundle;
        Set<String> names = new TreeSet<>();
        today.servers().forEach(s -> names.add(s.name()));
        next.servers().forEach(s -> names.add(s.name()));
        List<String> serversAdded = new ArrayList<>(), serversRemoved = new ArrayList<>(),
                anchorsAdded = new ArrayList<>(), anchorsRemoved = new ArrayList<>(),
                pinsAdded = new ArrayList<>(), pinsRemoved = new ArrayList<>();
        for (String name : names) {
            boolean before = today.server(name).isPresent();
            boolean after = next.server(name).isPresent();
            if (!before) {
                serversAdded.add(name + " " + next.server(name).map(FleetChanges::describe).orElse(""));
            } else if (!after && current != null) {
                serversRemoved.add(name);
            }
            ServerAnchorsAndPins was = ServerAnchorsAndPins.in(today, name).orElse(ServerAnchorsAndPins.none(name));
            ServerAnchorsAndPins will = ServerAnchorsAndPins.in(next, name).orElse(ServerAnchorsAndPins.none(name));
            if (!after && current == null) {
                continue; // the device bundle's own servers stay as they are
            }
            will.anchors().forEach((hash, der) -> {
                if (!was.anchors().containsKey(hash)) {
                    anchorsAdded.add(name + ": " + ServerAnchorsAndPins.describeAnchor(der));
                }
            });
            was.anchors().forEach((hash, der) -> {
                if (!will.anchors().containsKey(hash)) {
                    anchorsRemoved.add(name + ": " + ServerAnchorsAndPins.describeAnchor(der));
                }
            });
            will.pins().stream().filter(p -> !was.pins().contains(p)).forEach(p -> pinsAdded.add(name + ": " + p));
            was.pins().stream().filter(p -> !will.pins().contains(p)).forEach(p -> pinsRemoved.add(name + ": " + p));
        }
        return new FleetChanges(serversAdded, serversRemoved, anchorsAdded, anchorsRemoved, pinsAdded, pinsRemoved);
    }

    /** Whether nothing about servers, anchors or pins changes. */
    public boolean isEmpty() {
        return serversAdded.isEmpty() && serversRemoved.isEmpty() && anchorsAdded.isEmpty() && anchorsRemoved.isEmpty()
                && pinsAdded.isEmpty() && pinsRemoved.isEmpty();
    }

    /** One line per change, "+ anchor fleet: CN=..." style. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        serversAdded.forEach(s -> out.add("+ server " + s));
        serversRemoved.forEach(s -> out.add("- server " + s));
        anchorsAdded.forEach(s -> out.add("+ anchor " + s));
        anchorsRemoved.forEach(s -> out.add("- anchor " + s));
        pinsAdded.forEach(s -> out.add("+ pin " + s));
        pinsRemoved.forEach(s -> out.add("- pin " + s));
        return out;
    }

    private static String describe(ServerEntry server) {
        return "(" + server.uri() + ", " + server.mode().name().toLowerCase() + ")";
    }
}
