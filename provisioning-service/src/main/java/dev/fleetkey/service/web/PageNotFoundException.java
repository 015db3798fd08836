package dev.fleetkey.service.web;

/** A page for something that does not exist (a device, a template); rendered as the 404 page. */
class PageNotFoundException extends RuntimeException {

    private final String whatToDo;

    PageNotFoundException(String message, String whatToDo) {
        super(message);
        this.whatToDo = whatToDo;
    }

    String whatToDo() {
        return whatToDo;
    }
}
