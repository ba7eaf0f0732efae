/**
 * The Kafka audit sink ({@code governed.audit=kafka:BROKERS?topic=TOPIC}) and the verification of a
 * topic's per-connection hash chains. Needs {@code org.apache.kafka:kafka-clients} on the classpath.
 */
package io.governed.jdbc.audit.kafka;
