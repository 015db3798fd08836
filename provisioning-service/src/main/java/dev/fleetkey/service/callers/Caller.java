package dev.fleetkey.service.callers;

import dev.fleetkey.service.users.Role;
import java.util.Objects;

/**
 * Who makes a request, resolved once from the authentication (see {@link CallerResolver}): a user (administrator,
 * operator or auditor, signed in with a password or calling with a personal API token) or a manufacturing-line
 * station. Services take a caller instead of guessing from a missing station.
 */
public sealed interface Caller {

    /** How a user proved who they are. */
    enum Via { PASSWORD, API_TOKEN }

    /** The name in audit entries and batch records. */
    String auditName();

    /** The scope of idempotency keys: a key one caller used means nothing to another. */
    String idempotencyScope();

    /** A person with a role; may act on any device the role allows. */
    record User(String username, Role role, Via via) implements Caller {

        public User {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(via, "via");
        }

        @Override
        public String auditName() {
            return username;
        }

        @Override
        public String idempotencyScope() {
            return "user:" + username;
        }
    }

    /** A manufacturing-line station, limited by the station rules its feature enforces. */
    record Station(long stationId, String name) implements Caller {

        public Station {
            Objects.requireNonNull(name, "name");
        }

        /** Stable across renames through the id. */
        @Override
        public String auditName() {
            return "station:" + stationId + ":" + name;
        }

        @Override
        public String idempotencyScope() {
            return "station:" + stationId;
        }
    }
}
