package dev.fleetkey.service.users;

/** What a login may do; the page rules are in web.WebAccessRules, the API rules in each feature's ApiAccessRules. */
public enum Role {
    /** Everything, including users, CAs, stations and revealing a PSK. */
    ADMIN,
    /** Devices and bundles: view, provision, revoke, rotate, download. */
    OPERATOR,
    /** Reads everything an operator reads plus CAs and the audit log; changes nothing. */
    AUDITOR
}
