/**
 * The global fetch as a value to hand to code that takes `fetch` as a dependency. Workers
 * refuse `fetch` called as a method of another object ("Illegal invocation"), so dependencies
 * hold this wrapper, never the bare global.
 */
export const outboundFetch: typeof fetch = (input, init) => fetch(input, init);
