// Sends Portkey's own import of @hono/node-server to the shim; every other import resolves as usual.
const shim = new URL("./node-server-shim.mjs", import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === "@hono/node-server" && context.parentURL?.includes("/@portkey-ai/gateway/")) {
    return { url: shim, shortCircuit: true };
  }
  return next(specifier, context);
}
