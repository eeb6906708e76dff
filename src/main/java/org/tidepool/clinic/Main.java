package org.tidepool.clinic;
public class Main { public static void main(String[] a) {} }
