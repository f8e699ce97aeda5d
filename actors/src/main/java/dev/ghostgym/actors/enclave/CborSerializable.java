package dev.ghostgym.actors.enclave;

/**
 * Marks the protocol records that may cross the network: bound to Pekko's {@code jackson-cbor}
 * serializer in reference.conf. Polymorphic fields are written by type name
 * ({@code @JsonTypeInfo(use = NAME)} with {@code @JsonSubTypes}), never by class name.
 */
public interface CborSerializable {}
