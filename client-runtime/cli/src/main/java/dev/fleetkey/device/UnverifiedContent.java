package dev.fleetkey.device;

import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

import dev.fleetkey.bundle.BundleCodec;
import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundlePayload;

/**
 * The payload of a bundle read without checking its signature, for {@code show} without {@code --trust}.
 * Output based on it is labelled unverified; nothing else uses it.
 */
final class UnverifiedContent {

    private UnverifiedContent() {
    }

    static BundlePayload read(byte[] signedBundle) throws BundleException, BundleFiles.FileProblem {
        Object content;
        try {
            CMSSignedData cms = new CMSSignedData(signedBundle);
            content = cms.getSignedContent() == null ? null : cms.getSignedContent().getContent();
        } catch (CMSException | RuntimeException e) {
            throw new BundleFiles.FileProblem("the file is not a CMS SignedData bundle");
        }
        if (!(content instanceof byte[])) {
            throw new BundleFiles.FileProblem("the bundle carries no encapsulated payload");
        }
        return BundleCodec.decode((byte[]) content);
    }
}
