package dev.ghostgym.actors.enclave;

import org.apache.pekko.actor.NoSerializationVerificationNeeded;

/**
 * Marks the protocol records that carry live objects (a {@code KernelPort}, the kernel's fault
 * hooks) and so never leave the JVM: they have no serializer, and Pekko's {@code
 * serialize-messages} check skips them.
 */
public interface LocalOnly extends NoSerializationVerificationNeeded {}
