package io.governed.spring.boot.service;

/** A Spring Data interface projection. */
public interface CustomerView {
    String getName();

    String getEmail();
}
