package dev.fleetkey.service.web;

import dev.fleetkey.bundle.Eui64;

/** A page for something that does not exist (a device, a template); rendered as the 404 page. */
public class PageNotFoundException extends RuntimeException {

    private final String whatToDo;

    public PageNotFoundException(String message, String whatToDo) {
        super(message);
        this.whatToDo = whatToDo;
    }

    /**
     * The EUI-64 a page's path names; a path naming none is a page that does not exist.
     *
     * @param whatToDo where the user finds the device instead
     */
    public static Eui64 eui64(String text, String whatToDo) {
        try {
            return Eui64.parse(text);
        } catch (IllegalArgumentException e) {
            throw new PageNotFoundException("'" + text.replaceAll("[^0-9A-Za-z:.-]", "?") + "' is not an EUI-64.",
                    whatToDo);
        }
    }

    String whatToDo() {
        return whatToDo;
    }
}
