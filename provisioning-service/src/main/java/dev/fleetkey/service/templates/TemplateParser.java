package dev.fleetkey.service.templates;

import dev.fleetkey.service.credentials.PskIdentityScheme;
import dev.fleetkey.service.templates.DeviceTemplate.BundleSettings;
import dev.fleetkey.service.templates.DeviceTemplate.CredentialSettings;
import dev.fleetkey.service.templates.DeviceTemplate.Dtls;
import dev.fleetkey.service.templates.DeviceTemplate.IdentityKind;
import dev.fleetkey.service.templates.DeviceTemplate.Mode;
import dev.fleetkey.service.templates.DeviceTemplate.Psk;
import dev.fleetkey.service.templates.DeviceTemplate.ReprovisionPolicy;
import dev.fleetkey.service.templates.DeviceTemplate.Server;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads one template file and checks every field, failing with {@code file: field: what to fix}.
 * Unknown fields are errors too: a misspelt {@code key-lenght} must not silently fall back to a default.
 */
public final class TemplateParser {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern PEM_CERTIFICATE = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");
    private static final String NAME_RULE = "must be 1-64 characters of a-z, 0-9 and '-', starting with a letter or digit";

    private final String file;
    private final byte[] content;

    private TemplateParser(String file, byte[] content) {
        this.file = file;
        this.content = content;
    }

    /**
     * Parses and validates {@code content}; {@code file} is only used in error messages.
     *
     * @throws InvalidTemplateException naming the field and what to fix
     */
    public static DeviceTemplate parse(String file, byte[] content) {
        JsonNode root;
        try {
            root = YAML.readTree(content);
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidTemplateException(file, "(document)", "is not valid YAML: " + e.getOriginalMessage(), line);
        }
        return new TemplateParser(file, content).template(root);
    }

    private DeviceTemplate template(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw fail("(document)", "is empty: a template needs at least id, version and servers");
        }
        object(root, "(document)");
        String id = name(root, "id");
        int version = integer(root, "version");
        String description = optionalString(root, "description", "description",
                TemplateFields.at("description").defaultValue());
        List<Server> servers = servers(root.get("servers"));
        Dtls dtls = dtls(root.get("dtls"));
        BundleSettings bundle = bundle(root.get("bundle"));
        ReprovisionPolicy policy = choice(root, "reprovision-policy", ReprovisionPolicy.values(),
                ReprovisionPolicy::yamlName);
        CredentialSettings credentials = credentials(root.get("credentials"));
        DeviceTemplate.Est est = est(root.get("est"));
        return new DeviceTemplate(id, version, description, servers, dtls, bundle, policy, credentials, est);
    }

    private List<Server> servers(JsonNode node) {
        if (node == null || node.isNull()) {
            throw fail("servers", "is missing: list at least one server");
        }
        int max = Integer.parseInt(TemplateFields.at("servers").max());
        if (!node.isArray() || node.isEmpty()) {
            throw fail("servers", "must be a list of 1 to " + max + " servers");
        }
        if (node.size() > max) {
            throw fail("servers", "has " + node.size() + " entries; at most " + max + " are allowed");
        }
        List<Server> servers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            Server server = server(node.get(i), "servers[" + i + "]");
            if (!names.add(server.name())) {
                throw fail("servers[" + i + "].name", "'" + server.name() + "' is used twice; server names must be unique");
            }
            // PSK identities are unique service-wide, and a device has one EUI-64.
            String shape = identityShape(server);
            if (shape != null && servers.stream().anyMatch(s -> shape.equals(identityShape(s)))) {
                throw fail("servers[" + i + "].psk.identity", "only one server per template can use identity "
                        + server.psk().identity().yamlName() + (server.psk().identityPattern() == null ? ""
                        : " with this identity-pattern") + ": both would give a device the same identity");
            }
            servers.add(server);
        }
        return servers;
    }

    /** Identities made from the EUI-64 alone repeat across servers of one template; random ones do not. */
    private static String identityShape(Server server) {
        if (server.psk() == null || server.psk().identity() == IdentityKind.RANDOM) {
            return null;
        }
        return server.psk().identity().yamlName() + ":" + server.psk().identityPattern();
    }

    private Server server(JsonNode node, String path) {
        object(node, path);
        String name = name(node, path + ".name");
        URI uri = coapsUri(node.get("uri"), path + ".uri");
        String host = optionalString(node, "host", path + ".host", uri.getHost());
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw fail(path + ".host", "must be a host name without spaces");
        }
        Mode mode = choice(node, path + ".mode", Mode.values(), Mode::yamlName);
        Psk psk = null;
        if (mode == Mode.PSK) {
            psk = psk(node.get("psk"), path + ".psk");
        } else if (node.has("psk")) {
            throw fail(path + ".psk", "is only allowed when mode is psk");
        }
        return new Server(name, uri, host, mode, psk);
    }

    private Psk psk(JsonNode node, String path) {
        node = orEmpty(node);
        object(node, path);
        int keyLength = integer(node, path + ".key-length");
        IdentityKind identity = choice(node, path + ".identity", IdentityKind.values(), IdentityKind::yamlName);
        if (identity != IdentityKind.RANDOM && node.has("identity-length")) {
            throw fail(path + ".identity-length", "only applies to identity: random");
        }
        only(node, identity, IdentityKind.PATTERN, path, "identity-pattern");
        only(node, identity, IdentityKind.DIVERSIFIED, path, "batch");
        only(node, identity, IdentityKind.DIVERSIFIED, path, "key-version");
        int identityLength = integer(node, path + ".identity-length");
        String pattern = null;
        if (identity == IdentityKind.PATTERN) {
            pattern = requiredString(node.get("identity-pattern"), path + ".identity-pattern");
            try {
                new PskIdentityScheme.Eui64Pattern(pattern);
            } catch (IllegalArgumentException e) {
                throw fail(path + ".identity-pattern", e.getMessage());
            }
        }
        String batch = null;
        int keyVersion = Integer.parseInt(TemplateFields.at(path + ".key-version").defaultValue());
        if (identity == IdentityKind.DIVERSIFIED) {
            batch = optionalString(node, "batch", path + ".batch", null);
            if (batch != null && !NAME.matcher(batch).matches()) {
                throw fail(path + ".batch", "'" + batch + "' " + NAME_RULE);
            }
            keyVersion = integer(node, path + ".key-version");
        }
        return new Psk(keyLength, identity, identityLength, pattern, batch, keyVersion);
    }

    private void only(JsonNode node, IdentityKind identity, IdentityKind owner, String path, String field) {
        if (identity != owner && node.has(field)) {
            throw fail(path + "." + field, "only applies to identity: " + owner.yamlName());
        }
    }

    private CredentialSettings credentials(JsonNode node) {
        node = orEmpty(node);
        object(node, "credentials");
        Duration validity = duration(node, "credentials.certificate-validity");
        boolean retain = bool(node, "credentials.retain-private-keys");
        JsonNode renewBefore = node.get("renew-before");
        Duration renew = renewBefore == null || renewBefore.isNull() ? null : duration(node, "credentials.renew-before");
        if (renew != null && renew.compareTo(validity) >= 0) {
            throw fail("credentials.renew-before", "must be shorter than credentials.certificate-validity ("
                    + validity.toDays() + "d), or every certificate would be due for renewal when issued (got "
                    + renewBefore + ")");
        }
        return new CredentialSettings(validity, retain, renew, bool(node, "credentials.crl-distribution-point"));
    }

    private DeviceTemplate.Est est(JsonNode node) {
        node = orEmpty(node);
        object(node, "est");
        boolean reEnroll = bool(node, "est.re-enroll");
        Duration overlap = duration(node, "est.overlap");
        String pem = optionalString(node, "factory-cas", "est.factory-cas", null);
        List<X509Certificate> factoryCas = pem == null ? List.of() : factoryCas(pem);
        DeviceTemplate.UnknownDevices unknown = choice(node, "est.unknown-devices",
                DeviceTemplate.UnknownDevices.values(), DeviceTemplate.UnknownDevices::yamlName);
        DeviceTemplate.ServerKeys serverKeys = choice(node, "est.server-keys", DeviceTemplate.ServerKeys.values(),
                DeviceTemplate.ServerKeys::yamlName);
        return new DeviceTemplate.Est(reEnroll, overlap, factoryCas, unknown, serverKeys);
    }

    /** One or more PEM CA certificates, each one a CA (basicConstraints cA) that may sign certificates. */
    private List<X509Certificate> factoryCas(String pem) {
        List<X509Certificate> cas = new ArrayList<>();
        Matcher block = PEM_CERTIFICATE.matcher(pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (block.find()) {
                byte[] der = Base64.getMimeDecoder().decode(block.group(1));
                cas.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw fail("est.factory-cas", "must be PEM certificates (-----BEGIN CERTIFICATE----- ..."
                    + " -----END CERTIFICATE-----): " + e.getMessage());
        }
        if (cas.isEmpty()) {
            throw fail("est.factory-cas", "holds no PEM certificate: paste the manufacturer CA certificates"
                    + " (-----BEGIN CERTIFICATE----- ...)");
        }
        for (X509Certificate ca : cas) {
            if (ca.getBasicConstraints() < 0) {
                throw fail("est.factory-cas", "'" + ca.getSubjectX500Principal().getName() + "' is not a CA"
                        + " certificate (no basicConstraints cA): name the manufacturer CA, not a device");
            }
        }
        return cas;
    }

    private Dtls dtls(JsonNode node) {
        node = orEmpty(node);
        object(node, "dtls");
        Duration retransmission = duration(node, "dtls.initial-retransmission");
        boolean resumption = bool(node, "dtls.resumption");
        boolean connectionId = bool(node, "dtls.connection-id");
        return new Dtls(retransmission, resumption, connectionId);
    }

    private BundleSettings bundle(JsonNode node) {
        node = orEmpty(node);
        object(node, "bundle");
        Duration validity = duration(node, "bundle.validity");
        boolean clear = bool(node, "bundle.allow-unencrypted-secrets");
        return new BundleSettings(validity, clear);
    }

    // --- field readers: each names the field and the rule when it fails ---

    /** A left-out optional mapping reads as an empty one, so that every field in it takes its default. */
    private static JsonNode orEmpty(JsonNode node) {
        return node == null || node.isNull() ? YAML.createObjectNode() : node;
    }

    private void object(JsonNode node, String path) {
        boolean document = path.equals("(document)");
        List<String> known = TemplateFields.inside(document ? "" : path.replaceAll("\\[\\d+]", "[]")).stream()
                .map(TemplateField::name).toList();
        if (node == null || !node.isObject()) {
            throw fail(path, "must be a mapping with the fields " + String.join(", ", known));
        }
        for (String key : node.propertyNames()) {
            if (!known.contains(key)) {
                throw fail(document ? key : path + "." + key, "is not a known field; known fields here are "
                        + String.join(", ", known));
            }
        }
    }

    private static String key(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private String name(JsonNode parent, String path) {
        String value = requiredString(parent.get(key(path)), path);
        if (!NAME.matcher(value).matches()) {
            throw fail(path, "'" + value + "' " + NAME_RULE);
        }
        return value;
    }

    private String requiredString(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            throw fail(path, "is missing");
        }
        if (!node.isString()) {
            throw fail(path, "must be a text value");
        }
        return node.stringValue().trim();
    }

    private String optionalString(JsonNode parent, String key, String path, String fallback) {
        JsonNode node = parent.get(key);
        return node == null || node.isNull() ? fallback : requiredString(node, path);
    }

    private URI coapsUri(JsonNode node, String path) {
        String text = requiredString(node, path);
        try {
            URI uri = new URI(text);
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
            if ("coaps".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0
                    && bare && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getUserInfo() == null) {
                return new URI("coaps", null, uri.getHost(), uri.getPort(), null, null, null);
            }
        } catch (URISyntaxException e) {
            // reported below with the rule
        }
        throw fail(path, "must be coaps://host:port (got '" + text + "')");
    }

    private int integer(JsonNode parent, String path) {
        TemplateField field = TemplateFields.at(path);
        JsonNode node = parent.get(key(path));
        int min = Integer.parseInt(field.min());
        int max = Integer.parseInt(field.max());
        if (node == null || node.isNull()) {
            if (field.defaultValue() == null) {
                throw fail(path, "is missing: give a whole number");
            }
            return Integer.parseInt(field.defaultValue());
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            throw fail(path, "must be a whole number from " + min + " to " + max + " (got " + node + ")");
        }
        return node.intValue();
    }

    private boolean bool(JsonNode parent, String path) {
        JsonNode node = parent.get(key(path));
        if (node == null || node.isNull()) {
            return Boolean.parseBoolean(TemplateFields.at(path).defaultValue());
        }
        if (!node.isBoolean()) {
            throw fail(path, "must be true or false (got " + node + ")");
        }
        return node.booleanValue();
    }

    private Duration duration(JsonNode parent, String path) {
        TemplateField field = TemplateFields.at(path);
        JsonNode node = parent.get(key(path));
        if (node == null || node.isNull()) {
            return DurationStyle.detectAndParse(field.defaultValue());
        }
        Duration min = DurationStyle.detectAndParse(field.min());
        Duration max = DurationStyle.detectAndParse(field.max());
        String rule = "must be a duration such as 9s, 500ms, 12h or 365d, from " + field.min() + " to " + field.max();
        Duration value;
        try {
            value = DurationStyle.detectAndParse(node.isString() ? node.stringValue().trim() : "");
        } catch (IllegalArgumentException e) {
            throw fail(path, rule + " (got " + node + ")");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw fail(path, rule + " (got " + node + ")");
        }
        return value;
    }

    private <E extends Enum<E>> E choice(JsonNode parent, String path, E[] values, Function<E, String> yamlName) {
        List<String> names = Arrays.stream(values).map(yamlName).toList();
        JsonNode node = parent.get(key(path));
        String fallback = TemplateFields.at(path).defaultValue();
        if ((node == null || node.isNull()) && fallback == null) {
            throw fail(path, "is missing: choose one of " + String.join(", ", names));
        }
        String given = node == null || node.isNull() ? fallback : node.isString() ? node.stringValue().trim() : null;
        for (E value : values) {
            if (yamlName.apply(value).equals(given)) {
                return value;
            }
        }
        throw fail(path, "must be one of " + String.join(", ", names) + " (got " + node + ")");
    }

    private InvalidTemplateException fail(String field, String problem) {
        return new InvalidTemplateException(file, field, problem, TemplateLines.lineOf(content, field));
    }
}
