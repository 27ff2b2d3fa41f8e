/**
 * Not public API: the SDK's plumbing (proto conversion, error mapping, channel setup, paging).
 * Anything here may change or disappear in any release; use {@link io.freehold.sdk.FreeholdClient}.
 */
package io.freehold.sdk.internal;
