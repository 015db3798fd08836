package dev.fleetkey.service.users;

import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import dev.fleetkey.service.system.Problems;
import java.util.regex.Pattern;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creating logins and changing their role, each audited in the same transaction. Problems come back as
 * {@link InvalidFieldException} naming the form field to fix.
 */
@Service
public class UserAdministration {

    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

    private final UserAccounts users;
    private final PasswordEncoder encoder;
    private final AuditTrail audit;

    UserAdministration(UserAccounts users, PasswordEncoder encoder, AuditTrail audit) {
        this.users = users;
        this.encoder = encoder;
        this.audit = audit;
    }

    @Transactional
    public void create(String username, String password, Role role) {
        String name = username == null ? "" : username.trim();
        if (!USERNAME.matcher(name).matches()) {
            throw new InvalidFieldException("username",
                    "Use 2-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
        if (password == null || password.length() < AdminBootstrap.MINIMUM_LENGTH) {
            throw new InvalidFieldException("password", "Use at least " + AdminBootstrap.MINIMUM_LENGTH + " characters");
        }
        if (role == null) {
            throw new InvalidFieldException("role", "Choose ADMIN, OPERATOR or AUDITOR");
        }
        if (users.exists(name)) {
            throw new InvalidFieldException("username", "User " + name + " exists already; choose another name");
        }
        users.create(name, encoder.encode(password), role.name());
        audit.record("user.created", "user:" + name + " role:" + role);
    }

    /** Sets role and enabled; refuses to leave the service without an enabled admin. */
    @Transactional
    public void update(String username, Role role, boolean enabled) {
        if (!users.exists(username)) {
            throw new NotFoundException("No user " + username);
        }
        if (role == null) {
            throw new InvalidFieldException("role", "Choose ADMIN, OPERATOR or AUDITOR");
        }
        if ((role != Role.ADMIN || !enabled) && users.otherEnabledAdmins(username) == 0) {
            throw new InvalidFieldException("role", username + " is the last enabled admin; make another user ADMIN first");
        }
        users.update(username, role, enabled);
        audit.record("user.changed", "user:" + username + " role:" + role + " enabled:" + enabled);
    }

    /** Checks a fresh password entry of a logged-in user, e.g. before a secret is revealed. */
    public boolean passwordMatches(String username, String password) {
        if (password == null || password.isEmpty()) {
            return false;
        }
        try {
            return encoder.matches(password, users.loadUserByUsername(username).getPassword());
        } catch (UsernameNotFoundException e) {
            return false;
        }
    }
}
