package dev.ghostgym.abi;

/**
 * The body of a ghOSt message, one record per C payload struct ({@code ghost_msg_payload_*}).
 * Fields keep the C names in camelCase; C flags stored as bytes or ints become booleans. Fields
 * that ABI 84 lacks are zero/false when decoding an ABI 84 message.
 */
public sealed interface Payload permits TaskPayload, CpuPayload {}
