package dev.fleetkey.service.web;

/** A page for something that does not exist (a device, a template); rendered as the 404 page. */
public class PageNotFoundException extends RuntimeException {

    private final String whatToDo;

    public PageNotFoundException(String message, String whatToDo) {
        super(message);
        this.whatToDo = whatToDo;
    }

    String whatToDo() {
        return whatToDo;
    }
}
