package dev.fleetkey.service.pki;

import dev.fleetkey.bundle.Eui64;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A CSR may name no one (an empty subject) or the device it is submitted for, never another identity. The
 * certificate is always written from the template (CN = the canonical EUI-64, subjectAltName = its RFC 9039 URN):
 * a CSR's other subject attributes (O, OU, ...) are not copied, and a CSR that asks for another EUI-64 or
 * another kind of name is refused rather than silently certified under a different one.
 */
final class CsrIdentity {

    private CsrIdentity() {
    }

    static void check(PKCS10CertificationRequest csr, Eui64 device) throws DeviceKeyRejectedException {
        for (RDN rdn : csr.getSubject().getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (BCStyle.CN.equals(attribute.getType()) && !namesDevice(text(attribute.getValue()), device)) {
                    throw new DeviceKeyRejectedException.ForeignIdentity("The CSR's subject CN '"
                            + shown(text(attribute.getValue())) + "' is not device " + device.canonical()
                            + ": send a CSR with an empty subject or CN=" + device.canonical() + ".");
                }
            }
        }
        for (Attribute requested : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable value : requested.getAttributeValues()) {
                GeneralNames altNames = GeneralNames.fromExtensions(Extensions.getInstance(value),
                        Extension.subjectAlternativeName);
                if (altNames == null) {
                    continue;
                }
                for (GeneralName name : altNames.getNames()) {
                    if (name.getTagNo() != GeneralName.uniformResourceIdentifier
                            || !namesDevice(text(name.getName()), device)) {
                        throw new DeviceKeyRejectedException.ForeignIdentity("The CSR asks for the subjectAltName "
                                + kind(name) + " '" + shown(text(name.getName())) + "', which is not device "
                                + device.canonical() + ": leave subjectAltName out or ask for the URI "
                                + device.urn() + ".");
                    }
                }
            }
        }
    }

    /** The device's EUI-64 in any spelling the service accepts, or its {@code urn:dev:mac:} URN. */
    private static boolean namesDevice(String name, Eui64 device) {
        String lower = name.toLowerCase(Locale.ROOT);
        String eui64 = lower.startsWith("urn:dev:mac:") ? lower.substring("urn:dev:mac:".length()) : lower;
        try {
            return Eui64.parse(eui64).equals(device) && eui64.equals(eui64.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(ASN1Encodable value) {
        return value instanceof ASN1String string ? string.getString() : value.toString();
    }

    private static String kind(GeneralName name) {
        return switch (name.getTagNo()) {
            case GeneralName.dNSName -> "DNS";
            case GeneralName.uniformResourceIdentifier -> "URI";
            case GeneralName.iPAddress -> "IP address";
            case GeneralName.rfc822Name -> "email";
            default -> "name";
        };
    }

    private static String shown(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
