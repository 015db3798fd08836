package dev.fleetkey.device;

public final class FleetkeyDevice {
    public static void main(String[] args) {
    }
}
