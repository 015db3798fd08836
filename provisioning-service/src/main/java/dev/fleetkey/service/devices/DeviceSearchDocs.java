package dev.fleetkey.service.devices;

/** The OpenAPI descriptions and examples of {@link DeviceSearchController}'s operations. */
final class DeviceSearchDocs {

    static final String FILTERS = "Filters (all optional, combined with AND): `state`, `template` (id or id@version),"
            + " `mode` (psk, rpk, x509), `station` (name), `createdFrom` (inclusive) and `createdTo` (exclusive) as"
            + " ISO-8601 dates or instants, `eui64` (an EUI-64 or its first hex digits), `identity` (PSK identity, hex),"
            + " `revoked` (true/false), `certExpiringBefore` (an unrevoked certificate ends before it). A bad value, or"
            + " a parameter that does not exist, answers 400 problem+json whose `field` names the parameter and whose"
            + " `detail` says what is allowed. The UI's device search reads the same parameters.";

    static final String LIST = "Devices sorted by creation time (`order=oldest`, the default, or `newest`), in pages of"
            + " `limit` (1-1000, default 100; more answers 400). " + FILTERS + " Paging is by keyset on (creation time,"
            + " id): follow the `Link: <...>; rel=\"next\"` header (also `next` in the body) until it is absent; devices"
            + " provisioned meanwhile never shift or repeat a page. The cursor is opaque. Administrators, operators and"
            + " auditors see every device; a station sees only the devices it provisioned (`station` may only name"
            + " itself).";

    static final String SUMMARY = "Device counts by state (every state, zero included), by template (`id@version`)"
            + " and by credential mode (devices holding at least one credential of the mode, revoked ones too); the"
            + " figures the dashboard shows. Administrators, operators and auditors.";

    static final String EXPORT = "Every device matching the filter, with one line per device and credential (revoked"
            + " credentials too): EUI-64, template, state, station, timestamps, server, mode, PSK identity, public-key"
            + " SHA-256, certificate serial and validity. Never a secret. `format=csv` (RFC 4180, header row; a cell"
            + " starting with = + - @ gets a leading ' so a spreadsheet shows it as text) or `format=jsonl` (JSON Lines,"
            + " the same names). Streamed in creation order, oldest first. " + FILTERS
            + " Administrators, operators and auditors.";

    static final String LIST_EXAMPLE = """
            {"devices": [{"eui64": "00-11-22-FF-FE-00-00-01", "template": "demo-x509@2", "state": "VERIFIED",
              "createdAt": "2026-11-26T06:00:00.123456Z", "station": "line-7", "modes": ["x509"],
              "links": {"self": "/api/v1/devices/00-11-22-FF-FE-00-00-01"}}],
             "next": "https://fleetkey.example/api/v1/devices?template=demo-x509@2&limit=1&cursor=ZDEuMTc2NDEzNjgwMC4xMjM0NTYwMDAuNDI"}""";

    static final String SUMMARY_EXAMPLE = """
            {"total": 1200, "byState": {"PROVISIONED": 180, "VERIFIED": 1000, "FAILED": 5, "REVOKED": 15},
             "byTemplate": {"demo-sensor@1": 700, "demo-x509@2": 500},
             "byMode": {"PSK": 700, "RAW_PUBLIC_KEY": 0, "X509": 500}}""";

    static final String CSV_EXAMPLE = "eui64,template,state,station,createdAt,updatedAt,server,mode,pskIdentityHex,"
            + "publicKeySha256Hex,certificateSerial,certificateNotBefore,certificateNotAfter,credentialCreatedAt,"
            + "credentialRevokedAt\r\n00-11-22-FF-FE-00-00-01,demo-sensor@1,VERIFIED,line-7,2026-11-26T06:00:00Z,"
            + "2026-11-26T06:00:05Z,fleetkey,psk,5c0e9a41d2b37f60,,,,,2026-11-26T06:00:00Z,\r\n";

    static final String JSONL_EXAMPLE = """
            {"eui64":"00-11-22-FF-FE-00-00-02","template":"demo-x509@2","state":"PROVISIONED","station":null,\
            "createdAt":"2026-11-26T06:01:00Z","updatedAt":"2026-11-26T06:01:00Z","server":"fleetkey","mode":"x509",\
            "pskIdentityHex":null,"publicKeySha256Hex":"3f0c…","certificateSerial":"5e2a…",\
            "certificateNotBefore":"2026-11-26T06:01:00Z","certificateNotAfter":"2027-11-26T06:01:00Z",\
            "credentialCreatedAt":"2026-11-26T06:01:00Z","credentialRevokedAt":null}
            """;

    private DeviceSearchDocs() {
    }
}
